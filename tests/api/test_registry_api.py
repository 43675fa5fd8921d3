"""The registry through /api/v1/: scoping, lineage, pagination and problem+json errors."""

import pytest
from django.test import Client

from haicap.accounts import services
from haicap.accounts.models import User
from haicap.core.pagination import encode_cursor
from haicap.core.scoping import scope_of
from haicap.units.models import AdministrativeUnit, Agency
from haicap.units.selectors import visible_agencies

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
VAN_HIEN_ECONOMIC_OFFICE = "17677.03.H40"


def bearer(username: str) -> Client:
    owner = User.objects.get(username=username)
    _token, plaintext = services.issue_api_token(owner, owner, "test client")
    return Client(headers={"Authorization": f"Bearer {plaintext}"})


def all_pages(client: Client, url: str, **params) -> list[dict]:
    items, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = client.get(url, query).json()
        items.extend(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return items


def test_a_commune_officer_cannot_read_another_communes_agency():
    client = bearer("tiepnhan.doluong")
    other = Agency.objects.get(code=VAN_HIEN_ECONOMIC_OFFICE)
    response = client.get(f"/api/v1/agencies/{other.pk}")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "not_found"
    # the same answer as for an agency that does not exist: nothing leaks
    missing = client.get("/api/v1/agencies/999999").json()
    assert {k: v for k, v in missing.items() if k != "instance"} == {
        k: v for k, v in response.json().items() if k != "instance"
    }


def test_a_commune_officer_lists_own_commune_and_province_agencies_only():
    codes = {
        a["code"] for a in all_pages(bearer("tiepnhan.doluong"), "/api/v1/agencies", limit=100)
    }
    expected = set(
        Agency.objects.filter(unit__code__in=["17662", "40"]).values_list("code", flat=True)
    )
    assert codes == expected
    assert VAN_HIEN_ECONOMIC_OFFICE not in codes
    # a filter cannot widen the scope
    van_hien = AdministrativeUnit.objects.get(code="17677")
    filtered = bearer("tiepnhan.doluong").get("/api/v1/agencies", {"unit_id": van_hien.pk}).json()
    assert filtered["items"] == []


def test_a_department_and_a_supervisor_see_every_agency():
    total = Agency.objects.count()
    assert len(all_pages(bearer("chuyenvien.sotuphap"), "/api/v1/agencies", limit=500)) == total
    assert len(all_pages(bearer("giamsat"), "/api/v1/agencies", limit=500)) == total


def test_pages_cover_every_unit_exactly_once():
    client = bearer("tiepnhan.doluong")
    items = all_pages(client, "/api/v1/units", status="all", limit=37)
    assert len(items) == AdministrativeUnit.objects.count()
    assert len({u["id"] for u in items}) == len(items)


def test_units_filter_by_status_kind_and_name_without_diacritics():
    client = bearer("tiepnhan.doluong")
    wards = all_pages(client, "/api/v1/units", kind="ward", limit=500)
    assert len(wards) == 11
    found = client.get("/api/v1/units", {"q": "thuan trung"}).json()["items"]
    assert [(u["code"], u["full_name"]) for u in found] == [("17689", "xã Thuần Trung")]


def test_lineage_answers_where_a_former_unit_went_and_what_a_unit_came_from():
    client = bearer("tiepnhan.vanhien")
    former = AdministrativeUnit.objects.get(import_key="40|thị trấn Đô Lương > xã Đô Lương")
    body = client.get(f"/api/v1/units/{former.pk}/lineage").json()
    assert [u["code"] for u in body["current_successors"]] == ["17662"]
    current = AdministrativeUnit.objects.get(code="17662")
    body = client.get(f"/api/v1/units/{current.pk}/lineage").json()
    names = {step["unit"]["full_name"] for step in body["predecessors"]}
    assert "thị trấn Đô Lương" in names and "huyện Đô Lương" in names
    assert len(names) == 10  # 9 former communes and the former district


def test_me_tells_the_caller_their_roles():
    body = bearer("giamsat").get("/api/v1/me").json()
    assert body["username"] == "giamsat"
    assert body["province_wide"] and body["read_only"] and not body["system_admin"]
    assert [m["role"] for m in body["memberships"]] == ["province_supervisor"]


def test_the_browser_session_also_authenticates():
    client = Client()
    client.force_login(User.objects.get(username="tiepnhan.doluong"))
    assert client.get("/api/v1/me").json()["username"] == "tiepnhan.doluong"


@pytest.mark.parametrize(
    ("headers", "detail_start"),
    [
        ({}, "Hãy gửi mã truy cập"),
        ({"Accept-Language": "en-US,en;q=0.9"}, "Send a valid API token"),
    ],
)
def test_without_credentials_the_answer_is_401_in_the_callers_language(headers, detail_start):
    response = Client(headers=headers).get("/api/v1/agencies")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert body["detail"].startswith(detail_start)


def test_a_revoked_token_is_refused():
    owner = User.objects.get(username="tiepnhan.doluong")
    token, plaintext = services.issue_api_token(owner, owner, "tạm")
    services.revoke_api_token(owner, token.pk)
    response = Client(headers={"Authorization": f"Bearer {plaintext}"}).get("/api/v1/me")
    assert response.status_code == 401


def test_bad_parameters_are_a_422_problem():
    client = bearer("tiepnhan.doluong")
    response = client.get("/api/v1/units", {"status": "sometimes"})
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], response["Content-Type"]) == ("validation_error", PROBLEM)
    assert body["errors"][0]["loc"][-1] == "status"
    response = client.get("/api/v1/units", {"cursor": "!!not-a-cursor"})
    assert (response.status_code, response.json()["code"]) == (422, "invalid_input")
    response = client.get("/api/v1/units", {"limit": 0})
    assert (response.status_code, response.json()["code"]) == (422, "invalid_input")


def test_every_response_carries_a_request_id():
    response = Client(headers={"X-Request-ID": "abc-12345678"}).get("/api/v1/me")
    assert response["X-Request-ID"] == "abc-12345678"
    generated = Client(headers={"X-Request-ID": "bad id;"}).get("/api/v1/me")["X-Request-ID"]
    assert len(generated) == 32


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/units/99999999999999999999999",
        "/api/v1/units?parent_id=99999999999999999999999",
        "/api/v1/agencies?unit_id=-1",
        "/api/v1/units?kind=castle",
        "/api/v1/agencies?tier=heaven",
    ],
)
def test_out_of_range_ids_and_unknown_kinds_are_a_422(url):
    response = bearer("tiepnhan.doluong").get(url)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize(
    ("path", "values"),
    [
        ("/api/v1/units", [None, None, None]),
        ("/api/v1/units", ["a", "b", "x"]),
        ("/api/v1/units", ["commune", "A", 2**70]),
        ("/api/v1/units", ["commune", ["A"], 1]),
        ("/api/v1/agencies", ["commune", "b\u0000", "x"]),
        ("/api/v1/agencies", [1, 2]),
    ],
)
def test_a_forged_cursor_is_a_422(path, values):
    response = bearer("tiepnhan.doluong").get(path, {"cursor": encode_cursor(values)})
    assert (response.status_code, response.json()["code"]) == (422, "invalid_input")


def test_a_nul_byte_in_a_search_is_harmless():
    response = bearer("tiepnhan.doluong").get("/api/v1/units", {"q": "thuan\u0000trung"})
    assert response.status_code == 200  # a control character separates words like a space
    assert [u["code"] for u in response.json()["items"]] == ["17689"]
    assert Client().get("/", {"q": "\u0000"}).status_code == 200


def test_the_orm_rule_and_the_pure_rule_agree_for_every_user_and_agency():
    agencies = list(Agency.objects.select_related("unit"))
    for staff in User.objects.all():
        scope = scope_of(staff)
        visible = set(visible_agencies(staff).values_list("pk", flat=True))
        expected = {a.pk for a in agencies if scope.sees_unit_path(a.unit.path)}
        assert visible == expected, staff.username
