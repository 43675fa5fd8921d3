"""The feedback figures a directive's target can be bound to, against the March worked out by
hand in ``figures_world``."""

import datetime as dt
from decimal import Decimal

import pytest

from haicap.core import clock
from haicap.core.measures import Unit, measures
from haicap.feedback.measures import (
    MEASURES,
    PETITIONS_ANSWERED_ON_TIME,
    PETITIONS_OVERDUE,
    SATISFACTION_RATE,
)
from haicap.oversight.directive_forms import DirectiveForm
from haicap.oversight.models import Finding
from haicap.units.models import AdministrativeUnit, Agency
from tests.feedback import figures_world
from tests.feedback.figures_world import APRIL_FIRST, MARCH
from tests.feedback.world import DO_LUONG, VAN_HIEN, at, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user):
    return figures_world.make(user)


def value(measure, code: str | None, field: str | None = None, period=MARCH):
    return measure.value(unit(code).pk if code else None, field, *period)


def test_the_measures_are_registered_and_offered_to_a_directive():
    for measure in MEASURES:
        assert measures.get(measure.key) is measure
    assert (SATISFACTION_RATE.unit, SATISFACTION_RATE.higher_is_better) == (Unit.PERCENT, True)
    assert SATISFACTION_RATE.reads_field
    on_time = PETITIONS_ANSWERED_ON_TIME
    assert (on_time.unit, on_time.higher_is_better, on_time.reads_field) == (
        Unit.PERCENT,
        True,
        False,
    )
    assert (PETITIONS_OVERDUE.unit, PETITIONS_OVERDUE.higher_is_better) == (Unit.COUNT, False)
    assert not PETITIONS_OVERDUE.reads_field
    form = DirectiveForm(
        agencies=Agency.objects.none(),
        findings=Finding.objects.none(),
        communes=AdministrativeUnit.objects.none(),
    )
    offered = {key for key, _label in form.fields["measure"].choices}
    assert {m.key for m in MEASURES} <= offered


def test_a_communes_values_and_the_provinces(world):
    with clock.fixed_at(APRIL_FIRST):
        assert value(SATISFACTION_RATE, DO_LUONG) == Decimal("50.00")
        assert value(SATISFACTION_RATE, VAN_HIEN) == Decimal("100.00")
        assert value(SATISFACTION_RATE, None) == Decimal("66.67")
        assert value(PETITIONS_ANSWERED_ON_TIME, DO_LUONG) == Decimal("33.33")
        assert value(PETITIONS_ANSWERED_ON_TIME, None) == Decimal("60.00")
        assert value(PETITIONS_OVERDUE, DO_LUONG) == Decimal(1)  # P3
        assert value(PETITIONS_OVERDUE, VAN_HIEN) == Decimal(0)
        assert value(PETITIONS_OVERDUE, None) == Decimal(1)


def test_a_field_narrows_the_satisfaction_to_its_dossiers(world):
    field = world.a.procedure.field.code
    with clock.fixed_at(APRIL_FIRST):
        assert value(SATISFACTION_RATE, None, field) == Decimal("50.00")  # A and B, not P4
        assert value(SATISFACTION_RATE, VAN_HIEN, field) is None  # rated only a petition


def test_overdue_is_read_at_the_end_of_the_period_and_there_is_nothing_before_it_begins(world):
    first_half = (dt.date(2026, 3, 1), dt.date(2026, 3, 15))
    with clock.fixed_at(APRIL_FIRST):
        # on 15 March nothing was past its deadline yet (16 and 17 March)
        assert value(PETITIONS_OVERDUE, DO_LUONG, period=first_half) == Decimal(0)
        assert value(PETITIONS_ANSWERED_ON_TIME, DO_LUONG, period=first_half) is None
    with clock.fixed_at(at(3, 18, 9)):  # P2 and P3 were both open past 16 March
        assert value(PETITIONS_OVERDUE, DO_LUONG) == Decimal(2)
        assert value(SATISFACTION_RATE, DO_LUONG, period=(dt.date(2026, 4, 1),) * 2) is None
