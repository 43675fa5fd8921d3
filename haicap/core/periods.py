"""Reporting periods: a month, a quarter, a year or any range of days (pure: no Django), as the
indicator dashboard and the other apps' figures pages offer them."""

import datetime as dt
from dataclasses import dataclass

KINDS = ("month", "quarter", "year", "range")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def month(year: int, number: int) -> Period:
    first = dt.date(year, number, 1)
    return Period(first, next_month(first) - dt.timedelta(days=1))


def quarter(year: int, number: int) -> Period:
    first = dt.date(year, 3 * (number - 1) + 1, 1)
    return Period(first, next_month(next_month(next_month(first))) - dt.timedelta(days=1))


def year(number: int) -> Period:
    return Period(dt.date(number, 1, 1), dt.date(number, 12, 31))


def months_back(end: dt.date, count: int) -> Period:
    """The ``count`` whole months ending with the month of ``end``."""
    first = end.replace(day=1)
    for _ in range(count - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return Period(first, month(end.year, end.month).end)


def month_starts(period: Period) -> list[dt.date]:
    """The first day of each month the period touches, in order."""
    starts, first = [], period.start.replace(day=1)
    while first <= period.end:
        starts.append(first)
        first = next_month(first)
    return starts


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def previous_month(day: dt.date) -> dt.date:
    """The first day of the month before ``day``'s."""
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def so_far(period: Period, today: dt.date) -> Period | None:
    """The days of ``period`` up to today; ``None`` for a period that has not begun."""
    if period.start > today or period.end < period.start:
        return None
    return Period(period.start, min(period.end, today))
