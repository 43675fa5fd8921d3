"""The take-over record pages and API: Finance opens a record and sets destinations, a leader
signs it (refused while an asset has none, naming it), then it is frozen (409); a commune sees
the records handing something to it, and no other (404)."""

import datetime as dt
import json

import pytest
from django.utils import translation

from haicap.assets.models import Movement, TakeoverRecord
from haicap.assets.services import takeover
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from tests.assets.takeover_world import (
    BACH_NGOC_PPC,
    DO_LUONG_PPC,
    HEALTH,
    agency,
    district_assets,
    finance_world,
    former_district,
)
from tests.conftest import client_for

NOW = dt.datetime(2025, 7, 20, 9, 0, tzinfo=VIETNAM)
PAGES = "/desk/tai-san/ban-giao/"
API = "/api/v1/assets/takeovers"


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(db):
    return finance_world()


@pytest.fixture
def assets(db):
    return district_assets()


@pytest.fixture
def record(people, assets) -> TakeoverRecord:
    record = takeover.open_record(people.specialist, former_district())
    lines = {line.asset_id: line for line in record.lines.all()}
    for asset, code in (
        (assets.office, DO_LUONG_PPC),
        (assets.car, HEALTH),
        (assets.computer, BACH_NGOC_PPC),
    ):
        takeover.set_destination(people.specialist, lines[asset.pk], destination=agency(code))
    return record  # the scanner has no destination


def english(username: str):
    client = client_for(username)
    client.cookies["django_language"] = "en"
    return client


def line_id(record: TakeoverRecord, asset) -> int:
    return record.lines.get(asset=asset).pk


def test_finance_opens_a_record_for_an_abolished_unit_from_the_list(people, assets):
    client = english(people.specialist.username)
    page = client.get(PAGES)
    assert page.status_code == 200 and 'data-testid="open-record"' in page.content.decode()
    district = former_district()
    response = client.post(f"{PAGES}mo/", {"unit": district.pk})
    record = TakeoverRecord.objects.get(former_unit=district)
    assert response.status_code == 302 and response["Location"] == f"{PAGES}{record.pk}/"
    detail = client.get(response["Location"]).content.decode()
    for asset in vars(assets).values():
        assert f'data-asset="{asset.identifier}"' in detail
    # a commune has no such form and cannot open one
    commune = english(people.do_luong.username)
    assert 'data-testid="open-record"' not in commune.get(PAGES).content.decode()
    assert commune.post(f"{PAGES}mo/", {"unit": district.pk}).status_code == 404


def test_a_destination_is_chosen_on_the_page(people, assets, record):
    client = english(people.specialist.username)
    line = line_id(record, assets.scanner)
    page = client.get(f"{PAGES}{record.pk}/").content.decode()
    # the communes formed from the district, the province's agencies and the disposals
    for offered in (f"agency:{BACH_NGOC_PPC}", f"agency:{HEALTH}", "disposal:sale"):
        assert f'value="{offered}"' in page
    response = client.post(f"{PAGES}{record.pk}/tai-san/{line}/", {"destination": "disposal:sale"})
    assert response.status_code == 302 and response["Location"].endswith(f"#line-{line}")
    assert record.lines.get(pk=line).disposal == "sale"
    refused = client.post(
        f"{PAGES}{record.pk}/tai-san/{line}/", {"destination": "agency:000.99.00.H40"}
    )
    assert (
        refused.status_code == 422
        and "There is no agency 000.99.00.H40" in refused.content.decode()
    )


def test_the_signature_is_refused_on_the_page_naming_the_asset_then_given(people, assets, record):
    leader = english(people.leader.username)
    with clock.fixed_at(NOW):
        refused = leader.post(
            f"{PAGES}{record.pk}/ky/", {"on": "2025-07-15", "number": "15/BB-STC"}
        )
    assert refused.status_code == 409
    error = refused.content.decode()
    assert f"{assets.scanner.identifier} Máy quét Fujitsu fi-7160" in error
    assert 'data-testid="record-error"' in error
    takeover.set_destination(
        people.specialist, record.lines.get(asset=assets.scanner), disposal="liquidation"
    )
    with clock.fixed_at(NOW):
        signed = leader.post(f"{PAGES}{record.pk}/ky/", {"on": "2025-07-15", "number": "15/BB-STC"})
    assert signed.status_code == 302
    page = leader.get(f"{PAGES}{record.pk}/").content.decode()
    assert "Signed: no. 15/BB-STC of 15/07/2025" in page
    assert 'data-testid="sign-form"' not in page and "destination-select" not in page
    assert Movement.objects.filter(decision="15/BB-STC").count() == 4


def test_a_specialist_or_a_supervisor_cannot_sign(people, record):
    for username in (people.specialist.username, "giamsat"):
        client = english(username)
        assert 'data-testid="sign-form"' not in client.get(f"{PAGES}{record.pk}/").content.decode()
        with clock.fixed_at(NOW):
            answer = client.post(f"{PAGES}{record.pk}/ky/", {"on": "2025-07-15", "number": "1"})
        assert answer.status_code == 403
    record.refresh_from_db()
    assert not record.signed


def sign_all(people, assets, record):
    takeover.set_destination(
        people.specialist, record.lines.get(asset=assets.scanner), disposal="sale"
    )
    with clock.fixed_at(NOW):
        takeover.sign(people.leader, record, on=dt.date(2025, 7, 15), number="15/BB-STC")


def test_once_signed_every_edit_on_the_pages_is_refused(people, assets, record):
    sign_all(people, assets, record)
    client = english(people.specialist.username)
    line = line_id(record, assets.car)
    for url, data in (
        (f"{PAGES}{record.pk}/tai-san/{line}/", {"destination": f"agency:{DO_LUONG_PPC}"}),
        (f"{PAGES}{record.pk}/cac-ben/", {"handed_by": "A", "received_by": "B"}),
    ):
        answer = client.post(url, data)
        assert answer.status_code == 409, url
        assert "it can no longer change" in answer.content.decode()
    assert record.lines.get(pk=line).destination.code == HEALTH


def test_a_commune_sees_the_records_handing_it_something_and_no_other(people, record):
    bach_ngoc = english(people.bach_ngoc.username)  # the computer goes to xã Bạch Ngọc
    assert f'data-testid="takeover-{record.pk}"' in bach_ngoc.get(PAGES).content.decode()
    page = bach_ngoc.get(f"{PAGES}{record.pk}/")
    assert page.status_code == 200
    assert "destination-select" not in page.content.decode()  # it reads, it does not edit
    van_hien = english(people.van_hien.username)
    assert f'data-testid="takeover-{record.pk}"' not in van_hien.get(PAGES).content.decode()
    assert van_hien.get(f"{PAGES}{record.pk}/").status_code == 404
    assert english("giamsat").get(f"{PAGES}{record.pk}/").status_code == 200


def test_the_list_filters_signed_and_unsigned_records(people, assets, record):
    client = english(people.specialist.username)
    marker = f'data-testid="takeover-{record.pk}"'
    assert marker in client.get(PAGES, {"signed": "no"}).content.decode()
    assert marker not in client.get(PAGES, {"signed": "yes"}).content.decode()
    sign_all(people, assets, record)
    assert marker in client.get(PAGES, {"signed": "yes"}).content.decode()


# --- the API -----------------------------------------------------------------------------------


def test_the_api_lists_and_reads_records_as_the_pages_do(people, assets, record):
    found = client_for(people.specialist.username).get(API).json()
    (item,) = [i for i in found["items"] if i["id"] == record.pk]
    assert (item["former_unit"], item["asset_count"], item["without_destination"]) == (
        "huyện Đô Lương",
        4,
        1,
    )
    assert (item["original_total"], item["remaining_total"]) == (13_330_500_000, 3_369_300_000)
    assert client_for(people.van_hien.username).get(API).json()["items"] == []
    assert client_for(people.van_hien.username).get(f"{API}/{record.pk}").status_code == 404
    detail = client_for(people.bach_ngoc.username).get(f"{API}/{record.pk}").json()
    lines = {line["identifier"]: line for line in detail["lines"]}
    assert lines[assets.computer.identifier]["destination_code"] == BACH_NGOC_PPC
    assert lines[assets.scanner.identifier]["destination_code"] is None


def patch(client, url: str, body: dict):
    return client.patch(url, json.dumps(body), content_type="application/json")


def test_the_api_refuses_the_signature_naming_the_asset_then_signs_then_freezes(
    people, assets, record
):
    leader = client_for(people.leader.username)
    specialist = client_for(people.specialist.username)
    sign_body = {"on": "2025-07-15", "number": "15/BB-STC"}
    with clock.fixed_at(NOW):
        refused = leader.post(f"{API}/{record.pk}/sign", sign_body, content_type="application/json")
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["code"] == "takeover_without_destination"
    assert assets.scanner.identifier in problem["detail"]
    line = line_id(record, assets.scanner)
    answer = patch(specialist, f"{API}/{record.pk}/lines/{line}", {"disposal": "liquidation"})
    assert answer.status_code == 200 and answer.json()["disposal"] == "liquidation"
    with clock.fixed_at(NOW):
        signed = leader.post(f"{API}/{record.pk}/sign", sign_body, content_type="application/json")
    assert signed.status_code == 200
    assert (signed.json()["signed_on"], signed.json()["signed_by"]) == (
        "2025-07-15",
        people.leader.username,
    )
    for url, body in (
        (f"{API}/{record.pk}/lines/{line}", {"destination_code": DO_LUONG_PPC}),
        (f"{API}/{record.pk}", {"handed_by": "A", "received_by": "B"}),
    ):
        frozen = patch(specialist, url, body)
        assert (frozen.status_code, frozen.json()["code"]) == (409, "takeover_signed")
    with clock.fixed_at(NOW):
        again = leader.post(f"{API}/{record.pk}/sign", sign_body, content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (409, "takeover_signed")


def test_the_api_opens_a_record_and_refuses_an_abolished_units_agency_as_destination(
    people, assets
):
    client = client_for(people.specialist.username)
    opened = client.post(
        API, {"former_unit_id": former_district().pk}, content_type="application/json"
    )
    assert opened.status_code == 200 and len(opened.json()["lines"]) == 4
    record_id = opened.json()["id"]
    line = opened.json()["lines"][0]["id"]
    refused = patch(client, f"{API}/{record_id}/lines/{line}", {"destination_code": "nope"})
    assert refused.status_code == 422
    both = patch(
        client,
        f"{API}/{record_id}/lines/{line}",
        {"destination_code": HEALTH, "disposal": "sale"},
    )
    assert both.status_code == 422
    commune = client_for(people.do_luong.username)
    assert (
        commune.post(
            API, {"former_unit_id": former_district().pk}, content_type="application/json"
        ).status_code
        == 404
    )
