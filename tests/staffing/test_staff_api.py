"""``/api/v1/staffing`` officers and positions: the caller's scope, masked personal numbers,
keyset pages, creating once per Idempotency-Key, partial changes, problem+json errors."""

import json

import pytest
from django.test import Client

from haicap.accounts import services as account_services
from haicap.staffing.models import Officer
from tests.staffing.conftest import (
    BACH_HA,
    CITIZEN_ID,
    DO_LUONG_DESK,
    PHONE,
    commune,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/staffing"
MASKED_ID, MASKED_PHONE = "040******345", "091****678"


def bearer(user) -> Client:
    _token, plaintext = account_services.issue_api_token(user, user, "test")
    return Client(headers={"Authorization": f"Bearer {plaintext}"})


def items(client: Client, **query) -> list[dict]:
    answer = client.get(f"{API}/officers", query)
    assert answer.status_code == 200, answer.content
    return answer.json()["items"]


def post(client: Client, body: dict, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        f"{API}/officers", json.dumps(body), content_type="application/json", headers=headers
    )


def patch(client: Client, officer_id: int, body: dict):
    return client.patch(
        f"{API}/officers/{officer_id}", json.dumps(body), content_type="application/json"
    )


def new_officer(position, **changes) -> dict:
    body = {
        "staff_number": "NA-0300",
        "full_name": "Đỗ Thị Mai",
        "position_id": position.pk,
        "qualifications": ["DATDAI"],
        "grade": "Chuyên viên",
        "experience_years": 2,
        "in_post_since": "2025-07-01",
        "citizen_id": "040190099999",
        "phone": "0933333333",
    }
    return body | changes


def test_the_staffing_authority_reads_every_officer_whole(staffed, people):
    found = items(bearer(people.home_affairs))
    assert [o["staff_number"] for o in found] == ["NA-0003", "NA-0001", "NA-0002"]
    an = found[1]
    assert (an["citizen_id"], an["phone"], an["personal_data_masked"]) == (CITIZEN_ID, PHONE, False)
    assert an["qualifications"] == ["DATDAI", "XAYDUNG"]
    assert an["field_code"] == "DATDAI"


def test_a_commune_reads_its_own_officers_masked(staffed, people):
    found = items(bearer(people.do_luong_admin))
    assert {o["staff_number"] for o in found} == {"NA-0001", "NA-0002"}
    an = next(o for o in found if o["staff_number"] == "NA-0001")
    assert (an["citizen_id"], an["phone"], an["personal_data_masked"]) == (
        MASKED_ID,
        MASKED_PHONE,
        True,
    )


def test_one_officer_is_whole_for_who_may_edit_them_and_404_out_of_scope(staffed, people):
    admin = bearer(people.do_luong_admin)
    an = admin.get(f"{API}/officers/{staffed.an.pk}").json()
    assert (an["citizen_id"], an["personal_data_masked"]) == (CITIZEN_ID, False)
    specialist = bearer(people.do_luong).get(f"{API}/officers/{staffed.an.pk}").json()
    assert specialist["citizen_id"] == MASKED_ID
    supervisor = bearer(people.supervisor).get(f"{API}/officers/{staffed.an.pk}").json()
    assert supervisor["phone"] == MASKED_PHONE
    outside = admin.get(f"{API}/officers/{staffed.cuong.pk}")
    assert outside.status_code == 404
    assert outside["Content-Type"] == "application/problem+json"
    assert outside.json()["code"] == "not_found"


def test_the_list_filters_and_pages_by_cursor(staffed, people):
    client = bearer(people.home_affairs)
    assert [o["full_name"] for o in items(client, commune_id=commune(BACH_HA).pk)] == [
        "Lê Văn Cường"
    ]
    assert [o["staff_number"] for o in items(client, agency_code=DO_LUONG_DESK)] == ["NA-0002"]
    assert [o["staff_number"] for o in items(client, on_desk="true")] == ["NA-0002"]
    assert [o["staff_number"] for o in items(client, qualification_code="XAYDUNG")] == ["NA-0001"]
    assert [o["staff_number"] for o in items(client, q="tran thi")] == ["NA-0002"]
    first = client.get(f"{API}/officers", {"limit": 2}).json()
    assert len(first["items"]) == 2
    rest = client.get(f"{API}/officers", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [o["staff_number"] for o in rest["items"]] == ["NA-0002"]
    assert rest["next_cursor"] is None
    unknown = client.get(f"{API}/officers", {"agency_code": "99999.01.H40"})
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "invalid_input"


def test_an_officer_is_created_once_per_idempotency_key(staffed, people):
    client = bearer(people.home_affairs)
    body = new_officer(staffed.bach_ha_land)
    first = post(client, body, key="mai-1")
    assert first.status_code == 201, first.content
    again = post(client, body, key="mai-1")
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert Officer.objects.filter(staff_number="NA-0300").count() == 1
    reused = post(client, new_officer(staffed.bach_ha_land, staff_number="NA-0301"), key="mai-1")
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    created = first.json()
    assert (created["citizen_id"], created["qualifications"]) == ("040190099999", ["DATDAI"])


@pytest.mark.parametrize(
    "changes, status, code",
    [
        ({"citizen_id": "123"}, 422, "invalid_input"),
        ({"qualifications": ["KHONGCO"]}, 422, "invalid_input"),
        ({"account": "khong.co.ai"}, 422, "invalid_input"),
        ({"staff_number": "NA-0001"}, 409, "conflict"),
        ({"desk_posting_from": "2025-07-01"}, 422, "invalid_input"),
        ({"in_post_since": "31/02/2025"}, 422, "validation_error"),
        ({"in_post_since": "2030-01-01"}, 422, "invalid_input"),
    ],
)
def test_what_cannot_be_created_is_a_problem(staffed, people, changes, status, code):
    answer = post(bearer(people.home_affairs), new_officer(staffed.bach_ha_land, **changes))
    assert answer.status_code == status, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["code"] == code


def test_who_may_not_edit_the_agency_cannot_create_there(staffed, people):
    denied = post(bearer(people.do_luong_admin), new_officer(staffed.bach_ha_land))
    assert denied.status_code == 422  # Bạch Hà's position is not one Đô Lương's admin sees
    specialist = post(bearer(people.do_luong), new_officer(staffed.do_luong_land))
    assert specialist.status_code == 403
    assert specialist.json()["code"] == "permission_denied"
    assert not Officer.objects.filter(staff_number="NA-0300").exists()


def test_a_patch_changes_only_what_it_sends(staffed, people):
    staffed.an.user = people.do_luong
    staffed.an.save()
    client = bearer(people.do_luong_admin)
    changed = patch(client, staffed.an.pk, {"experience_years": 9, "account": None})
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert (body["experience_years"], body["account"], body["full_name"]) == (
        9,
        None,
        "Nguyễn Văn An",
    )
    assert body["qualifications"] == ["DATDAI", "XAYDUNG"]
    moved = patch(client, staffed.an.pk, {"position_id": staffed.do_luong_desk.pk})
    assert moved.json()["agency_code"] == DO_LUONG_DESK
    assert patch(client, staffed.cuong.pk, {"experience_years": 1}).status_code == 404
    refused = patch(bearer(people.do_luong), staffed.an.pk, {"experience_years": 1})
    assert refused.status_code == 403


def test_positions_show_approved_filled_and_vacant(staffed, people):
    answer = bearer(people.home_affairs).get(f"{API}/positions")
    rows = {(p["agency_code"], p["field_code"]): p for p in answer.json()["items"]}
    land = rows[("17662.03.H40", "DATDAI")]
    assert (land["approved"], land["filled"], land["vacant"]) == (2, 1, 1)
    mine = bearer(people.do_luong).get(f"{API}/positions").json()["items"]
    assert {p["agency_code"] for p in mine} == {"17662.03.H40", DO_LUONG_DESK}
    only = bearer(people.home_affairs).get(f"{API}/positions", {"field_code": "CNTT"}).json()
    assert [p["agency_code"] for p in only["items"]] == [DO_LUONG_DESK]
