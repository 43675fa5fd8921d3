"""``/api/v1/assets/items``: the caller's scope, filters and keyset pages, an asset with its
history, entering and moving once per Idempotency-Key, partial corrections that never reach the
identifier, holder or origin, and problem+json errors."""

import json

import pytest
from django.test import Client

from haicap.accounts import services as account_services
from haicap.assets.models import Asset, Movement
from tests.assets import register_world as w

pytestmark = pytest.mark.django_db
API = "/api/v1/assets/items"
PROBLEM = "application/problem+json"


@pytest.fixture
def world(db):
    return w.make()


def bearer(user) -> Client:
    _token, plaintext = account_services.issue_api_token(user, user, "test")
    return Client(headers={"Authorization": f"Bearer {plaintext}"})


def items(client: Client, **query) -> list[str]:
    answer = client.get(API, query)
    assert answer.status_code == 200, answer.content
    return [item["identifier"] for item in answer.json()["items"]]


def post(client: Client, path: str, body: dict, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def patch(client: Client, asset_id: int, body: dict):
    return client.patch(f"{API}/{asset_id}", json.dumps(body), content_type="application/json")


def new_asset(**changes) -> dict:
    body = {
        "kind": "MAYSCAN",
        "name": "Máy quét Epson",
        "holder": w.BACH_HA_DESK,
        "origin_id": None,
        "original_value": 12_000_000,
        "remaining_value": 12_000_000,
        "acquired_year": 2025,
        "condition": "good",
    }
    return body | changes


def test_the_caller_lists_what_their_scope_lets_them(world):
    assert items(bearer(world.people.finance)) == [
        "TS.40.000001",
        "TS.40.000002",
        "TS.40.000003",
        "TS.40.000004",
    ]
    assert items(bearer(world.people.do_luong)) == ["TS.40.000001", "TS.40.000002"]
    assert items(bearer(world.people.bach_ha_admin)) == ["TS.40.000003"]
    other = bearer(world.people.do_luong).get(f"{API}/{world.computer.pk}")
    assert other.status_code == 404
    assert other["Content-Type"] == PROBLEM
    assert other.json()["code"] == "not_found"
    assert Client().get(API).status_code == 401


def test_the_list_filters_and_pages_by_keyset(world):
    finance = bearer(world.people.finance)
    assert items(finance, category="equipment") == ["TS.40.000002", "TS.40.000003"]
    assert items(finance, kind="xeoto") == ["TS.40.000004"]
    assert items(finance, holder=w.DO_LUONG_DESK) == ["TS.40.000002"]
    assert items(finance, commune_id=w.agency(w.BACH_HA_PPC).unit_id) == ["TS.40.000003"]
    assert items(finance, condition="poor", status="in_use") == ["TS.40.000003"]
    assert items(finance, origin_id=w.former("xã", "Đà Sơn").pk) == ["TS.40.000001"]
    assert items(finance, q="may quet") == ["TS.40.000002"]
    first = finance.get(API, {"limit": 3}).json()
    assert [i["identifier"] for i in first["items"]] == [
        "TS.40.000001",
        "TS.40.000002",
        "TS.40.000003",
    ]
    rest = finance.get(API, {"limit": 3, "cursor": first["next_cursor"]}).json()
    assert ([i["identifier"] for i in rest["items"]], rest["next_cursor"]) == (
        ["TS.40.000004"],
        None,
    )
    forged = finance.get(API, {"cursor": "bm90LWEtY3Vyc29y"})
    assert (forged.status_code, forged["Content-Type"]) == (422, PROBLEM)
    unknown = finance.get(API, {"kind": "NHAKHO"})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "invalid_input")


def test_an_asset_comes_with_its_history(world):
    answer = bearer(world.people.do_luong).get(f"{API}/{world.office.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["identifier"], body["holder"], body["origin"]) == (
        "TS.40.000001",
        w.DO_LUONG_PPC,
        "xã Đà Sơn (huyện Đô Lương)",
    )
    assert (body["original_value"], body["remaining_value"], body["area_m2"]) == (
        3_200_000_000,
        1_250_000_000,
        "450.5",
    )
    assert body["movements"] == [
        {
            "id": world.office.movements.get().pk,
            "kind": "registered",
            "on": "2025-07-01",
            "from_agency": None,
            "to_agency": w.DO_LUONG_PPC,
            "decision": "",
            "note": "",
            "recorded_by": "chuyenvien.sotaichinh",
            "recorded_at": body["movements"][0]["recorded_at"],
        }
    ]


def test_finance_enters_an_asset_once_per_idempotency_key(world):
    finance = bearer(world.people.finance)
    first = post(finance, API, new_asset(), key="tao-1")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["identifier"] == "TS.40.000005"
    assert [m["kind"] for m in body["movements"]] == ["registered"]
    again = post(finance, API, new_asset(), key="tao-1")
    assert (again.status_code, again.json()["id"]) == (201, body["id"])
    assert Asset.objects.filter(name="Máy quét Epson").count() == 1
    other = post(finance, API, new_asset(name="Máy in"), key="tao-1")
    assert (other.status_code, other["Content-Type"]) == (422, PROBLEM)
    assert other.json()["code"] == "idempotency_key_reused"
    numbered = post(finance, API, new_asset(identifier="QLTS-0099"))
    assert numbered.json()["identifier"] == "QLTS-0099"
    clash = post(finance, API, new_asset(identifier="QLTS-0099"))
    assert (clash.status_code, clash.json()["code"]) == (409, "conflict")


def test_entering_is_refused_as_problem_json(world):
    finance = bearer(world.people.finance)
    above = post(finance, API, new_asset(remaining_value=20_000_000))
    assert (above.status_code, above["Content-Type"]) == (422, PROBLEM)
    # in the request's language, Vietnamese unless it asks for another
    assert above.json()["detail"] == "Giá trị còn lại lớn hơn nguyên giá"
    area = post(finance, API, new_asset(area_m2="12.5"))
    assert area.json()["detail"] == "Chỉ đất và nhà mới có diện tích"
    english = finance.post(
        API,
        json.dumps(new_asset(remaining_value=20_000_000)),
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert english.json()["detail"] == "The remaining value is more than the original value"
    origin = post(finance, API, new_asset(origin_id=w.agency(w.DO_LUONG_PPC).unit_id))
    assert (origin.status_code, origin.json()["code"]) == (422, "invalid_input")
    commune = post(bearer(world.people.do_luong_admin), API, new_asset())
    assert (commune.status_code, commune.json()["code"]) == (403, "permission_denied")
    assert Asset.objects.count() == 4


def test_a_patch_corrects_only_what_it_sends_and_never_the_identifier_holder_or_origin(world):
    finance = bearer(world.people.finance)
    answer = patch(finance, world.office.pk, {"remaining_value": 1_100_000_000, "area_m2": None})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["remaining_value"], body["area_m2"], body["name"]) == (
        1_100_000_000,
        None,
        "Trụ sở UBND xã Đà Sơn cũ",
    )
    for field, value in (
        ("identifier", "TS.40.999999"),
        ("holder", w.BACH_HA_PPC),
        ("origin_id", w.former("xã", "Thịnh Sơn").pk),
    ):
        refused = patch(finance, world.office.pk, {field: value})
        assert (refused.status_code, refused["Content-Type"]) == (422, PROBLEM)
    world.office.refresh_from_db()
    assert (world.office.identifier, world.office.holder.code) == ("TS.40.000001", w.DO_LUONG_PPC)


def test_the_holders_administrator_patches_the_condition_only(world):
    admin = bearer(world.people.do_luong_admin)
    assert patch(admin, world.office.pk, {"condition": "poor"}).json()["condition"] == "poor"
    refused = patch(admin, world.office.pk, {"name": "Khác"})
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    assert patch(admin, world.computer.pk, {"condition": "good"}).status_code == 404


def test_finance_records_a_move_once_per_idempotency_key(world):
    finance = bearer(world.people.finance)
    path = f"{API}/{world.scanner.pk}/movements"
    body = {"to_agency": w.BACH_HA_DESK, "on": "2025-08-01", "decision": "15/QĐ-STC"}
    first = post(finance, path, body, key="chuyen-1")
    assert first.status_code == 201, first.content
    assert (first.json()["from_agency"], first.json()["to_agency"]) == (
        w.DO_LUONG_DESK,
        w.BACH_HA_DESK,
    )
    again = post(finance, path, body, key="chuyen-1")
    assert again.json()["id"] == first.json()["id"]
    assert world.scanner.movements.count() == 2
    world.scanner.refresh_from_db()
    assert world.scanner.holder.code == w.BACH_HA_DESK
    disposal = {"kind": "disposed", "disposal": "sale", "on": "2025-09-01", "decision": "2/QĐ"}
    sold = post(finance, path, disposal)
    assert (sold.status_code, sold.json()["to_agency"]) == (201, None)
    after = post(finance, path, body | {"on": "2025-10-01"})
    assert (after.status_code, after.json()["code"]) == (409, "conflict")
    assert Movement.objects.filter(asset=world.scanner).count() == 3


def test_a_move_is_refused_as_problem_json(world):
    path = f"{API}/{world.scanner.pk}/movements"
    body = {"to_agency": w.DO_LUONG_DESK, "on": "2025-08-01", "decision": "1/QĐ"}
    same = post(bearer(world.people.finance), path, body)
    assert (same.status_code, same["Content-Type"]) == (422, PROBLEM)
    assert same.json()["detail"].endswith("đang quản lý tài sản này.")
    commune = post(bearer(world.people.do_luong_admin), path, body | {"to_agency": w.BACH_HA_PPC})
    assert (commune.status_code, commune.json()["code"]) == (403, "permission_denied")
    hidden = post(bearer(world.people.bach_ha_admin), path, body)
    assert hidden.status_code == 404
    assert world.scanner.movements.count() == 1
