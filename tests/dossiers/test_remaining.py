"""Remaining working time split into whole days and hours (the pure core behind the queues)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from haicap.dossiers.remaining import HOURS_PER_WORKING_DAY, remaining

working_days = st.decimals(min_value=-400, max_value=400, places=4, allow_nan=False)


@given(working_days)
def test_days_and_hours_add_up_to_the_whole_hours_of_the_span(span: Decimal):
    left = remaining(span)
    whole_hours = int(abs(span) * HOURS_PER_WORKING_DAY)  # truncation is a floor for |span|
    assert left.days * HOURS_PER_WORKING_DAY + left.hours == whole_hours
    assert 0 <= left.hours < HOURS_PER_WORKING_DAY


@given(working_days)
def test_only_a_past_due_moment_is_overdue(span: Decimal):
    assert remaining(span).overdue == (span < 0)


@given(working_days, working_days)
def test_more_time_left_never_reads_as_less(a: Decimal, b: Decimal):
    low, high = sorted((a, b))
    if low >= 0:
        before, after = remaining(low), remaining(high)
        assert (before.days, before.hours) <= (after.days, after.hours)


def test_examples_from_the_desk():
    assert remaining(Decimal("1.375")) == remaining(Decimal("1.4"))  # 1 day 3 hours
    assert (remaining(Decimal("1.375")).days, remaining(Decimal("1.375")).hours) == (1, 3)
    assert remaining(Decimal("-2")).overdue and remaining(Decimal("-2")).days == 2
    assert remaining(Decimal("0.1")).under_an_hour and not remaining(Decimal("0.1")).overdue
