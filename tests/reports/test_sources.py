"""The sources the other apps register for a commune report's cells: staffing, assets, capital
and feedback. Each reads the commune's figure for the period as the app's own worlds work it
out by hand, and links to a page that answers and lists that commune's records (not another
commune's) for an officer who may see them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from haicap.assets.models import Asset
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.report_sources import report_sources
from haicap.reports.services import filing
from tests.reports import world as reports_world

pytestmark = pytest.mark.django_db

APP_SOURCES = {
    "staffing": {"staffing.officers", "staffing.gap"},
    "assets": {
        "assets.equipment_gap",
        "assets.gap.computer",
        "assets.gap.scanner",
        "assets.gap.printer",
        "assets.gap.receipt_printer",
        "assets.gap.queue_kiosk",
    },
    "budget": {"budget.disbursement_rate"},
    "feedback": {
        "feedback.satisfaction_rate",
        "feedback.petitions_answered_on_time",
        "feedback.petitions_overdue",
        "feedback.petitions_received",
        "feedback.petitions_answered",
    },
}


def read(key: str, unit_id: int, start: dt.date, end: dt.date, **params: str):
    source = report_sources.get(key)
    return source.value(unit_id, params, start, end), source.records(unit_id, params, start, end)


def opened(user, address: str) -> str:
    """The page at ``address`` as ``user`` reads it (in English); it must answer."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("app", sorted(APP_SOURCES))
def test_each_app_registers_its_sources_under_stable_keys(app):
    registered = {s.key for s in report_sources.all() if s.key.startswith(f"{app}.")}
    assert registered == APP_SOURCES[app]


def test_a_field_narrows_the_staffing_and_satisfaction_figures_only():
    takes_field = {s.key for s in report_sources.all() if s.params}
    assert {"staffing.officers", "staffing.gap", "feedback.satisfaction_rate"} <= takes_field
    assert not takes_field & (APP_SOURCES["assets"] | APP_SOURCES["budget"])
    assert "feedback.petitions_received" not in takes_field


# --- staffing (tests/staffing/gap_world: the staff alone, on 1 April 2026) -------------------


def test_officers_and_the_staffing_gap_of_a_commune_link_to_its_officers():
    from tests.staffing import gap_world

    made = gap_world.build_world()
    do_luong, bach_ngoc = made.communes.do_luong.pk, made.communes.bach_ngoc.pk
    april = (dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    with clock.fixed_at(gap_world.at(4, 1)):
        # Đô Lương: land An (Bình seconded out), IT Cúc and Dũng; no dossiers, so land's norm is
        # the minimum 1: nothing lacking
        officers, officers_page = read("staffing.officers", do_luong, *april)
        land, land_page = read("staffing.officers", do_luong, *april, field="DATDAI")
        gap, _page = read("staffing.gap", do_luong, *april)
        # Bạch Ngọc: a fixed 4 land officers, Giang alone (3 lacking); IT Hùng, seconded in
        short, short_page = read("staffing.gap", bach_ngoc, *april)
        short_land, standing_page = read("staffing.gap", bach_ngoc, *april, field="DATDAI")
    assert (officers, land, gap, short, short_land) == (3, 1, 0, 3, 3)

    listed = opened(made.authority, officers_page)
    for name in ("Nguyễn Văn An", "Trần Văn Bình", "Lê Thị Cúc", "Phạm Văn Dũng"):
        assert name in listed
    assert "Hồ Thị Giang" not in listed  # Bạch Ngọc's
    land_only = opened(made.authority, land_page)
    assert "Nguyễn Văn An" in land_only and "Lê Thị Cúc" not in land_only
    table = opened(made.authority, short_page)
    assert 'data-testid="row-17623"' in table and 'data-testid="row-17662"' not in table
    assert "Hồ Thị Giang" in opened(made.authority, standing_page)
    # the commune's own leader opens the same list (what their scope shows of it)
    assert "Lê Thị Cúc" in opened(reports_world.people().do_luong_leader, officers_page)


# --- assets (tests/assets/gap_world: on 15 April 2026) ---------------------------------------


def test_equipment_gaps_of_a_commune_link_to_its_row_and_its_items():
    from tests.assets import gap_world

    quarter = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    with clock.fixed_at(dt.datetime(2026, 4, 15, 9, tzinfo=VIETNAM)):
        made = gap_world.build_world()
        van_hien, do_luong = made.communes.van_hien.pk, made.communes.do_luong.pk
        # Văn Hiến: its one scanner unusable (1), 7 computers (0), no printer (5)
        total, row_page = read("assets.equipment_gap", van_hien, *quarter)
        scanners, items_page = read("assets.gap.scanner", van_hien, *quarter)
        printers, _page = read("assets.gap.printer", do_luong, *quarter)
        kiosks, _page = read("assets.gap.queue_kiosk", van_hien, *quarter)
    assert (total, scanners, printers, kiosks) == (6, 1, 1, None)  # no norm for a kiosk
    row = opened(made.specialist, row_page)
    assert 'data-testid="row-17677"' in row and 'data-testid="row-17662"' not in row
    items = opened(made.specialist, items_page)
    unusable = Asset.objects.get(kind=made.kinds.scanner, holder__unit_id=van_hien)
    assert f'data-testid="item-{unusable.pk}"' in items
    assert f'data-testid="item-{made.broken_scanner.pk}"' not in items  # Đô Lương's


# --- capital (tests/budget/open_data_world: 2025, read on 5 October) --------------------------


def test_the_disbursement_rate_links_to_the_month_it_reads_by_investing_commune():
    from tests.budget import open_data_world
    from tests.budget.world import BACH_HA, DO_LUONG, unit

    made = open_data_world.make()
    third_quarter = (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    with clock.fixed_at(dt.datetime(2025, 10, 5, 9, tzinfo=VIETNAM)):
        rate, page = read("budget.disbursement_rate", unit(DO_LUONG).pk, *third_quarter)
        bach_ha, _page = read("budget.disbursement_rate", unit(BACH_HA).pk, *third_quarter)
        # the road: 1,000 of its 10,000 million by September; the school 1,500 of 5,000
        assert (rate, bach_ha) == (Decimal("10.00"), Decimal("30.00"))
        assert "year=2025&month=9&by=commune" in page
        finance = opened(made.who.finance, page)
        own = opened(made.who.do_luong, page)
    assert f'data-testid="group-{unit(DO_LUONG).pk}"' in finance
    assert f'data-testid="group-{unit(DO_LUONG).pk}"' in own
    assert f'data-testid="group-{unit(BACH_HA).pk}"' not in own


def test_before_a_month_of_the_period_is_over_the_link_reads_its_last_month():
    from tests.budget.world import DO_LUONG, unit

    with clock.fixed_at(dt.datetime(2026, 11, 20, 9, tzinfo=VIETNAM)):
        rate, page = read(
            "budget.disbursement_rate",
            unit(DO_LUONG).pk,
            dt.date(2026, 11, 1),
            dt.date(2026, 11, 30),
        )
    assert rate is None and "year=2026&month=11" in page


# --- feedback (tests/feedback/figures_world: March 2026, read on 1 April) ---------------------


def test_petition_counts_and_rates_of_a_commune_link_to_the_figures_and_the_queue(user):
    from tests.feedback import figures_world
    from tests.feedback.test_figures_page import table
    from tests.feedback.world import DO_LUONG, VAN_HIEN, unit

    made = figures_world.make(user)
    do_luong, van_hien = unit(DO_LUONG).pk, unit(VAN_HIEN).pk
    with clock.fixed_at(figures_world.APRIL_FIRST):
        found = {
            key: read(key, do_luong, *figures_world.MARCH)[0] for key in APP_SOURCES["feedback"]
        }
        received_there, _page = read("feedback.petitions_received", van_hien, *figures_world.MARCH)
        _value, figures_page = read("feedback.petitions_received", do_luong, *figures_world.MARCH)
        _value, queue_page = read("feedback.petitions_overdue", do_luong, *figures_world.MARCH)
        figures = opened(made.people.do_luong_leader, figures_page)
        queue = opened(made.people.supervisor, queue_page)
        own_queue = opened(made.people.do_luong_leader, queue_page)
    # P1 P2 P3 P5 P6 received; P1 answered on time, P2 late; P3 overdue; 1 of 3 due answered
    # by the deadline; 2 ratings, 1 satisfied
    assert found == {
        "feedback.petitions_received": 5,
        "feedback.petitions_answered": 2,
        "feedback.petitions_overdue": 1,
        "feedback.petitions_answered_on_time": Decimal("33.33"),
        "feedback.satisfaction_rate": Decimal("50.00"),
    }
    assert received_there == 1  # P4
    assert "kind=range&start=2026-03-01&end=2026-03-31" in figures_page
    places = {row[0]: row[1] for row in table(figures, "petitions-place")}
    assert places["xã Đô Lương"] == "5"
    for listing in (queue, own_queue):  # the supervisor by the filter, the commune its own
        assert f'data-code="{made.p3.code}"' in listing
        assert f'data-code="{made.p4.code}"' not in listing  # Văn Hiến's, answered
        assert f'data-code="{made.p5.code}"' not in listing  # within its deadline


def test_a_period_not_begun_has_no_petition_count():
    from tests.feedback.world import DO_LUONG, unit

    with clock.fixed_at(dt.datetime(2026, 11, 20, 9, tzinfo=VIETNAM)):
        value, _page = read(
            "feedback.petitions_answered",
            unit(DO_LUONG).pk,
            dt.date(2026, 12, 1),
            dt.date(2026, 12, 31),
        )
    assert value is None


# --- a report's cells pre-filled from them -------------------------------------------------------


def test_a_template_names_the_apps_sources_and_a_report_opens_with_their_links():
    cells = [
        {"key": key.replace(".", "_"), "label": key, "kind": "number", "source": {"key": key}}
        | ({"unit": "%"} if key.endswith("_rate") else {})  # a share says it is one
        for key in (
            "staffing.officers",
            "assets.equipment_gap",
            "budget.disbursement_rate",
            "feedback.petitions_received",
        )
    ]
    reports_world.publish({"sections": [{"key": "nguon", "title": "Nguồn", "cells": cells}]})
    people = reports_world.people()
    report = reports_world.open_november(people.do_luong)
    readings = {key: entry.reading for key, entry in filing.entries_of(report).items()}
    commune = reports_world.unit(reports_world.DO_LUONG).pk
    assert readings["staffing_officers"].records.endswith(f"/nhan-su/can-bo/?commune={commune}")
    assert readings["assets_equipment_gap"].records.endswith(
        "/tai-san/thieu-hut/?q=%C4%90%C3%B4+L%C6%B0%C6%A1ng"
    )
    assert "month=11" in readings["budget_disbursement_rate"].records
    # the tests' province has no petition: none received in November, read on 1 December
    assert readings["feedback_petitions_received"].value == 0
    assert readings["feedback_petitions_received"].read_at == reports_world.at(12, 1)
