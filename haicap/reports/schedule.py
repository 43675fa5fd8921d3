"""When a report is due, whether it came in on time, and the province's reporting rates (pure).

A template reports by month, quarter, half-year or year. Its period's report is due
``due_days`` calendar days after the period ends, and counts as late when first submitted after
``late_after_days`` (on or after the due day, so a commune has a few days' grace). As in DHIS2's
reporting rates: *completeness* is the share of expected reports submitted at all, *timeliness*
the share submitted by the late-after day; a report is expected once its period has ended.
A report's first submission counts, even when the province returned it for correction.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from haicap.core import periods as calendar_periods
from haicap.core.periods import Period

REMIND_BEFORE_DAYS = 3  # the commune is reminded this many days before the due day


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"


ROMAN = ("I", "II", "III", "IV")


def period_of(kind: PeriodKind, day: dt.date) -> Period:
    """The period of ``kind`` holding ``day``."""
    if kind == PeriodKind.MONTH:
        return calendar_periods.month(day.year, day.month)
    if kind == PeriodKind.QUARTER:
        return calendar_periods.quarter(day.year, (day.month - 1) // 3 + 1)
    if kind == PeriodKind.HALF_YEAR:
        if day.month <= 6:
            return Period(dt.date(day.year, 1, 1), dt.date(day.year, 6, 30))
        return Period(dt.date(day.year, 7, 1), dt.date(day.year, 12, 31))
    return calendar_periods.year(day.year)


def is_period_start(kind: PeriodKind, day: dt.date) -> bool:
    return period_of(kind, day).start == day


def previous(kind: PeriodKind, period: Period) -> Period:
    return period_of(kind, period.start - dt.timedelta(days=1))


def following(kind: PeriodKind, period: Period) -> Period:
    return period_of(kind, period.end + dt.timedelta(days=1))


def periods_between(kind: PeriodKind, first: dt.date, last: dt.date) -> list[Period]:
    """The periods of ``kind`` from the one holding ``first`` to the one holding ``last``."""
    found, period = [], period_of(kind, first)
    while period.start <= last:
        found.append(period)
        period = following(kind, period)
    return found


def last_ended(kind: PeriodKind, today: dt.date) -> Period:
    """The latest period of ``kind`` that has ended by ``today``."""
    return previous(kind, period_of(kind, today))


def label_vi(kind: PeriodKind, period: Period) -> str:
    """How a Vietnamese report names its period: "tháng 11 năm 2026", "quý IV năm 2026"."""
    year = period.start.year
    if kind == PeriodKind.MONTH:
        return f"tháng {period.start.month} năm {year}"
    if kind == PeriodKind.QUARTER:
        return f"quý {ROMAN[(period.start.month - 1) // 3]} năm {year}"
    if kind == PeriodKind.HALF_YEAR:
        half = "6 tháng đầu năm" if period.start.month == 1 else "6 tháng cuối năm"
        return f"{half} {year}"
    return f"năm {year}"


@dataclass(frozen=True)
class Deadlines:
    due: dt.date  # the day the report is due
    late_after: dt.date  # submitted after this day: late

    @property
    def remind_from(self) -> dt.date:
        return self.due - dt.timedelta(days=REMIND_BEFORE_DAYS)


def deadlines(period: Period, due_days: int, late_after_days: int) -> Deadlines:
    if not 0 <= due_days <= late_after_days:
        raise ValueError("0 ≤ due days ≤ late-after days")
    return Deadlines(
        due=period.end + dt.timedelta(days=due_days),
        late_after=period.end + dt.timedelta(days=late_after_days),
    )


def submit_from(period: Period) -> dt.date:
    """The first day a period's report may be submitted: the day after the period ends, so
    that a month's figures are never frozen before the month is over."""
    return period.end + dt.timedelta(days=1)


class Standing(StrEnum):
    """Where one commune stands for one period."""

    NOT_DUE = "not_due"  # the period has not ended (nothing is expected yet)
    WAITING = "waiting"  # ended, not submitted, not late yet
    ON_TIME = "on_time"  # first submitted by the late-after day
    LATE = "late"  # first submitted after it
    MISSING = "missing"  # not submitted, past the late-after day


FILED = frozenset({Standing.ON_TIME, Standing.LATE})


def standing(
    period: Period, limits: Deadlines, first_submitted: dt.date | None, today: dt.date
) -> Standing:
    """Where a commune stands: ``first_submitted`` is the day of its first submission, if any
    (in Vietnam's calendar). Until the period has ended nothing is expected, whatever was
    submitted, so the rates never count a report that is not due yet."""
    if today <= period.end:
        return Standing.NOT_DUE
    if first_submitted is not None:
        return Standing.ON_TIME if first_submitted <= limits.late_after else Standing.LATE
    return Standing.MISSING if today > limits.late_after else Standing.WAITING


@dataclass(frozen=True)
class Rates:
    """Reporting rates for one period (DHIS2's): over the reports expected."""

    expected: int
    filed: int
    on_time: int

    @property
    def completeness(self) -> Decimal | None:
        return percent(self.filed, self.expected)

    @property
    def timeliness(self) -> Decimal | None:
        return percent(self.on_time, self.expected)

    @property
    def missing(self) -> int:
        return self.expected - self.filed


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in per cent, to one decimal; ``None`` with nothing expected."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def rates(standings: Iterable[Standing]) -> Rates:
    """The rates of one period's standings; a period not ended expects nothing yet."""
    expected = filed = on_time = 0
    for found in standings:
        if found == Standing.NOT_DUE:
            continue
        expected += 1
        filed += found in FILED
        on_time += found == Standing.ON_TIME
    return Rates(expected=expected, filed=filed, on_time=on_time)


class Reminder(StrEnum):
    BEFORE_DUE = "before_due"  # the due day is near, nothing submitted
    OVERDUE = "overdue"  # the due day has passed, nothing submitted


def reminder_due(limits: Deadlines, submitted: bool, today: dt.date) -> Reminder | None:
    """The reminder a commune should have by ``today`` (the worker sends each kind once)."""
    if submitted:
        return None
    if today > limits.due:
        return Reminder.OVERDUE
    if today >= limits.remind_from:
        return Reminder.BEFORE_DUE
    return None
