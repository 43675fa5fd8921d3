"""``/api/v1/oversight``: reads in the caller's scope, updates and closing, problem+json."""

import pytest
from django.test import Client

from haicap.accounts import services as account_services
from haicap.core import clock
from haicap.oversight.models import DirectiveUpdate
from tests.oversight.conftest import at

pytestmark = pytest.mark.django_db
API = "/api/v1/oversight"


def bearer(user) -> Client:
    _token, plaintext = account_services.issue_api_token(user, user, "test")
    return Client(headers={"Authorization": f"Bearer {plaintext}"})


def test_lists_hold_what_the_caller_sees(people, visit):
    secretary, sibling = bearer(people.secretary), bearer(people.bach_ha)
    assert [g["number"] for g in secretary.get(f"{API}/groups").json()["items"]] == ["4"]
    inspections = secretary.get(f"{API}/inspections").json()["items"]
    assert [i["conclusion_number"] for i in inspections] == ["125/TB-UBND"]
    findings = secretary.get(f"{API}/findings", {"inspection_id": visit.inspection.pk}).json()
    assert {f["category"] for f in findings["items"]} == {"staff_shortage", "low_online_intake"}
    assert findings["items"][0]["links"][0]["url"].startswith("/desk/ho-so/")
    with clock.fixed_at(at(7, 1)):
        directives = secretary.get(f"{API}/directives", {"status": "overdue"}).json()["items"]
    assert {d["title"] for d in directives} == {
        "Biệt phái công chức cho các xã thiếu",
        "Nâng tỷ lệ tiếp nhận trực tuyến",
        "Rà soát nhu cầu",
    }
    assert sibling.get(f"{API}/directives").json()["items"] == []
    answer = sibling.get(f"{API}/directives/{visit.staffing.pk}")
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/problem+json"


def test_a_directive_shows_its_status_progress_target_and_updates(people, visit):
    with clock.fixed_at(at(4, 1)):
        detail = bearer(people.van_hien).get(f"{API}/directives/{visit.online.pk}").json()
    assert detail["status"] == "in_progress"
    assert detail["target"]["measure_key"] == "kpi.online_intake_rate"
    assert detail["target"]["comparison"] == ">="
    assert detail["target"]["met"] is False
    staffing = bearer(people.secretary).get(f"{API}/directives/{visit.staffing.pk}").json()
    assert staffing["progress"] == {"subtasks_done": 0, "subtasks": 1, "percent": "0"}
    assert staffing["supporting_agency_codes"] == ["000.04.00.H40"]


def test_an_update_is_posted_once_per_idempotency_key(people, visit):
    client = bearer(people.home_affairs)
    url = f"{API}/directives/{visit.staffing.pk}/updates"
    body = {"text": "Đã rà soát nhu cầu", "percent": 40}
    first = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "u1"}
    )
    again = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "u1"}
    )
    assert first.status_code == again.status_code == 201
    assert [u["percent"] for u in again.json()["updates"]] == [40]
    assert DirectiveUpdate.objects.count() == 1
    other = client.post(
        url, {"text": "Khác"}, content_type="application/json", headers={"Idempotency-Key": "u1"}
    )
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


def test_an_agency_outside_the_directive_cannot_post(people, visit):
    answer = bearer(people.do_luong).post(
        f"{API}/directives/{visit.staffing.pk}/updates",
        {"text": "…"},
        content_type="application/json",
    )
    assert answer.status_code == 403 and answer.json()["code"] == "permission_denied"


def test_the_secretariat_closes_and_others_are_refused(people, visit):
    url = f"{API}/directives/{visit.subtask.pk}/close"
    body = {"outcome": "not_achieved", "result": "Chưa xong", "reason": "Thiếu biên chế"}
    refused = bearer(people.home_affairs).post(url, body, content_type="application/json")
    assert refused.status_code == 403
    without_reason = bearer(people.secretary).post(
        url, body | {"reason": ""}, content_type="application/json"
    )
    assert without_reason.status_code == 422
    closed = bearer(people.secretary).post(url, body, content_type="application/json")
    assert closed.status_code == 200
    assert closed.json()["status"] == "not_achieved"
    again = bearer(people.secretary).post(url, body, content_type="application/json")
    assert again.status_code == 409


def test_the_follow_up_counts(people, visit):
    with clock.fixed_at(at(7, 1)):
        answer = bearer(people.secretary).get(f"{API}/follow-up", {"by": "commune"}).json()
    assert answer["by"] == "commune"
    assert {r["name"]: r["counts"] for r in answer["rows"]} == {
        "Đô Lương": {"overdue": 1},
        "Văn Hiến": {"overdue": 1},
    }
    assert bearer(people.secretary).get(f"{API}/follow-up", {"by": "x"}).status_code == 422


def test_signed_out_callers_are_refused(visit):
    answer = Client().get(f"{API}/directives")
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/problem+json"
