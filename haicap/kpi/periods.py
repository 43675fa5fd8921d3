"""Reporting periods: a month, a quarter, a year or any range of days (pure: no Django).

A **dekad** is a third of a month, as Vietnamese reporting counts it (thượng, trung and hạ
tuần): days 1 to 10, 11 to 20, and 21 to the month's end (8 to 11 days). A dekad is named by
its first day.
The figures keep counters per dekad so that a range of days is added up from a few dekad rows
and the days at its edges, not from every day in it (``haicap/kpi/plan.py``).
"""

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


# A dekad (tuần, "ten days"): days 1–10, 11–20 and 21 to the month's end, as Vietnamese
# reporting counts them. The figures keep a row per dekad so any range is a few days away.


def dekad_of(day: dt.date) -> dt.date:
    """The first day of ``day``'s dekad."""
    return day.replace(day=min(day.day - 1, 20) // 10 * 10 + 1)


def next_dekad(dekad: dt.date) -> dt.date:
    """The first day of the dekad after the one starting on ``dekad``."""
    return next_month(dekad) if dekad.day == 21 else dekad + dt.timedelta(days=10)


def dekad_end(dekad: dt.date) -> dt.date:
    """The last day of the dekad starting on ``dekad``."""
    return next_dekad(dekad) - dt.timedelta(days=1)
