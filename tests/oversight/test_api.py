"""``/api/v1/oversight``: reads in the caller's scope, updates and closing, problem+json."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from haicap.accounts import services as account_services
from haicap.core import clock
from haicap.core.models import AuditRecord
from haicap.oversight.models import DirectiveUpdate, WorkingGroup
from tests.dossiers.office_files import XLSX, xlsx_bytes, zip_bytes
from tests.oversight.conftest import (
    DO_LUONG,
    FINANCE,
    HOME_AFFAIRS,
    OUTSIDE_COMMUNE,
    PPC_OFFICE,
    VAN_HIEN,
    at,
    commune,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/oversight"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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
        "xã Đô Lương": {"overdue": 1},
        "xã Văn Hiến": {"overdue": 1},
    }
    assert bearer(people.secretary).get(f"{API}/follow-up", {"by": "x"}).status_code == 422


def test_signed_out_callers_are_refused(visit):
    answer = Client().get(f"{API}/directives")
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/problem+json"


# --- creating ---------------------------------------------------------------------------------


def post(client: Client, url: str, body: dict, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(url, body, content_type="application/json", headers=headers)


def group_body() -> dict:
    return {
        "number": "7",
        "name": "Tổ công tác số 7",
        "term_start": "2026-01-05",
        "leader_title": "Phó Chủ tịch UBND tỉnh",
        "member_agency_codes": [HOME_AFFAIRS, FINANCE],
        "secretariat_agency_code": PPC_OFFICE,
        "commune_ids": [commune(DO_LUONG).pk, commune(VAN_HIEN).pk],
    }


def test_the_secretariat_sets_up_a_group_and_follows_a_visit_to_its_directives(people):
    client = bearer(people.secretary)
    group = post(client, f"{API}/groups", group_body(), "g1")
    assert group.status_code == 201, group.json()
    assert group.json()["member_agency_codes"] == [HOME_AFFAIRS, FINANCE]
    group_id = group.json()["id"]
    with clock.fixed_at(at(3, 2)):
        planned = post(
            client,
            f"{API}/groups/{group_id}/inspections",
            {"held_on": "2026-03-10", "commune_ids": [commune(VAN_HIEN).pk], "agenda": "Nghe"},
            "i1",
        )
    assert planned.status_code == 201 and planned.json()["state"] == "planned"
    inspection = planned.json()["id"]
    early = post(
        client,
        f"{API}/inspections/{inspection}/findings",
        {
            "commune_id": commune(VAN_HIEN).pk,
            "category": "low_online_intake",
            "text": "Tỷ lệ trực tuyến thấp",
            "agency_to_act_code": f"{VAN_HIEN}.01.H40",
        },
    )
    assert early.status_code == 409 and early["Content-Type"] == "application/problem+json"
    with clock.fixed_at(at(3, 10)):
        assert post(client, f"{API}/inspections/{inspection}/start", {}).status_code == 200
        finding = post(
            client,
            f"{API}/inspections/{inspection}/findings",
            {
                "commune_id": commune(VAN_HIEN).pk,
                "category": "staff_shortage",
                "field_code": "DATDAI",
                "text": "Thiếu công chức địa chính",
                "agency_to_act_code": HOME_AFFAIRS,
                "links": [{"url": f"/desk/ho-so/?unit={VAN_HIEN}", "label": "Hồ sơ"}],
            },
            "f1",
        )
    assert finding.status_code == 201, finding.json()
    assert finding.json()["field_code"] == "DATDAI"
    with clock.fixed_at(at(3, 12)):
        conclusion = {"number": "40", "date": "2026-03-12", "summary": "Kết luận"}
        unwritten = post(client, f"{API}/inspections/{inspection}/conclude", conclusion)
        assert unwritten.status_code == 422  # the conclusion's text is required
        assert unwritten["Content-Type"] == "application/problem+json"
        concluded = post(
            client,
            f"{API}/inspections/{inspection}/conclude",
            {**conclusion, "text": "Ổn định."},
        )
        assert concluded.json()["state"] == "concluded"
        # the notice is the PPC's: the number takes its symbol
        assert concluded.json()["conclusion_number"] == "40/TB-UBND"
        directive = post(
            client,
            f"{API}/inspections/{inspection}/directives",
            {
                "title": "Nâng tỷ lệ tiếp nhận trực tuyến",
                "lead_agency_code": f"{VAN_HIEN}.01.H40",
                "supporting_agency_codes": [PPC_OFFICE],
                "deadline": "2026-06-30",
                "expected_result": "Từ 40 % trở lên",
                "finding_ids": [finding.json()["id"]],
                "target": {
                    "measure_key": "kpi.online_intake_rate",
                    "commune_id": commune(VAN_HIEN).pk,
                    "period_start": "2026-04-01",
                    "period_end": "2026-06-30",
                    "comparison": ">=",
                    "threshold": "40",
                },
                "subtasks": [
                    {
                        "title": "Hướng dẫn người dân nộp trực tuyến",
                        "lead_agency_code": f"{VAN_HIEN}.05.H40",
                        "deadline": "2026-05-31",
                    }
                ],
            },
            "d1",
        )
    assert directive.status_code == 201, directive.json()
    issued = directive.json()
    assert issued["target"]["comparison"] == ">=" and issued["target"]["met"] is False
    assert issued["finding_ids"] == [finding.json()["id"]]
    assert issued["progress"] == {"subtasks_done": 0, "subtasks": 1, "percent": "0"}
    with clock.fixed_at(at(3, 13)):
        subtask = post(
            client,
            f"{API}/directives/{issued['id']}/subtasks",
            {
                "title": "Niêm yết hướng dẫn",
                "lead_agency_code": PPC_OFFICE,
                "deadline": "2026-04-30",
            },
        )
    assert subtask.status_code == 201 and subtask.json()["parent_id"] == issued["id"]
    audited = AuditRecord.objects.filter(actor=people.secretary).values_list("action", flat=True)
    assert {
        "workinggroup.created",
        "inspection.planned",
        "inspection.started",
        "finding.recorded",
        "inspection.concluded",
        "directive.issued",
    } <= set(audited)


def test_a_creating_post_is_applied_once_per_idempotency_key(people):
    client = bearer(people.secretary)
    first = post(client, f"{API}/groups", group_body(), "same")
    again = post(client, f"{API}/groups", group_body(), "same")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert WorkingGroup.objects.count() == 1
    other = post(client, f"{API}/groups", group_body() | {"number": "8"}, "same")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    inspection = post(
        client,
        f"{API}/groups/{first.json()['id']}/inspections",
        {"held_on": "2026-03-10", "commune_ids": [commune(DO_LUONG).pk]},
        "same",
    )
    assert inspection.status_code == 422  # the key made a group, not an inspection
    without_key = post(client, f"{API}/groups", group_body())
    assert without_key.status_code == 409  # the same number and term: a second group is refused


def test_creating_is_refused_in_problem_json(people, visit):
    officer = bearer(people.do_luong)
    refused = post(officer, f"{API}/groups", group_body())
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    secretary = bearer(people.secretary)
    unknown = post(secretary, f"{API}/groups", group_body() | {"member_agency_codes": ["X"]})
    assert unknown.status_code == 422 and unknown.json()["code"] == "invalid_input"
    stranger = post(secretary, f"{API}/groups", group_body() | {"member_people": ["nobody"]})
    assert stranger.status_code == 422
    outside = post(
        secretary,
        f"{API}/groups/{visit.inspection.group_id}/inspections",
        {"held_on": "2026-04-10", "commune_ids": [commune(OUTSIDE_COMMUNE).pk]},
    )
    assert outside.status_code == 422  # the group does not cover it
    wrong_finding = post(
        secretary,
        f"{API}/inspections/{visit.inspection.pk}/directives",
        {
            "title": "Nhiệm vụ",
            "lead_agency_code": HOME_AFFAIRS,
            "deadline": "2026-06-30",
            "finding_ids": [2**40],
        },
    )
    assert wrong_finding.status_code == 422
    assert bearer(people.bach_ha).post(
        f"{API}/inspections/{visit.inspection.pk}/start"
    ).status_code in (403, 404)
    assert (
        Client().post(f"{API}/groups", group_body(), content_type="application/json").status_code
        == 401
    )


def test_an_update_carries_its_attachments(people, visit):
    url = f"{API}/directives/{visit.staffing.pk}/updates/files"
    report = SimpleUploadedFile("bao-cao.pdf", PDF, "application/pdf")
    posted = bearer(people.home_affairs).post(
        url, {"text": "Đã có quyết định biệt phái", "percent": "60", "files": [report]}
    )
    assert posted.status_code == 201, posted.json()
    (update,) = posted.json()["updates"]
    assert update["percent"] == 60
    assert [p["content_type"] for p in update["papers"]] == ["application/pdf"]
    disguised = SimpleUploadedFile("anh.pdf", b"not a pdf", "application/pdf")
    refused = bearer(people.home_affairs).post(url, {"text": "Ảnh", "files": [disguised]})
    assert refused.status_code == 422 and refused["Content-Type"] == "application/problem+json"


def test_an_update_may_carry_excel_and_refuses_a_zip_named_docx(people, visit):
    url = f"{API}/directives/{visit.staffing.pk}/updates/files"
    sheet = SimpleUploadedFile("so-lieu.xlsx", xlsx_bytes(), "application/octet-stream")
    posted = bearer(people.home_affairs).post(url, {"text": "Số liệu tháng 4", "files": [sheet]})
    assert posted.status_code == 201, posted.json()
    (update,) = posted.json()["updates"]
    assert [p["content_type"] for p in update["papers"]] == [XLSX]
    renamed = SimpleUploadedFile("bao-cao.docx", zip_bytes({"ghi-chu.txt": b"x"}))
    refused = bearer(people.home_affairs).post(url, {"text": "Báo cáo", "files": [renamed]})
    assert refused.status_code == 422 and refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "invalid_input"
    assert refused.json()["detail"] == (
        "Tệp “bao-cao.docx” không phải PDF, PNG, JPEG, Word (.docx, .odt) hay Excel "
        "(.xlsx, .ods) (xét theo nội dung tệp)."
    )
    assert DirectiveUpdate.objects.count() == 1
