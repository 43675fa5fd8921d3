"""The surplus offices' pages and API: the list filtered by status and commune and exported to
Excel with the columns provinces report, a plan set by Finance, progress from the responsible
agency, closing; a commune sees only the plans of offices it holds or is responsible for."""

import datetime as dt
import json
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from haicap.assets.models import Asset, Disposal, DisposalPlan, DisposalUpdate
from haicap.assets.services import disposal
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from tests.assets.takeover_world import (
    BACH_NGOC_PPC,
    DO_LUONG_PPC,
    agency,
    finance_world,
    kinds,
    make_asset,
    merged_commune,
)
from tests.conftest import client_for

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM)
PAGES = "/desk/tai-san/tru-so-doi-du/"
API = "/api/v1/assets/disposal-plans"


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def office(name: str, holder: str, area: str = "420.5") -> Asset:
    return make_asset(
        kinds()["TRUSO"],
        name,
        origin=merged_commune(),
        holder=agency(holder),
        original=4_200_000_000,
        remaining=1_100_000_000,
        status=Asset.Status.SURPLUS,
        address=f"Trung tâm {name}",
        area_m2=area,
    )


@pytest.fixture
def world(db):
    people = finance_world()
    do_luong = disposal.create_plan(
        people.specialist,
        office("Trụ sở xã Bắc Sơn cũ", DO_LUONG_PPC),
        method=Disposal.SALE,
        deadline=dt.date(2026, 6, 30),
        responsible=agency(DO_LUONG_PPC),
        decision="120/QĐ-UBND",
    )
    bach_ngoc = disposal.create_plan(
        people.specialist,
        office("Trụ sở xã Giang Sơn Đông cũ", BACH_NGOC_PPC, "300.0"),
        method=Disposal.REUSE,
        deadline=dt.date(2026, 1, 31),
        responsible=agency(BACH_NGOC_PPC),
    )
    with clock.fixed_at(NOW):
        disposal.post_progress(
            people.do_luong, do_luong, text="Đã định giá tài sản", on=dt.date(2026, 2, 20)
        )
    return people, do_luong, bach_ngoc


def english(username: str):
    client = client_for(username)
    client.cookies["django_language"] = "en"
    return client


def shown_offices(page: str) -> set[str]:
    return {
        plan.office.identifier
        for plan in DisposalPlan.objects.select_related("office")
        if f'data-office="{plan.office.identifier}"' in page
    }


def test_the_list_filters_by_status_and_commune(world):
    people, do_luong, bach_ngoc = world
    client = english(people.specialist.username)
    with clock.fixed_at(NOW):
        everything = client.get(PAGES).content.decode()
        overdue = client.get(PAGES, {"status": "overdue"}).content.decode()
        in_commune = client.get(PAGES, {"commune": agency(DO_LUONG_PPC).unit_id}).content.decode()
    assert shown_offices(everything) == {do_luong.office.identifier, bach_ngoc.office.identifier}
    assert shown_offices(overdue) == {bach_ngoc.office.identifier}
    assert 'data-status="overdue"' in overdue and "In progress, overdue" in overdue
    assert shown_offices(in_commune) == {do_luong.office.identifier}
    assert "Đã định giá tài sản" in everything


def test_the_export_has_the_columns_provinces_report(world):
    people, do_luong, bach_ngoc = world
    with clock.fixed_at(NOW):
        response = english(people.specialist.username).get(PAGES, {"export": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="tru-so-doi-du-20260302.xlsx"'
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == (
        "Office",
        "Address",
        "Floor area (m²)",
        "Former unit",
        "What it becomes",
        "Responsible agency",
        "Deadline",
        "Status",
        "Last progress",
    )
    by_office = {row[0]: row for row in rows[1:]}
    assert by_office[f"{bach_ngoc.office.identifier} Trụ sở xã Giang Sơn Đông cũ"][1:] == (
        "Trung tâm Trụ sở xã Giang Sơn Đông cũ",
        300.0,
        "xã Bắc Sơn",
        "Reuse for another public purpose",
        "Ủy ban nhân dân xã Bạch Ngọc",
        "31/01/2026",  # dd/mm/yyyy as the other exports
        "In progress, overdue",
        None,
    )
    row = by_office[f"{do_luong.office.identifier} Trụ sở xã Bắc Sơn cũ"]
    assert row[4:] == (
        "Sale",
        "Ủy ban nhân dân xã Đô Lương",
        "30/06/2026",
        "In progress, within the deadline",
        "20/02/2026: Đã định giá tài sản",
    )
    # filtered, the export holds the rows the page shows
    with clock.fixed_at(NOW):
        overdue = english(people.specialist.username).get(
            PAGES, {"export": "xlsx", "status": "overdue"}
        )
    rows = list(load_workbook(BytesIO(overdue.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [
        f"{bach_ngoc.office.identifier} Trụ sở xã Giang Sơn Đông cũ"
    ]


def test_a_commune_sees_its_plans_and_no_other(world):
    people, do_luong, bach_ngoc = world
    client = english(people.do_luong.username)
    assert shown_offices(client.get(PAGES).content.decode()) == {do_luong.office.identifier}
    assert client.get(f"{PAGES}{do_luong.pk}/").status_code == 200
    assert client.get(f"{PAGES}{bach_ngoc.pk}/").status_code == 404
    assert client.post(f"{PAGES}{bach_ngoc.pk}/tien-do/", {"text": "x"}).status_code == 404
    assert english(people.van_hien.username).get(f"{PAGES}{do_luong.pk}/").status_code == 404
    assert client.get(f"{PAGES}moi/").status_code == 403


def test_finance_sets_a_plan_on_the_page(world):
    people, _do_luong, _bach_ngoc = world
    new = office("Trụ sở xã Đà Sơn cũ", DO_LUONG_PPC)
    client = english(people.specialist.username)
    assert f"{new.identifier} Trụ sở xã Đà Sơn cũ" in client.get(f"{PAGES}moi/").content.decode()
    data = {
        "office": new.pk,
        "method": "demolition",
        "deadline": "2026-09-30",
        "responsible": agency(DO_LUONG_PPC).pk,
        "decision": "130/QĐ-UBND",
        "idempotency_key": "page-key-1",
    }
    response = client.post(f"{PAGES}moi/", data)
    plan = DisposalPlan.objects.get(office=new)
    assert response.status_code == 302 and response["Location"] == f"{PAGES}{plan.pk}/"
    assert (plan.method, plan.deadline) == ("demolition", dt.date(2026, 9, 30))
    # the form sent twice makes one plan
    assert client.post(f"{PAGES}moi/", data).status_code == 302
    assert DisposalPlan.objects.filter(office=new).count() == 1


def test_the_responsible_commune_reports_progress_and_finance_closes_the_plan(world):
    people, do_luong, _bach_ngoc = world
    commune = english(people.do_luong.username)
    page = commune.get(f"{PAGES}{do_luong.pk}/").content.decode()
    assert 'data-testid="progress-form"' in page and 'data-testid="close-form"' not in page
    with clock.fixed_at(NOW):
        answer = commune.post(
            f"{PAGES}{do_luong.pk}/tien-do/", {"text": "Đã đấu giá", "idempotency_key": "p-1"}
        )
        assert answer.status_code == 302
        commune.post(
            f"{PAGES}{do_luong.pk}/tien-do/", {"text": "Đã đấu giá", "idempotency_key": "p-1"}
        )
        finance = english(people.specialist.username)
        closed = finance.post(f"{PAGES}{do_luong.pk}/dong/", {"outcome": "achieved"})
        assert closed.status_code == 302
        page = finance.get(f"{PAGES}{do_luong.pk}/").content.decode()
    assert do_luong.updates.filter(text="Đã đấu giá").count() == 1
    assert 'data-status="done_on_time"' in page and "Done on time" in page
    assert 'data-testid="progress-form"' not in page
    assert Asset.objects.get(pk=do_luong.office_id).status == Asset.Status.DISPOSED
    with clock.fixed_at(NOW):
        late = commune.post(f"{PAGES}{do_luong.pk}/tien-do/", {"text": "Thêm"})
    assert late.status_code == 409 and "The disposal plan is closed." in late.content.decode()


# --- the API -----------------------------------------------------------------------------------


def post(client, url: str, body: dict, key: str = ""):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_the_api_lists_plans_with_status_and_last_progress(world):
    people, do_luong, bach_ngoc = world
    with clock.fixed_at(NOW):
        found = client_for(people.specialist.username).get(API).json()["items"]
        overdue = client_for(people.specialist.username).get(API, {"status": "overdue"}).json()
    assert [item["id"] for item in found] == [bach_ngoc.pk, do_luong.pk]  # by deadline
    first = found[1]
    assert (first["status"], first["last_progress"], first["last_progress_on"]) == (
        "in_progress",
        "Đã định giá tài sản",
        "2026-02-20",
    )
    assert (first["former_unit"], first["area_m2"], first["method"]) == (
        "xã Bắc Sơn",
        "420.5",
        "sale",
    )
    assert [item["id"] for item in overdue["items"]] == [bach_ngoc.pk]
    mine = client_for(people.bach_ngoc.username).get(API).json()["items"]
    assert [item["id"] for item in mine] == [bach_ngoc.pk]
    assert client_for(people.bach_ngoc.username).get(f"{API}/{do_luong.pk}").status_code == 404


def test_the_api_creates_a_plan_and_posts_progress_once_per_key_and_closes(world):
    people, _do_luong, _bach_ngoc = world
    finance = client_for(people.specialist.username)
    new = office("Trụ sở xã Lưu Sơn cũ", DO_LUONG_PPC)
    body = {
        "office_id": new.pk,
        "method": "transfer",
        "deadline": "2026-12-31",
        "responsible_code": DO_LUONG_PPC,
    }
    created = post(finance, API, body, key="create-1")
    assert created.status_code == 201
    again = post(finance, API, body, key="create-1")
    assert (again.status_code, again.json()["id"]) == (201, created.json()["id"])
    plan_id = created.json()["id"]
    refused = post(finance, API, {**body, "method": "liquidation"}, key="create-2")
    assert refused.status_code == 422
    commune = client_for(people.do_luong.username)
    with clock.fixed_at(NOW):
        update = post(commune, f"{API}/{plan_id}/updates", {"text": "Đã bàn giao"}, key="u-1")
        repeat = post(commune, f"{API}/{plan_id}/updates", {"text": "Đã bàn giao"}, key="u-1")
        other = post(commune, f"{API}/{plan_id}/updates", {"text": "Khác"}, key="u-1")
        outsider = post(
            client_for(people.van_hien.username), f"{API}/{plan_id}/updates", {"text": "x"}
        )
        closing = post(finance, f"{API}/{plan_id}/close", {"outcome": "not_achieved"})
        closed_again = post(finance, f"{API}/{plan_id}/close", {"outcome": "achieved"})
    assert update.status_code == 201 and repeat.json()["id"] == update.json()["id"]
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert outsider.status_code == 404
    assert DisposalUpdate.objects.filter(plan_id=plan_id).count() == 1
    assert (closing.status_code, closing.json()["status"]) == (200, "not_achieved")
    assert closed_again.status_code == 409
