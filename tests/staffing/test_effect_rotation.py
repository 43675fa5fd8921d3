"""The rotation limit of a one-stop desk posting (36 months, Decree 118/2025 Art. 11) and the
window in which a posting or a secondment is warned about (pure)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.staffing.rotation import (
    SHORTEST_LIMIT_DAYS,
    Rotation,
    add_months,
    desk_rotation,
    ends_soon,
    latest_start_warned,
    rotation_limit,
)

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
windows = st.integers(min_value=0, max_value=400)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2026, 3, 15), 36, dt.date(2029, 3, 15)),
        (dt.date(2024, 2, 29), 36, dt.date(2027, 2, 28)),
        (dt.date(2025, 12, 1), 1, dt.date(2026, 1, 1)),
        (dt.date(2026, 5, 9), 0, dt.date(2026, 5, 9)),
    ],
)
def test_months_are_added_on_the_calendar(day, months, expected):
    assert add_months(day, months) == expected


@given(days, st.integers(min_value=0, max_value=120))
def test_adding_months_keeps_the_day_or_ends_the_shorter_month(day, months):
    later = add_months(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day == day.day or (later.day < day.day and (later + dt.timedelta(1)).day == 1)


@given(days)
def test_thirty_six_months_are_never_shorter_than_the_bound_the_query_uses(day):
    assert (rotation_limit(day) - day).days >= SHORTEST_LIMIT_DAYS


def test_a_posting_is_due_within_the_window_before_36_months_and_past_from_then():
    start = dt.date(2023, 4, 10)  # reaches 36 months on 10 April 2026
    assert desk_rotation(start, None, dt.date(2026, 3, 10), 30) is None  # 31 days ahead
    assert desk_rotation(start, None, dt.date(2026, 3, 11), 30) == Rotation.DUE
    assert desk_rotation(start, None, dt.date(2026, 4, 9), 30) == Rotation.DUE
    assert desk_rotation(start, None, dt.date(2026, 4, 10), 30) == Rotation.PAST
    assert desk_rotation(start, None, dt.date(2027, 1, 1), 30) == Rotation.PAST
    # 12 to 33 months: within the range the decree allows, nothing to say
    assert desk_rotation(start, None, dt.date(2024, 6, 1), 30) is None


def test_a_posting_that_has_ended_is_not_warned_about():
    start = dt.date(2023, 4, 10)
    assert desk_rotation(start, dt.date(2026, 4, 30), dt.date(2026, 5, 1), 30) is None
    assert desk_rotation(start, dt.date(2026, 4, 30), dt.date(2026, 4, 30), 30) == Rotation.PAST


@given(days, days, windows)
def test_warned_postings_began_by_the_latest_start_and_are_warned_from_then_on(start, today, warn):
    state = desk_rotation(start, None, today, warn)
    if state is not None:
        assert start <= latest_start_warned(today, warn)
    # once due or past, a running posting stays warned about every day after
    if state is not None:
        assert desk_rotation(start, None, today + dt.timedelta(days=1), warn) is not None
    if state == Rotation.PAST:
        assert today >= rotation_limit(start)
    if state == Rotation.DUE:
        assert 0 < (rotation_limit(start) - today).days <= warn


def test_a_secondment_ends_soon_from_the_window_before_its_last_day_to_that_day():
    start, end = dt.date(2026, 4, 1), dt.date(2026, 9, 30)
    assert not ends_soon(start, end, dt.date(2026, 8, 30), 30)  # 31 days left
    assert ends_soon(start, end, dt.date(2026, 8, 31), 30)
    assert ends_soon(start, end, end, 30)
    assert not ends_soon(start, end, dt.date(2026, 10, 1), 30)  # over
    assert ends_soon(start, start, start, 0)  # a one-day secondment, on its day


@given(days, st.integers(min_value=0, max_value=400), days, windows)
def test_only_a_running_secondment_ends_soon_and_stays_so(start, length, today, warn):
    end = start + dt.timedelta(days=length)
    if ends_soon(start, end, today, warn):
        assert start <= today <= end
        assert ends_soon(start, end, today, warn + 1)
        assert ends_soon(start, end, min(end, today + dt.timedelta(days=1)), warn)


def test_negative_windows_and_months_are_refused():
    with pytest.raises(ValueError):
        add_months(dt.date(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        desk_rotation(dt.date(2020, 1, 1), None, dt.date(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        ends_soon(dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 1, 5), -1)
