"""``GET /api/v1/staffing/gaps``: each commune's standing in each field, with the sentence in
the caller's language, for the communes the caller reads."""

import pytest
from django.test import Client

from haicap.accounts import services as account_services
from haicap.accounts.models import User
from haicap.units.models import AdministrativeUnit
from tests.staffing import gap_world
from tests.staffing.gap_world import BACH_HA, BACH_NGOC, DO_LUONG

staff_world, world = gap_world.staff_world, gap_world.world

pytestmark = pytest.mark.django_db
GAPS = "/api/v1/staffing/gaps"


def bearer(username: str, language: str = "vi") -> Client:
    user = User.objects.get(username=username)
    _token, plaintext = account_services.issue_api_token(user, user, "test")
    return Client(headers={"Authorization": f"Bearer {plaintext}", "Accept-Language": language})


def items_by_place(answer: dict) -> dict:
    return {(i["unit_code"], i["field_code"]): i for i in answer["items"]}


def test_each_commune_and_field_with_its_figures_and_why(world):
    answer = bearer("chuyenvien.sonoivu").get(GAPS).json()
    assert (answer["on"], answer["workload_from"], answer["workload_until"]) == (
        "2026-04-01",
        "2026-01-01",
        "2026-03-31",
    )
    communes = AdministrativeUnit.objects.filter(tier="commune", valid_to=None).count()
    assert len(answer["items"]) == communes * 2  # land and IT; health has no norm
    land = items_by_place(answer)[(DO_LUONG, "DATDAI")]
    assert land == {
        "unit_id": world.communes.do_luong.pk,
        "unit_code": DO_LUONG,
        "commune": "xã Đô Lương",
        "field_code": "DATDAI",
        "field": "Đất đai",
        "basis": "workload",
        "norm": 2,
        "own": 2,
        "seconded_in": 0,
        "seconded_out": 1,
        "filled": 1,
        "gap": 1,
        "surplus": 0,
        "dossiers_per_month": "4.0",
        "overdue_open": 9,
        "reason": "seconded_out",
        "sentence": "Xã Đô Lương đủ công chức đất đai theo định mức (cần 2 người) nhưng 1 người "
        "đang được biệt phái sang xã Bạch Hà đến 14/09/2026, chỉ còn 1; 9 hồ sơ đất đai đang "
        "quá hạn.",
    }
    first = [i["unit_code"] for i in answer["items"][:4]]
    assert first[:2] == [first[0]] * 2  # commune by commune
    english = items_by_place(bearer("chuyenvien.sonoivu", "en").get(GAPS).json())
    assert english[(BACH_HA, "CNTT")]["sentence"] == (
        "Xã Bạch Hà needs 2 officers in công nghệ thông tin (the province's fixed norm) but has "
        "none."
    )


def test_a_field_and_only_the_communes_short_in_it(world):
    answer = bearer("chuyenvien.sonoivu").get(GAPS, {"field": "DATDAI", "short_only": True})
    items = items_by_place(answer.json())
    assert {field for (_code, field) in items} == {"DATDAI"}
    assert (DO_LUONG, "DATDAI") in items and (BACH_NGOC, "DATDAI") in items
    assert (BACH_HA, "DATDAI") not in items  # covered by the officer seconded in
    assert all(i["gap"] > 0 for i in items.values())


def test_a_commune_reads_its_own(world):
    items = bearer("chuyenvien.doluong").get(GAPS).json()["items"]
    assert {(i["unit_code"], i["field_code"]) for i in items} == {
        (DO_LUONG, "CNTT"),
        (DO_LUONG, "DATDAI"),
    }


def test_an_unknown_field_is_refused_as_problem_json(world):
    answer = bearer("chuyenvien.sonoivu").get(GAPS, {"field": "KHONGCO"})
    assert answer.status_code == 422
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["code"] == "invalid_input"


def test_without_credentials():
    answer = Client().get(GAPS)
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/problem+json"
