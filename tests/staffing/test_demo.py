"""The demo's staff: the six communes of the former Đô Lương district short of the fields their
inspection found, a few mountain communes short too far from any spare officer for a plan to
reach, the rest of the province covered; two officers at every commune's one-stop desk, a few
due for rotation or past it; and Home Affairs' approved plan covering the six from departments
and better-staffed communes, with the seconded land officer's account at work in the host
commune."""

import datetime as dt

import pytest

from haicap.accounts.models import Membership, User
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.context import acting_as
from haicap.staffing import selectors
from haicap.staffing.demo import SECONDED_ACCOUNT, SHORT, load_demo_plan, load_demo_staff
from haicap.staffing.models import Officer, Secondment, SecondmentPlan
from haicap.staffing.standings import province_standings
from haicap.units.kinds import AgencyKind
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
REMOTE = {  # mountain communes of Kỳ Sơn, Tương Dương and Quế Phong, hours from spare officers
    "16813": {"DATDAI", "YTE"},
    "16870": {"GIAODUC"},
    "16882": {"CNTT", "YTE"},
    "16933": {"XAYDUNG"},
    "16744": {"DATDAI"},
}


@pytest.fixture
def staffed():
    with clock.fixed_at(dt.datetime.combine(TODAY, dt.time(9), VIETNAM)), acting_as("test"):
        yield load_demo_staff()


@pytest.fixture
def planned(staffed):
    with clock.fixed_at(dt.datetime.combine(TODAY, dt.time(9), VIETNAM)), acting_as("test"):
        yield load_demo_plan()


def short_fields(standings, unit_id: int) -> dict[str, int]:
    return {code: s.gap for (unit, code), s in standings.cells.items() if unit == unit_id and s.gap}


def by_code(codes) -> dict[str, int]:
    return {u.code: u.pk for u in AdministrativeUnit.objects.filter(code__in=codes)}


def test_the_six_and_the_remote_communes_lack_what_they_lack_and_no_other_commune_lacks(staffed):
    assert set(SHORT) == set(INSPECTED)
    standings = province_standings(TODAY)
    units = by_code([*INSPECTED, *REMOTE])
    for code, fields in INSPECTED.items():
        assert set(short_fields(standings, units[code])) == fields, code
    for code, fields in REMOTE.items():
        assert short_fields(standings, units[code]) == dict.fromkeys(fields, 1), code
    others = [u for u in standings.communes if u.code not in INSPECTED and u.code not in REMOTE]
    assert len(others) == 130 - 6 - 5
    assert all(not short_fields(standings, u.pk) for u in others)
    assert load_demo_staff() is None  # loaded once


def test_every_communes_one_stop_desk_has_its_two_officers_a_few_due_for_rotation(staffed):
    desk_staff = Officer.objects.filter(position__field__code="MOTCUA").select_related("agency")
    assert {o.agency.kind for o in desk_staff} == {AgencyKind.COMMUNE_SERVICE_CENTER}
    assert all(o.agency.is_one_stop_desk and o.desk_posting_from for o in desk_staff)
    assert desk_staff.values("agency").distinct().count() == 130
    assert desk_staff.count() == 2 * 130
    standings = province_standings(TODAY)
    desks = [s for (_unit, code), s in standings.cells.items() if code == "MOTCUA"]
    assert len(desks) == 130 and all((s.norm, s.gap) == (2, 0) for s in desks)
    home_affairs = User.objects.get(username="chuyenvien.sonoivu")
    with clock.fixed_at(dt.datetime.combine(TODAY, dt.time(9), VIETNAM)):
        rotations = selectors.staff_warnings(home_affairs, TODAY).rotations
    past = [r for r in rotations if r.past]
    due = [r for r in rotations if not r.past]
    # of every 25 communes by code, the 1st's past its limit, the 13th's due: 130 communes
    assert (len(past), len(due)) == (6, 5)
    assert all(r.limit <= TODAY for r in past)
    assert all(TODAY < r.limit <= TODAY + dt.timedelta(days=30) for r in due)


def test_the_approved_plan_covers_the_six_leaves_the_remote_short_and_puts_the_demo_officer_to_work(
    planned,
):
    plan = SecondmentPlan.objects.get()
    assert plan.status == SecondmentPlan.Status.APPROVED
    assert planned.secondments == 10  # one officer per gap of the six
    assert planned.gap_left == sum(len(fields) for fields in REMOTE.values())
    assert planned.from_departments >= 1
    secondments = Secondment.objects.filter(plan=plan)
    assert all(s.decision_number and s.start_date <= TODAY <= s.end_date for s in secondments)
    assert {s.to_agency.unit.code for s in secondments} <= set(INSPECTED)
    standings = province_standings(TODAY)
    units = by_code([*INSPECTED, *REMOTE])
    for code in INSPECTED:
        assert short_fields(standings, units[code]) == {}, code
    for code, fields in REMOTE.items():
        assert set(short_fields(standings, units[code])) == fields, code
    # the gap table's "only communes short" lists the remote communes, and them only
    home_affairs = User.objects.get(username="chuyenvien.sonoivu")
    table = selectors.gap_table(home_affairs, short_only=True, on=TODAY)
    assert {c.code for c in table.communes} == set(REMOTE)
    officer = Officer.objects.get(user__username=SECONDED_ACCOUNT)
    seconded = secondments.get(officer=officer)
    assert Membership.objects.filter(
        user=officer.user, agency=seconded.to_agency, role="specialist"
    ).exists()
    assert planned.granted == 1  # the only seconded officer with an account
    # the others have none: the warnings page says their hosts cannot give them work yet
    with clock.fixed_at(dt.datetime.combine(TODAY, dt.time(9), VIETNAM)):
        unaccounted = selectors.staff_warnings(home_affairs, TODAY).without_account
    assert len(unaccounted) == 9
