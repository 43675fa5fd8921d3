"""Dossiers through /api/v1/: intake with Idempotency-Key, scoping, actions, the public look-up."""

import json

import pytest
from django.test import Client

from haicap.accounts import services as account_services
from haicap.accounts.models import User
from haicap.dossiers.models import Dossier

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"

NEW_DOSSIER = {
    "procedure_code": "X.HT.007",
    "receiving_agency_code": "17662.05.H40",
    "applicant": {"name": "Lê Thị Hương", "id_number": "040195012345", "phone": "0912345678"},
}


def bearer(username: str) -> Client:
    owner = User.objects.get(username=username)
    _token, plaintext = account_services.issue_api_token(owner, owner, "test")
    return Client(headers={"Authorization": f"Bearer {plaintext}"})


def post(client: Client, url: str, body: dict, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def create(client: Client | None = None, **headers) -> dict:
    response = post(
        client or bearer("tiepnhan.doluong"), "/api/v1/dossiers", NEW_DOSSIER, **headers
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_retried_intake_returns_the_first_dossier_and_its_pin():
    desk = bearer("tiepnhan.doluong")
    first = create(desk, **{"Idempotency-Key": "slip-7"})
    again = create(desk, **{"Idempotency-Key": "slip-7"})
    assert (again["code"], again["pin"]) == (first["code"], first["pin"])
    assert Dossier.objects.count() == 1
    assert first["code"].startswith("17662.05.H40-")
    assert [a["code"] for a in first["allowed_actions"]] == ["forward", "transfer", "withdraw"]


@pytest.mark.parametrize(
    "change",
    [
        {"applicant": {**NEW_DOSSIER["applicant"], "name": "Trần Văn Bình"}},
        {"procedure_code": "X.HT.001"},
        {"channel": "post"},
    ],
)
def test_an_idempotency_key_sent_again_with_another_body_is_refused(change):
    desk = bearer("tiepnhan.doluong")
    first = create(desk, **{"Idempotency-Key": "slip-8"})
    other = post(
        desk, "/api/v1/dossiers", {**NEW_DOSSIER, **change}, **{"Idempotency-Key": "slip-8"}
    )
    assert (other.status_code, other["Content-Type"]) == (422, PROBLEM)
    assert other.json()["code"] == "idempotency_key_reused"
    assert (
        first["pin"] not in other.content.decode() and first["code"] not in other.json()["detail"]
    )
    assert Dossier.objects.count() == 1
    # the key still answers its own request
    assert create(desk, **{"Idempotency-Key": "slip-8"})["code"] == first["code"]


def test_an_action_key_sent_again_with_another_action_is_refused():
    desk = bearer("tiepnhan.doluong")
    code = create(desk)["code"]
    url = f"/api/v1/dossiers/{code}/actions"
    forward = {"action": "forward", "expected_version": 1}
    assert post(desk, url, forward, **{"Idempotency-Key": "act-1"}).status_code == 200
    assert post(desk, url, forward, **{"Idempotency-Key": "act-1"}).status_code == 200
    withdraw = {"action": "withdraw", "expected_version": 2, "note": "Công dân rút"}
    refused = post(desk, url, withdraw, **{"Idempotency-Key": "act-1"})
    assert (refused.status_code, refused.json()["code"]) == (422, "idempotency_key_reused")
    assert Dossier.objects.get(code=code).events.count() == 2


def test_bad_intake_input_is_a_422_problem_naming_the_field():
    body = {**NEW_DOSSIER, "applicant": {**NEW_DOSSIER["applicant"], "id_number": "12"}}
    response = post(bearer("tiepnhan.doluong"), "/api/v1/dossiers", body)
    assert (response.status_code, response["Content-Type"]) == (422, PROBLEM)
    assert response.json()["detail"].startswith("id_number:")
    response = post(
        bearer("tiepnhan.doluong"), "/api/v1/dossiers", {**NEW_DOSSIER, "procedure_code": "?"}
    )
    assert response.status_code == 422
    assert not Dossier.objects.exists()


def test_an_officer_of_another_commune_can_neither_read_nor_act():
    code = create()["code"]
    other = bearer("tiepnhan.vanhien")
    read = other.get(f"/api/v1/dossiers/{code}")
    assert (read.status_code, read.json()["code"]) == (404, "not_found")
    acted = post(
        other, f"/api/v1/dossiers/{code}/actions", {"action": "forward", "expected_version": 1}
    )
    assert acted.status_code == 404
    assert other.get("/api/v1/dossiers").json()["items"] == []
    assert Dossier.objects.get(code=code).step == "received"


def test_actions_move_the_dossier_and_refuse_what_is_not_allowed():
    code = create()["code"]
    desk = bearer("tiepnhan.doluong")
    response = post(
        desk, f"/api/v1/dossiers/{code}/actions", {"action": "forward", "expected_version": 1}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["step"], body["version"]) == ("processing", 2)
    assert [e["action"] for e in body["events"]] == ["receive", "forward"]
    stale = post(
        desk,
        f"/api/v1/dossiers/{code}/actions",
        {"action": "withdraw", "note": "x", "expected_version": 1},
    )
    assert (stale.status_code, stale.json()["code"]) == (409, "conflict")
    not_mine = post(
        desk, f"/api/v1/dossiers/{code}/actions", {"action": "approve", "expected_version": 2}
    )
    assert (not_mine.status_code, not_mine.json()["code"]) == (403, "permission_denied")
    specialist = bearer("chuyenvien.doluong")
    no_note = post(
        specialist,
        f"/api/v1/dossiers/{code}/actions",
        {"action": "request_supplement", "expected_version": 2},
    )
    assert (no_note.status_code, no_note.json()["code"]) == (422, "invalid_input")
    blind = post(specialist, f"/api/v1/dossiers/{code}/actions", {"action": "assign"})
    assert (blind.status_code, blind.json()["code"]) == (422, "validation_error")  # no version


def test_a_retried_action_with_the_same_key_is_applied_once():
    code = create()["code"]
    desk = bearer("tiepnhan.doluong")
    for _ in range(2):
        response = post(
            desk,
            f"/api/v1/dossiers/{code}/actions",
            {"action": "forward", "expected_version": 1},
            **{"Idempotency-Key": "f-1"},
        )
        assert response.status_code == 200
    assert Dossier.objects.get(code=code).events.filter(action="forward").count() == 1


def test_lists_mask_personal_data_and_filter_without_diacritics():
    create()
    desk = bearer("tiepnhan.doluong")
    items = desk.get("/api/v1/dossiers", {"q": "le thi huong"}).json()["items"]
    assert len(items) == 1
    assert items[0]["applicant_id_number"] == "040******345"
    assert desk.get("/api/v1/dossiers", {"q": "nguyen"}).json()["items"] == []
    assert desk.get("/api/v1/dossiers", {"overdue": "true"}).json()["items"] == []
    assert len(desk.get("/api/v1/dossiers", {"procedure_code": "X.HT.007"}).json()["items"]) == 1


def test_detail_shows_personal_data_to_officers_and_masks_it_for_supervisors():
    code = create()["code"]
    assert (
        bearer("tiepnhan.doluong").get(f"/api/v1/dossiers/{code}").json()["applicant_phone"]
        == "0912345678"
    )
    supervised = bearer("giamsat").get(f"/api/v1/dossiers/{code}").json()
    assert supervised["applicant_phone"] == "091****678"
    assert supervised["allowed_actions"] == []


def test_the_list_pages_through_every_dossier_once():
    desk = bearer("tiepnhan.doluong")
    codes = {create(desk)["code"] for _ in range(5)}
    seen, cursor = [], None
    while True:
        body = desk.get(
            "/api/v1/dossiers", {"limit": 2, **({"cursor": cursor} if cursor else {})}
        ).json()
        seen += [item["code"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(codes)


def test_a_citizen_looks_up_a_dossier_with_its_pin_and_sees_nothing_personal():
    created = create()
    public = Client()
    response = post(
        public, f"/api/v1/public/dossiers/{created['code']}/lookup", {"pin": created["pin"]}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "Đã tiếp nhận, chờ chuyển xử lý"
    text = json.dumps(body, ensure_ascii=False)
    for personal in ("Lê Thị Hương", "040195012345", "0912345678"):
        assert personal not in text


def test_a_wrong_pin_looks_exactly_like_a_missing_dossier_and_is_throttled():
    created = create()
    public = Client(REMOTE_ADDR="10.8.8.8")
    wrong = post(public, f"/api/v1/public/dossiers/{created['code']}/lookup", {"pin": "000000"})
    missing = post(public, "/api/v1/public/dossiers/NO-SUCH-CODE/lookup", {"pin": "000000"})
    assert wrong.status_code == missing.status_code == 404
    assert wrong.json()["detail"] == missing.json()["detail"]
    for _ in range(4):
        post(public, f"/api/v1/public/dossiers/{created['code']}/lookup", {"pin": "000000"})
    blocked = post(
        public, f"/api/v1/public/dossiers/{created['code']}/lookup", {"pin": created["pin"]}
    )
    assert (blocked.status_code, blocked.json()["code"]) == (429, "throttled")


def test_every_list_filter_narrows_to_exactly_the_matching_dossiers(user):
    from tests.dossiers.test_scenarios import act, at, receive

    marriage = receive(user, at(3, 2, 9), "X.HT.007").dossier.code
    permit = receive(user, at(3, 4, 9), "X.XD.001", channel="post").dossier.code
    act(user, "tiepnhan.doluong", at(3, 4, 10), permit, "forward")
    desk = bearer("tiepnhan.doluong")

    def codes(**params) -> set[str]:
        return {item["code"] for item in desk.get("/api/v1/dossiers", params).json()["items"]}

    assert codes() == {marriage, permit}
    assert codes(step="processing") == {permit}
    assert codes(channel="post") == {permit}
    assert codes(field_code="HOTICH") == {marriage}
    assert codes(unit_code="17662") == {marriage, permit}
    assert codes(unit_code="17677") == set()
    assert codes(agency_code="17662.03.H40") == {permit}
    assert codes(received_from="2026-03-03T00:00:00+07:00") == {permit}
    assert codes(received_to="2026-03-03T00:00:00+07:00") == {marriage}
    assert codes(overdue="true") == {marriage, permit}  # it is November 2026 now
    assert codes(overdue="false") == set()
    assert codes(finished_from="2026-01-01T00:00:00+07:00") == set()


def test_a_time_written_without_an_offset_is_read_as_vietnam_time():
    from haicap.core import clock
    from tests.dossiers.test_scenarios import at

    body = {**NEW_DOSSIER, "received_at": "2026-03-02T09:00:00", "backdate_reason": "mất mạng"}
    with clock.fixed_at(at(3, 2, 15)):
        response = post(bearer("tiepnhan.doluong"), "/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    assert response.json()["received_at"] == "2026-03-02T09:00:00+07:00"


def test_returning_a_result_through_the_api_names_who_collected_it(user):
    from tests.dossiers.test_scenarios import act

    code = create()["code"]
    for username, action in (
        ("tiepnhan.doluong", "forward"),
        ("chuyenvien.doluong", "submit"),
        ("lanhdao.doluong", "approve"),
    ):
        act(user, username, Dossier.objects.get(code=code).received_at, code, action)
    desk = bearer("tiepnhan.doluong")
    version = Dossier.objects.get(code=code).version
    url = f"/api/v1/dossiers/{code}/actions"
    nameless = post(desk, url, {"action": "return_result", "expected_version": version})
    assert nameless.status_code == 422 and nameless["Content-Type"] == PROBLEM
    assert nameless.json()["code"] == "invalid_input"
    body = {
        "action": "return_result",
        "expected_version": version,
        "collector_name": "Lê Thị Hương",
        "collector_id_number": "040195012345",
    }
    assert post(desk, url, body).json()["step"] == "returned"
    event = Dossier.objects.get(code=code).events.get(action="return_result")
    assert event.data["collected_by"] == {"name": "Lê Thị Hương", "id_number": "040195012345"}


def test_an_action_the_process_does_not_have_is_invalid_input_not_a_refusal():
    desk = bearer("tiepnhan.doluong")
    code = create(desk)["code"]
    url = f"/api/v1/dossiers/{code}/actions"
    unknown = post(desk, url, {"action": "fly", "expected_version": 1})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "invalid_input")
    assert "fly" in unknown.json()["detail"]
    # an action the process has, but not for this officer now, is still refused
    approve = post(desk, url, {"action": "approve", "expected_version": 1})
    assert (approve.status_code, approve.json()["code"]) == (403, "permission_denied")


def test_the_api_records_the_choice_at_intake_and_no_unsigned_result_goes_out_electronically(
    user,
):
    from tests.dossiers.test_scenarios import act

    desk = bearer("tiepnhan.doluong")
    choice = {
        "result_delivery": "desk",
        "result_sets": 2,
        "authorised_name": "Lê Văn Nam",
        "authorised_id_number": "0401",
    }
    refused = post(desk, "/api/v1/dossiers", {**NEW_DOSSIER, **choice})
    assert (refused.status_code, refused["Content-Type"]) == (422, PROBLEM)
    assert "authorised_id_number" in refused.json()["detail"]
    made = post(
        desk,
        "/api/v1/dossiers",
        {**NEW_DOSSIER, **choice, "authorised_id_number": "040090001234"},
    ).json()
    assert (made["result_delivery"], made["result_sets"]) == ("desk", 2)
    assert made["log_number"].startswith("1/")
    code = made["code"]
    for username, action in (
        ("tiepnhan.doluong", "forward"),
        ("chuyenvien.doluong", "submit"),
        ("lanhdao.doluong", "approve"),
    ):
        act(user, username, Dossier.objects.get(code=code).received_at, code, action)
    version = Dossier.objects.get(code=code).version
    body = {"action": "return_result", "expected_version": version, "returned_via": "electronic"}
    refused = post(desk, f"/api/v1/dossiers/{code}/actions", body)
    # nothing was signed (signing is off here): the applicant would have nothing to download
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_input")
    assert "chưa có kết quả điện tử đã ký số" in refused.json()["detail"]
    assert Dossier.objects.get(code=code).step == "result_ready"
    by_post = {**body, "returned_via": "post", "tracking_number": "EB123456789VN"}
    assert post(desk, f"/api/v1/dossiers/{code}/actions", by_post).json()["step"] == "returned"


def test_a_control_character_in_a_list_filter_is_refused_not_sent_to_the_database():
    # PostgreSQL refuses a NUL byte in text: it must be a 422 before any query, on both databases
    client = bearer("tiepnhan.doluong")
    for name in ("procedure_code", "step", "agency_code", "unit_code", "field_code", "q"):
        response = client.get("/api/v1/dossiers", {name: "X.HT\x00.007"})
        assert response.status_code == 422, name
        assert response.json()["code"] == "validation_error"
