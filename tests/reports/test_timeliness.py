"""The directive measure ``reports.timeliness``: the share of a commune's expected reports over
the target's period first submitted by their late-after day, worked out by hand.

The tests' template is monthly, filed by Đô Lương, Văn Hiến and Bạch Hà, due 5 days after the
month and late after 7. In the fourth quarter of 2026, read on 10 December (October and
November have ended, December has not):

    commune    October (late after 7/11)   November (late after 7/12)   on time
    Đô Lương   submitted 3/11              submitted 3/12               2 of 2
    Văn Hiến   submitted 6/11              submitted 9/12 (late)        1 of 2
    Bạch Hà    nothing                     nothing                      0 of 2
    province                                                            3 of 6
"""

import datetime as dt
from decimal import Decimal

import pytest

from haicap.core import clock
from haicap.core.measures import Unit, measures
from haicap.oversight.directive_forms import DirectiveForm
from haicap.oversight.models import Finding
from haicap.reports.measures import TIMELINESS, reporting_rates
from haicap.reports.services import filing
from haicap.units.models import AdministrativeUnit, Agency
from tests.reports import world

pytestmark = pytest.mark.django_db
FOURTH_QUARTER = (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
READ_ON = world.at(12, 10)
OCTOBER = dt.date(2026, 10, 1)


def filed(writer, leader, commune: str, month_start: dt.date, opened, submitted) -> None:
    with clock.fixed_at(opened):
        report = filing.open_report(writer, world.CODE, world.unit(commune).pk, month_start)
    report = world.fill(report, writer, when=opened)
    with clock.fixed_at(submitted):
        filing.submit(leader, report)


@pytest.fixture
def quarter():
    people = world.people()
    world.publish()
    do_luong = (people.do_luong, people.do_luong_leader, world.DO_LUONG)
    van_hien = (people.van_hien, people.van_hien_leader, world.VAN_HIEN)
    filed(*do_luong, OCTOBER, world.at(11, 2), world.at(11, 3))
    filed(*do_luong, world.NOVEMBER.start, world.at(12, 1), world.at(12, 3))
    filed(*van_hien, OCTOBER, world.at(11, 2), world.at(11, 6, 16))
    filed(*van_hien, world.NOVEMBER.start, world.at(12, 1), world.at(12, 9))
    return people


def value(code: str | None, period=FOURTH_QUARTER) -> Decimal | None:
    with clock.fixed_at(READ_ON):
        return TIMELINESS.value(world.unit(code).pk if code else None, None, *period)


def test_the_measure_is_registered_and_offered_to_a_directives_target():
    assert measures.get("reports.timeliness") is TIMELINESS
    assert (TIMELINESS.unit, TIMELINESS.higher_is_better) == (Unit.PERCENT, True)
    assert TIMELINESS.reads_field is False
    form = DirectiveForm(
        agencies=Agency.objects.none(),
        findings=Finding.objects.none(),
        communes=AdministrativeUnit.objects.none(),
    )
    assert "reports.timeliness" in {key for key, _label in form.fields["measure"].choices}


def test_each_communes_share_filed_on_time_and_the_provinces(quarter):
    assert value(world.DO_LUONG) == Decimal("100.0")
    assert value(world.VAN_HIEN) == Decimal("50.0")
    assert value(world.BACH_HA) == Decimal("0.0")
    assert value(None) == Decimal("50.0")
    with clock.fixed_at(READ_ON):
        rates = reporting_rates(None, *FOURTH_QUARTER, READ_ON.date())
    assert (rates.expected, rates.filed, rates.on_time) == (6, 4, 3)


def test_a_report_is_expected_once_its_period_has_ended_even_within_its_grace_days(quarter):
    bach_ha = world.unit(world.BACH_HA).pk
    on_the_last_day = reporting_rates(bach_ha, *FOURTH_QUARTER, dt.date(2026, 11, 30))
    due_today = reporting_rates(bach_ha, *FOURTH_QUARTER, dt.date(2026, 12, 5))
    assert (on_the_last_day.expected, on_the_last_day.on_time) == (1, 0)  # October's
    assert (due_today.expected, due_today.on_time) == (2, 0)  # November's too, not yet filed


def test_only_periods_ending_in_the_targets_period_count(quarter):
    november = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert value(world.VAN_HIEN, november) == Decimal("0.0")  # late in November
    assert value(world.VAN_HIEN, (dt.date(2026, 10, 15), dt.date(2026, 11, 14))) == Decimal(
        "100.0"
    )  # October's report only: November's ends after


def test_nothing_to_measure_where_nothing_was_expected(quarter):
    assert value("17641") is None  # Lương Sơn files none of the tests' reports
    assert value(world.DO_LUONG, (dt.date(2027, 1, 1), dt.date(2027, 3, 31))) is None
    december = (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert value(world.DO_LUONG, december) is None  # December has not ended
