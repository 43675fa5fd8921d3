"""Whole working days, the apology's last day and where each day off comes from (pure core)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haicap.calendar.workdays import (
    VIETNAM,
    DaySource,
    DayStatus,
    WorkCalendar,
    vietnam_public_holidays,
)
from haicap.dossiers.timeliness import Timeliness, classify

CAL = WorkCalendar.national()
FIFTEEN = dt.time(15, 0)
WHOLE = "whole_working_days"


def at(year, month, day, hour=0, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VIETNAM)


# --- whole working days: "within the day, or the next working day after 15:00" ----------------


@pytest.mark.parametrize(
    ("received", "n", "due"),
    [
        (at(2026, 3, 2, 9, 0), 1, at(2026, 3, 2, 17, 30)),  # Monday 09:00: the close of Monday
        (at(2026, 3, 2, 15, 0), 1, at(2026, 3, 2, 17, 30)),  # 15:00 itself is still in time
        (at(2026, 3, 2, 15, 1), 1, at(2026, 3, 3, 17, 30)),  # after 15:00: Tuesday
        (at(2026, 3, 2, 22, 0), 1, at(2026, 3, 3, 17, 30)),  # online at night: Tuesday
        (at(2026, 3, 6, 16, 0), 1, at(2026, 3, 9, 17, 30)),  # Friday after 15:00: Monday
        (at(2026, 3, 7, 9, 0), 1, at(2026, 3, 9, 17, 30)),  # a Saturday: Monday
        (at(2026, 3, 2, 9, 0), 3, at(2026, 3, 4, 17, 30)),  # Mon, Tue, Wed
        (at(2026, 2, 13, 10, 0), 2, at(2026, 2, 23, 17, 30)),  # Friday, then Tết, then Monday
        (at(2026, 8, 21, 16, 0), 1, at(2026, 8, 22, 17, 30)),  # the make-up Saturday is worked
        (at(2026, 8, 28, 9, 0), 2, at(2026, 9, 3, 17, 30)),  # Fri 28/8, then Thu 3/9
    ],
)
def test_whole_working_days_end_at_the_close_of_the_nth_working_day(received, n, due):
    assert CAL.add(received, n, WHOLE, cutoff=FIFTEEN) == due


def test_without_a_cut_off_a_late_afternoon_receipt_is_due_the_same_day():
    assert CAL.add(at(2026, 3, 2, 16, 0), 1, WHOLE) == at(2026, 3, 2, 17, 30)


def test_one_whole_day_is_not_one_working_day_counted_in_hours():
    assert CAL.add(at(2026, 3, 2, 9, 0), 1, "working_days") == at(2026, 3, 3, 9, 0)
    assert CAL.add(at(2026, 3, 2, 9, 0), 1, WHOLE) == at(2026, 3, 2, 17, 30)


@pytest.mark.parametrize("n", [0, -1, Decimal("1.5"), Decimal("0.5"), Decimal("NaN")])
def test_whole_working_days_are_whole_and_at_least_one(n):
    with pytest.raises(ValueError, match="whole number, 1 or more"):
        CAL.add(at(2026, 3, 2, 9, 0), n, WHOLE)


def test_elapsed_and_timeliness_work_for_whole_days():
    received = at(2026, 3, 2, 9, 0)
    due = CAL.add(received, 1, WHOLE, cutoff=FIFTEEN)  # Monday 17:30
    # 09:00–11:30 and 13:30–17:30: 6.5 working hours of 8
    assert CAL.elapsed(received, due) == Decimal("6.5") / 8
    assert classify(at(2026, 3, 2, 17, 30), due, VIETNAM) is Timeliness.ON_TIME
    assert classify(at(2026, 3, 2, 17, 31), due, VIETNAM) is Timeliness.LATE
    due_two = CAL.add(received, 2, WHOLE)  # Tuesday 17:30
    assert classify(at(2026, 3, 2, 16, 0), due_two, VIETNAM) is Timeliness.EARLY


# --- the apology's last moment ----------------------------------------------------------------


def test_the_apology_is_due_by_the_close_of_the_working_day_before_the_due_day():
    # due Thursday 5/3 10:00: the last moment is Wednesday 4/3 17:30
    assert CAL.close_of_day_before(at(2026, 3, 5, 10, 0)) == at(2026, 3, 4, 17, 30)
    # due Monday 9/3: the working day before is Friday 6/3
    assert CAL.close_of_day_before(at(2026, 3, 9, 17, 30)) == at(2026, 3, 6, 17, 30)
    # due Thursday 3/9/2026, after the National Day break: Friday 28/8
    assert CAL.close_of_day_before(at(2026, 9, 3, 9, 0)) == at(2026, 8, 28, 17, 30)


# --- where each day off comes from ------------------------------------------------------------


def _by_date(year: int) -> dict[dt.date, tuple[DaySource, DayStatus, bool]]:
    return {d.date: (d.source, d.status, d.working) for d in CAL.days_of_year(year)}


def test_the_2026_days_and_their_sources():
    days = _by_date(2026)
    assert days[dt.date(2026, 1, 1)] == (DaySource.LABOUR_CODE, DayStatus.IN_FORCE, False)
    assert days[dt.date(2026, 2, 17)] == (DaySource.LABOUR_CODE, DayStatus.IN_FORCE, False)
    # the bridge day and the Saturday worked for it: Office of Government letter 9859/VPCP-KGVX
    assert days[dt.date(2026, 8, 31)] == (DaySource.GOVERNMENT_NOTICE, DayStatus.IN_FORCE, False)
    assert days[dt.date(2026, 8, 22)] == (DaySource.GOVERNMENT_NOTICE, DayStatus.IN_FORCE, True)
    # Vietnam Culture Day: a policy, not (yet) in the Labour Code
    assert days[dt.date(2026, 11, 24)] == (DaySource.POLICY, DayStatus.PROVISIONAL, False)


def test_a_year_not_yet_announced_is_an_estimate_except_its_fixed_holidays():
    days = _by_date(2027)
    assert days[dt.date(2027, 1, 1)][0] is DaySource.LABOUR_CODE
    assert days[dt.date(2027, 4, 30)][0] is DaySource.LABOUR_CODE
    assert days[dt.date(2027, 9, 2)][0] is DaySource.LABOUR_CODE
    for estimated in (dt.date(2027, 2, 8), dt.date(2027, 9, 3), dt.date(2027, 5, 3)):
        assert days[estimated] == (DaySource.ESTIMATE, DayStatus.PROVISIONAL, False)


def test_the_province_confirms_or_removes_a_provisional_day():
    culture_day = dt.date(2026, 11, 24)  # a Tuesday
    confirmed = WorkCalendar.national(confirmed_days=[culture_day])
    removed = WorkCalendar.national(removed_days=[culture_day])
    assert not confirmed.is_working_day(culture_day)
    assert removed.is_working_day(culture_day)
    assert {d.date: d.status for d in confirmed.days_of_year(2026)}[culture_day] == (
        DayStatus.CONFIRMED
    )
    assert {d.date: d.status for d in removed.days_of_year(2026)}[culture_day] == (
        DayStatus.REMOVED
    )
    # Removing a holiday that falls on a weekend leaves the weekend off.
    sunday = dt.date(2027, 2, 7)
    assert not WorkCalendar.national(removed_days=[sunday]).is_working_day(sunday)


def test_a_province_declaration_is_listed_as_the_province_s_word():
    cal = WorkCalendar.national(days_off=[dt.date(2026, 3, 2)])
    assert _by_date_of(cal, 2026)[dt.date(2026, 3, 2)] == DaySource.PROVINCE


def _by_date_of(cal: WorkCalendar, year: int) -> dict[dt.date, DaySource]:
    return {d.date: d.source for d in cal.days_of_year(year)}


def test_a_due_date_that_crosses_a_provisional_day_says_so():
    # Monday 23/11/2026 09:00 + 2 whole working days: Monday, then Culture Day, then Wednesday
    received = at(2026, 11, 23, 9, 0)
    due = CAL.add(received, 2, WHOLE)
    assert due == at(2026, 11, 25, 17, 30)
    assert CAL.provisional_days_crossed(received, due) == [dt.date(2026, 11, 24)]
    # confirmed, it is no longer provisional; removed, it is worked and the due date moves
    confirmed = WorkCalendar.national(confirmed_days=[dt.date(2026, 11, 24)])
    assert confirmed.provisional_days_crossed(received, due) == []
    removed = WorkCalendar.national(removed_days=[dt.date(2026, 11, 24)])
    assert removed.add(received, 2, WHOLE) == at(2026, 11, 24, 17, 30)
    # Tết 2027 is an estimate; its weekend days are off either way and are not named
    crossed = CAL.provisional_days_crossed(at(2027, 2, 3, 9, 0), at(2027, 2, 11, 17, 30))
    assert crossed == [dt.date(2027, 2, d) for d in (4, 5, 8, 9, 10)]
    assert CAL.provisional_days_crossed(at(2026, 3, 2, 9, 0), at(2026, 3, 4, 17, 30)) == []


def test_the_package_records_2026_as_announced():
    assert dt.date(2026, 8, 22) in vietnam_public_holidays(2026).make_up_working_days
    assert vietnam_public_holidays(2026).provisional == frozenset({dt.date(2026, 11, 24)})


# --- properties --------------------------------------------------------------------------------

moments = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 6, 30)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=VIETNAM)
)
whole = st.integers(min_value=1, max_value=30)
cutoffs = st.one_of(st.none(), st.times(min_value=dt.time(7), max_value=dt.time(18)))


@settings(max_examples=200, deadline=None)
@given(moments, whole, cutoffs)
def test_a_whole_day_limit_ends_at_the_close_of_a_working_day(start, n, cutoff):
    due = CAL.add(start, n, WHOLE, cutoff=cutoff)
    assert CAL.is_working_day(due.date())
    assert due.timetz().replace(tzinfo=None) == dt.time(17, 30)
    assert due >= CAL.clock_start(start, cutoff)


@settings(max_examples=200, deadline=None)
@given(moments, whole, cutoffs)
def test_one_more_whole_day_is_the_next_working_day(start, n, cutoff):
    due = CAL.add(start, n, WHOLE, cutoff=cutoff)
    later = CAL.add(start, n + 1, WHOLE, cutoff=cutoff)
    assert later > due
    assert later.date() == CAL.next_working_day(due.date())


@settings(max_examples=200, deadline=None)
@given(moments, whole, cutoffs)
def test_n_whole_days_span_exactly_n_working_days(start, n, cutoff):
    first = CAL.clock_start(start, cutoff).date()
    due = CAL.add(start, n, WHOLE, cutoff=cutoff)
    assert CAL.working_days_in(first, due.date()) == n


@settings(max_examples=200, deadline=None)
@given(moments)
def test_before_the_cut_off_on_a_working_day_one_whole_day_is_due_that_day(moment):
    if CAL.is_working_day(moment.date()) and moment.time() <= FIFTEEN:
        assert CAL.add(moment, 1, WHOLE, cutoff=FIFTEEN) == CAL.close_of(moment.date())
    elif CAL.is_working_day(moment.date()):
        assert CAL.add(moment, 1, WHOLE, cutoff=FIFTEEN) == CAL.close_of(
            CAL.next_working_day(moment.date())
        )


@settings(max_examples=200, deadline=None)
@given(moments)
def test_the_apology_deadline_is_a_close_before_the_due_day(due):
    last = CAL.close_of_day_before(due)
    assert last.date() < due.date()
    assert CAL.is_working_day(last.date())
    between = (last.date() + dt.timedelta(days=1), due.date() - dt.timedelta(days=1))
    assert CAL.working_days_in(*between) == 0


@settings(max_examples=100, deadline=None)
@given(moments, whole)
def test_provisional_days_crossed_are_weekday_days_off_in_the_span(start, n):
    due = CAL.add(start, n, WHOLE)
    for day in CAL.provisional_days_crossed(start, due):
        assert start.date() <= day <= due.date()
        assert day.weekday() < 5 and not CAL.is_working_day(day)
