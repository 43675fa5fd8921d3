"""Online filing: a citizen submits, a desk officer accepts or returns, the PIN follows it."""

import json

import pytest
from django.test import Client

from haicap.core import clock
from haicap.dossiers import services
from haicap.dossiers.deadlines import sweep
from haicap.dossiers.models import Dossier, OnlineSubmission
from tests.api.test_dossiers_api import bearer, post
from tests.dossiers.test_scenarios import at

pytestmark = pytest.mark.django_db

FILING = {
    "procedure_code": "X.HT.007",
    "desk_code": "17662.05.H40",
    "applicant": {"name": "Hồ Văn Sơn", "id_number": "040190054321", "phone": "0987654321"},
}


def file_online(client: Client | None = None, body: dict | None = None, when=None) -> dict:
    with clock.fixed_at(when or at(3, 2, 21, 30)):  # a Monday evening, after office hours
        response = post(client or Client(), "/api/v1/public/submissions", body or FILING)
    assert response.status_code == 201, response.content
    return response.json()


def test_a_citizen_files_online_and_the_desk_accepts_it_with_the_clock_from_the_filing():
    filed = file_online()
    assert filed["status"] == "pending" and len(filed["pin"]) == 6
    desk = bearer("tiepnhan.doluong")
    waiting = desk.get("/api/v1/submissions").json()
    assert [(w["reference"], w["applicant_id_number"]) for w in waiting] == [
        (filed["reference"], "040******321")
    ]
    with clock.fixed_at(at(3, 3, 8)):
        accepted = post(desk, f"/api/v1/submissions/{waiting[0]['id']}/accept", {})
    assert accepted.status_code == 200
    body = accepted.json()
    assert body["channel"] == "online"
    assert body["clock_started_at"] == "2026-03-03T07:30:00+07:00"  # the next session after filing
    assert body["due_at"] == "2026-03-05T17:30:00+07:00"  # 3 working days use up Thursday
    # the citizen's one PIN now opens the dossier too
    public = Client()
    followed = post(
        public, f"/api/v1/public/submissions/{filed['reference']}/lookup", {"pin": filed["pin"]}
    )
    assert followed.json()["dossier_code"] == body["code"]
    dossier = post(public, f"/api/v1/public/dossiers/{body['code']}/lookup", {"pin": filed["pin"]})
    assert dossier.status_code == 200


def test_an_incomplete_submission_is_returned_with_what_to_complete():
    filed = file_online()
    desk = bearer("tiepnhan.doluong")
    submission_id = desk.get("/api/v1/submissions").json()[0]["id"]
    url = f"/api/v1/submissions/{submission_id}/return"
    assert post(desk, url, {"note": ""}).status_code == 422
    returned = post(desk, url, {"note": "Thiếu tờ khai"})
    assert returned.json()["status"] == "returned"
    again = post(desk, f"/api/v1/submissions/{submission_id}/accept", {})
    assert (again.status_code, again.json()["code"]) == (409, "conflict")
    lookup = f"/api/v1/public/submissions/{filed['reference']}/lookup"
    seen = post(Client(), lookup, {"pin": filed["pin"]}).json()
    assert (seen["status"], seen["review_note"]) == ("returned", "Thiếu tờ khai")
    assert not Dossier.objects.exists()


def test_another_desk_neither_sees_nor_accepts_it():
    file_online()
    other = bearer("tiepnhan.vanhien")
    assert other.get("/api/v1/submissions").json() == []
    submission = OnlineSubmission.objects.get()
    assert post(other, f"/api/v1/submissions/{submission.pk}/accept", {}).status_code == 404
    assert OnlineSubmission.objects.get().status == "pending"


def test_a_procedure_not_offered_online_cannot_be_filed():
    body = {**FILING, "procedure_code": "X.CT.002"}  # signature certification: in person only
    response = post(Client(), "/api/v1/public/submissions", body)
    assert (response.status_code, response["Content-Type"]) == (422, "application/problem+json")
    bad_id = {**FILING, "applicant": {**FILING["applicant"], "id_number": "123"}}
    assert post(Client(), "/api/v1/public/submissions", bad_id).status_code == 422
    assert not OnlineSubmission.objects.exists()


def test_one_address_cannot_flood_the_desk():
    client = Client(REMOTE_ADDR="10.5.5.5")
    for _ in range(20):
        file_online(client)
    with clock.fixed_at(at(3, 2, 21, 40)):
        response = client.post(
            "/api/v1/public/submissions", json.dumps(FILING), content_type="application/json"
        )
    assert (response.status_code, response.json()["code"]) == (429, "throttled")
    assert OnlineSubmission.objects.count() == 20


def test_invalid_filings_count_against_the_throttle_too(monkeypatch):
    monkeypatch.setattr(services.online, "SUBMISSIONS_PER_ADDRESS_PER_HOUR", 3)
    client = Client(REMOTE_ADDR="10.5.5.6")
    url = "/api/v1/public/submissions"
    bad_id = {**FILING, "applicant": {**FILING["applicant"], "id_number": "123"}}
    unknown = {**FILING, "procedure_code": "X.NONE.000"}
    missing = {"procedure_code": "X.HT.007"}  # refused by the schema, before any handler
    with clock.fixed_at(at(3, 2, 21, 30)):
        assert [post(client, url, body).status_code for body in (bad_id, unknown, missing)] == [
            422,
            422,
            422,
        ]
        refused = post(client, url, FILING)
        english = post(client, url, FILING, **{"Accept-Language": "en"})
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    problem = refused.json()
    assert (problem["code"], problem["status"], problem["instance"]) == ("throttled", 429, url)
    assert problem["detail"].startswith("Địa chỉ này đã gửi quá nhiều yêu cầu")
    assert english.json()["detail"].startswith("Too many requests from this address")
    assert not OnlineSubmission.objects.exists()
    assert file_online(Client(REMOTE_ADDR="10.5.5.7"))["status"] == "pending"


def test_a_filing_retried_with_its_idempotency_key_is_filed_once_and_keeps_its_pin():
    key = {"Idempotency-Key": "filing-7f3a"}
    with clock.fixed_at(at(3, 2, 21, 30)):
        first = post(Client(), "/api/v1/public/submissions", FILING, **key)
        again = post(Client(), "/api/v1/public/submissions", FILING, **key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert (again.json()["reference"], again.json()["pin"]) == (
        first.json()["reference"],
        first.json()["pin"],
    )
    assert OnlineSubmission.objects.count() == 1
    kept = OnlineSubmission.objects.get().pin_sealed
    assert kept and first.json()["pin"] not in kept  # sealed, never in plain text

    other = {**FILING, "applicant": {**FILING["applicant"], "name": "Trần Thị Hoa"}}
    with clock.fixed_at(at(3, 2, 21, 31)):
        refused = post(Client(), "/api/v1/public/submissions", other, **key)
    assert (refused.status_code, refused.json()["code"]) == (422, "idempotency_key_reused")
    assert OnlineSubmission.objects.count() == 1

    # a day later the retry still gets its submission, but the PIN is forgotten
    with clock.fixed_at(at(3, 3, 21, 31)):
        sweep()
        late = post(Client(), "/api/v1/public/submissions", FILING, **key)
    assert late.json()["reference"] == first.json()["reference"] and late.json()["pin"] == ""
    assert OnlineSubmission.objects.get().pin_sealed == ""
