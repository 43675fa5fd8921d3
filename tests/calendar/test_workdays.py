"""The working-day calendar, against the rules in domain.md and as properties."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haicap.calendar.workdays import (
    STANDARD_SESSIONS,
    VIETNAM,
    Session,
    WorkCalendar,
)

CAL = WorkCalendar.national()
FIFTEEN = dt.time(15, 0)


def at(year, month, day, hour=0, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VIETNAM)


# --- the 2026 calendar (Office of Government letter 9859/VPCP-KGVX) ---------------------------


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2026, 1, 1),  # New Year
        *(dt.date(2026, 2, d) for d in range(16, 21)),  # Tết Bính Ngọ, Mon–Fri
        dt.date(2026, 4, 27),  # Hùng Kings fell on Sunday 26/4: Monday is off
        dt.date(2026, 4, 30),
        dt.date(2026, 5, 1),
        dt.date(2026, 8, 31),  # bridge day, worked on Saturday 22/8
        dt.date(2026, 9, 1),
        dt.date(2026, 9, 2),
        dt.date(2026, 11, 28),  # a Saturday
    ],
)
def test_holidays_and_weekends_are_not_working_days(day):
    assert not CAL.is_working_day(day)


def test_the_saturday_worked_for_the_national_day_bridge_is_a_working_day():
    assert CAL.is_working_day(dt.date(2026, 8, 22))


def test_declared_days_off_and_make_up_days_override_the_national_calendar():
    cal = WorkCalendar.national(
        days_off=[dt.date(2026, 3, 2)], make_up_working_days=[dt.date(2026, 3, 7)]
    )
    assert not cal.is_working_day(dt.date(2026, 3, 2))
    assert cal.is_working_day(dt.date(2026, 3, 7))


def test_a_day_cannot_be_both_off_and_worked():
    with pytest.raises(ValueError, match="both a day off and a make-up"):
        WorkCalendar(days_off=[dt.date(2026, 3, 7)], make_up_working_days=[dt.date(2026, 3, 7)])


def test_sessions_must_not_overlap_or_run_backwards():
    with pytest.raises(ValueError, match="overlap"):
        WorkCalendar([Session(dt.time(7), dt.time(12)), Session(dt.time(11), dt.time(17))])
    with pytest.raises(ValueError, match="ends before it starts"):
        WorkCalendar([Session(dt.time(12), dt.time(8))])


# --- when the clock starts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "starts"),
    [
        (at(2026, 3, 3, 9, 15), at(2026, 3, 3, 9, 15)),  # inside the morning session
        (at(2026, 3, 3, 6, 50), at(2026, 3, 3, 7, 30)),  # before opening
        (at(2026, 3, 3, 11, 30), at(2026, 3, 3, 13, 30)),  # the morning session has just closed
        (at(2026, 3, 3, 12, 10), at(2026, 3, 3, 13, 30)),  # lunch break
        (at(2026, 3, 3, 21, 40), at(2026, 3, 4, 7, 30)),  # filed online at night
        (at(2026, 3, 6, 18, 0), at(2026, 3, 9, 7, 30)),  # Friday evening → Monday
        (at(2026, 2, 14, 10, 0), at(2026, 2, 23, 7, 30)),  # during Tết → first day after
        (at(2026, 8, 22, 9, 0), at(2026, 8, 22, 9, 0)),  # the make-up Saturday is worked
    ],
)
def test_the_clock_starts_inside_office_hours(received, starts):
    assert CAL.clock_start(received) == starts


def test_after_the_cut_off_the_clock_starts_on_the_next_working_day():
    assert CAL.clock_start(at(2026, 3, 3, 15, 1), FIFTEEN) == at(2026, 3, 4, 7, 30)
    assert CAL.clock_start(at(2026, 3, 3, 15, 0), FIFTEEN) == at(2026, 3, 3, 15, 0)  # in time
    assert CAL.clock_start(at(2026, 3, 6, 16, 0), FIFTEEN) == at(2026, 3, 9, 7, 30)


# --- due moments -------------------------------------------------------------------------------


def test_three_working_days_from_monday_ten_is_thursday_ten():
    assert CAL.add(at(2026, 3, 2, 10, 0), 3, "working_days") == at(2026, 3, 5, 10, 0)


def test_a_period_that_spans_tet_skips_it():
    # Friday 13/2/2026 10:00 + 3 working days: 5.5 h on Friday, then Tết and the weekend,
    # 8 h on Monday 23/2 and Tuesday 24/2, the last 2.5 h on Wednesday 25/2.
    assert CAL.add(at(2026, 2, 13, 10, 0), 3, "working_days") == at(2026, 2, 25, 10, 0)


def test_the_make_up_saturday_counts_and_the_bridge_day_does_not():
    # Friday 21/8/2026 08:30 + 2 working days: 7 h on Friday, 8 h on the worked Saturday 22/8,
    # the last hour on Monday 24/8.
    assert CAL.add(at(2026, 8, 21, 8, 30), 2, "working_days") == at(2026, 8, 24, 8, 30)
    # Friday 28/8 10:00 + 1 working day: the next working day is Thursday 3/9.
    assert CAL.add(at(2026, 8, 28, 10, 0), 1, "working_days") == at(2026, 9, 3, 10, 0)


def test_a_day_that_is_used_up_ends_at_the_close_of_office():
    assert CAL.add(at(2026, 3, 2, 7, 30), 1, "working_days") == at(2026, 3, 2, 17, 30)
    assert CAL.add(at(2026, 3, 2, 7, 30), 4, "working_hours") == at(2026, 3, 2, 11, 30)


def test_working_hours_and_fractional_days():
    assert CAL.add(at(2026, 3, 2, 10, 0), 24, "working_hours") == at(2026, 3, 5, 10, 0)
    assert CAL.add(at(2026, 3, 2, 10, 0), Decimal("0.5"), "working_days") == at(2026, 3, 2, 16, 0)


def test_received_at_night_with_one_working_day():
    assert CAL.add(at(2026, 3, 2, 22, 0), 1, "working_days") == at(2026, 3, 3, 17, 30)


def test_received_after_the_cut_off():
    due = CAL.add(at(2026, 3, 2, 15, 30), 1, "working_days", cutoff=FIFTEEN)
    assert due == at(2026, 3, 3, 17, 30)


def test_calendar_days_end_at_the_close_of_the_last_working_day():
    # 105 days from 1/7/2026 is Tuesday 14/10/2026.
    assert CAL.add(at(2026, 7, 1, 9, 0), 105, "calendar_days") == at(2026, 10, 14, 17, 30)
    # 10 days from 19/8/2026 is Saturday 29/8, not worked, then 31/8, 1/9 and 2/9 are off.
    assert CAL.add(at(2026, 8, 19, 9, 0), 10, "calendar_days") == at(2026, 9, 3, 17, 30)


def test_bad_amounts_and_units_are_refused():
    with pytest.raises(ValueError, match="negative"):
        CAL.add(at(2026, 3, 2, 9), -1, "working_days")
    with pytest.raises(ValueError, match="unknown unit"):
        CAL.add(at(2026, 3, 2, 9), 1, "fortnights")
    with pytest.raises(ValueError, match="whole days"):
        CAL.add(at(2026, 3, 2, 9), Decimal("1.5"), "calendar_days")
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.add(dt.datetime(2026, 3, 2, 9), 1, "working_days")


# --- elapsed time ------------------------------------------------------------------------------


def test_a_dossier_filed_today_has_used_less_than_a_day():
    filed = at(2026, 3, 2, 9, 0)
    # 09:00–11:30 and 13:30–17:00: 6 h of 8
    assert CAL.elapsed(filed, at(2026, 3, 2, 17, 0)) == Decimal("0.75")


def test_elapsed_over_a_weekend_and_tet_counts_only_working_time():
    assert CAL.elapsed(at(2026, 2, 13, 17, 30), at(2026, 2, 23, 7, 30)) == 0


def test_a_pause_is_taken_off_once_even_when_pauses_overlap():
    start, end = at(2026, 3, 2, 7, 30), at(2026, 3, 6, 17, 30)
    assert CAL.elapsed(start, end) == 5
    pauses = [
        (at(2026, 3, 3, 7, 30), at(2026, 3, 4, 17, 30)),
        (at(2026, 3, 4, 7, 30), at(2026, 3, 5, 11, 30)),
    ]
    assert CAL.elapsed(start, end, pauses) == Decimal("2.5")


def test_elapsed_runs_backwards_as_a_negative_amount():
    assert CAL.elapsed(at(2026, 3, 3, 7, 30), at(2026, 3, 2, 7, 30)) == -1


# --- properties --------------------------------------------------------------------------------

moments = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 6, 30)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=VIETNAM)
)
day_amounts = st.decimals(min_value=0, max_value=40, places=2)
hour_amounts = st.decimals(min_value=0, max_value=200, places=2)


@settings(max_examples=150, deadline=None)
@given(moments, day_amounts)
def test_elapsed_from_the_start_to_the_due_moment_is_the_amount(start, amount):
    assert CAL.elapsed(start, CAL.add(start, amount, "working_days")) == amount


@settings(max_examples=150, deadline=None)
@given(moments, hour_amounts)
def test_working_hours_round_trip_as_well(start, hours):
    due = CAL.add(start, hours, "working_hours")
    assert CAL.elapsed(start, due) * 8 == hours


@settings(max_examples=150, deadline=None)
@given(moments, moments, day_amounts, day_amounts)
def test_due_moments_never_move_backwards(start_a, start_b, amount_a, amount_b):
    early, late = sorted([start_a, start_b])
    small, big = sorted([amount_a, amount_b])
    assert CAL.add(early, small, "working_days") <= CAL.add(early, big, "working_days")
    assert CAL.add(early, small, "working_days") <= CAL.add(late, small, "working_days")


@settings(max_examples=150, deadline=None)
@given(moments, st.decimals(min_value=Decimal("0.01"), max_value=40, places=2))
def test_a_due_moment_falls_inside_office_hours_of_a_working_day(start, amount):
    due = CAL.add(start, amount, "working_days")
    assert CAL.is_working_day(due.date())
    assert any(s.start < due.time() <= s.end for s in STANDARD_SESSIONS)


@settings(max_examples=100, deadline=None)
@given(moments)
def test_no_working_time_passes_on_a_day_that_is_not_worked(moment):
    day = moment.date()
    whole_day = CAL.elapsed(
        at(day.year, day.month, day.day), at(day.year, day.month, day.day, 23, 59)
    )
    assert (whole_day == 0) == (not CAL.is_working_day(day))


@settings(max_examples=100, deadline=None)
@given(moments, moments, moments)
def test_working_time_adds_up_across_a_midpoint(a, b, c):
    # Exact in microseconds; elapsed() then divides by the length of a day.
    first, middle, last = sorted([a, b, c])
    assert CAL.working_micros(first, middle) + CAL.working_micros(middle, last) == (
        CAL.working_micros(first, last)
    )


# --- counting whole days instead of walking them ---------------------------------------------

moments = st.datetimes(min_value=dt.datetime(2019, 12, 25), max_value=dt.datetime(2031, 1, 5)).map(
    lambda m: m.replace(tzinfo=VIETNAM)
)
declared = st.sets(
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)), max_size=6
)


@settings(max_examples=300)
@given(moments, moments, declared, declared)
def test_working_time_counted_by_whole_days_equals_the_walk_day_by_day(a, b, off, worked):
    calendar = WorkCalendar.national(days_off=off, make_up_working_days=worked - off)
    start, end = sorted((a, b))
    assert calendar.working_micros(start, end) == calendar._micros_day_by_day(start, end)
    days = calendar.working_days_in(start.date(), end.date())
    walked = sum(
        calendar.is_working_day(start.date() + dt.timedelta(days=n))
        for n in range((end.date() - start.date()).days + 1)
    )
    assert days == walked
