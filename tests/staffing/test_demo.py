"""The demo's staff: the six communes of the former Đô Lương district short of the fields their
inspection found, the rest of the province covered, and Home Affairs' approved plan covering the
six from departments and better-staffed communes, with the seconded land officer's account at
work in the host commune."""

import datetime as dt

import pytest

from haicap.accounts.models import Membership
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.context import acting_as
from haicap.staffing.demo import SECONDED_ACCOUNT, SHORT, load_demo_plan, load_demo_staff
from haicap.staffing.models import Officer, Secondment, SecondmentPlan
from haicap.staffing.standings import province_standings
from haicap.units.models import AdministrativeUnit

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 7)
INSPECTED = {  # the fields the inspection found each commune short of, land besides
    "17662": {"DATDAI", "XAYDUNG"},
    "17623": {"DATDAI", "CNTT"},
    "17677": {"DATDAI"},
    "17707": {"DATDAI"},
    "17689": {"DATDAI", "YTE"},
    "17641": {"DATDAI", "GIAODUC"},
}


@pytest.fixture
def staffed():
    with clock.fixed_at(dt.datetime.combine(TODAY, dt.time(9), VIETNAM)), acting_as("test"):
        yield load_demo_staff()


def short_fields(standings, unit_id: int) -> set[str]:
    return {code for (unit, code), s in standings.cells.items() if unit == unit_id and s.gap}


def test_the_six_communes_lack_what_their_inspection_found_and_no_other_commune_lacks(staffed):
    assert set(SHORT) == set(INSPECTED)
    standings = province_standings(TODAY)
    by_code = {u.code: u.pk for u in AdministrativeUnit.objects.filter(code__in=INSPECTED)}
    for code, fields in INSPECTED.items():
        assert short_fields(standings, by_code[code]) == fields, code
    others = [u for u in standings.communes if u.code not in INSPECTED]
    assert len(others) == 124
    assert all(not short_fields(standings, u.pk) for u in others)
    assert load_demo_staff() is None  # loaded once


def test_the_approved_plan_covers_the_six_and_puts_the_demo_officer_to_work(staffed):
    with clock.fixed_at(dt.datetime.combine(TODAY, dt.time(9), VIETNAM)), acting_as("test"):
        loaded = load_demo_plan()
    plan = SecondmentPlan.objects.get()
    assert plan.status == SecondmentPlan.Status.APPROVED
    assert loaded.gap_left == 0 and loaded.secondments == 10  # one officer per gap
    assert loaded.from_departments >= 1
    secondments = Secondment.objects.filter(plan=plan)
    assert all(s.decision_number and s.start_date <= TODAY <= s.end_date for s in secondments)
    standings = province_standings(TODAY)
    for unit in AdministrativeUnit.objects.filter(code__in=INSPECTED):
        assert short_fields(standings, unit.pk) == set(), unit.code
    officer = Officer.objects.get(user__username=SECONDED_ACCOUNT)
    seconded = secondments.get(officer=officer)
    assert Membership.objects.filter(
        user=officer.user, agency=seconded.to_agency, role="specialist"
    ).exists()
    assert loaded.granted == 1  # the only seconded officer with an account
