"""Which month a disbursement figure reads, against a month-by-month search of the year."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from haicap.budget.months import last_month_ended, month_read
from haicap.budget.pace import month_end

days = st.dates(dt.date(2020, 1, 1), dt.date(2032, 12, 31))


def ended_by(year: int, by: dt.date) -> list[int]:
    return [m for m in range(1, 13) if month_end(year, m) <= by]


@given(st.integers(2020, 2032), days)
def test_the_last_month_ended_is_the_latest_whose_last_day_has_come(year, by):
    ended = ended_by(year, by)
    assert last_month_ended(year, by) == (max(ended) if ended else None)


@given(days, days, days)
def test_a_period_reads_the_last_month_of_its_last_year_over_within_it_by_yesterday(
    start, end, today
):
    yesterday = today - dt.timedelta(days=1)
    over = [m for m in range(1, 13) if start <= month_end(end.year, m) <= min(end, yesterday)]
    expected = (end.year, max(over)) if over and start <= end else None
    assert month_read(start, end, today) == expected


def test_a_months_last_day_ends_it_only_once_it_is_over():
    assert last_month_ended(2025, dt.date(2025, 3, 31)) == 3
    assert last_month_ended(2025, dt.date(2025, 3, 30)) == 2
    assert last_month_ended(2025, dt.date(2025, 1, 30)) is None
    assert last_month_ended(2025, dt.date(2026, 1, 5)) == 12
    quarter = (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    assert month_read(*quarter, dt.date(2025, 9, 30)) == (2025, 8)  # 30 September not over
    assert month_read(*quarter, dt.date(2025, 10, 1)) == (2025, 9)
    assert month_read(*quarter, dt.date(2025, 7, 31)) is None  # July not over yet
