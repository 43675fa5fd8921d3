"""Reporting periods (``core.periods``: a month, a quarter, a year or any range of days) and
kpi's dekads (pure: no Django).

A **dekad** is a third of a month, as Vietnamese reporting counts it (thượng, trung and hạ
tuần): days 1 to 10, 11 to 20, and 21 to the month's end (8 to 11 days). A dekad is named by
its first day.
The figures keep counters per dekad so that a range of days is added up from a few dekad rows
and the days at its edges, not from every day in it (``haicap/kpi/plan.py``).
"""

import datetime as dt

# The periods themselves are shared with the other apps' figures (``core.periods``).
from haicap.core.periods import (
    KINDS,
    Period,
    month,
    month_starts,
    months_back,
    next_month,
    previous_month,
    quarter,
    so_far,
    year,
)

__all__ = [
    "KINDS",
    "Period",
    "dekad_end",
    "dekad_of",
    "month",
    "month_starts",
    "months_back",
    "next_dekad",
    "next_month",
    "previous_month",
    "quarter",
    "so_far",
    "year",
]


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
