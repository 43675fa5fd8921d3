"""Disbursement against the plan, without Django: the share disbursed, and whether a project
keeps the pace the province expects at a month's end.

Shares are percentages as ``Decimal`` rounded half up to two places; amounts are whole đồng.
"""

import calendar
import datetime as dt
import itertools
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDREDTH = Decimal("0.01")


def share(disbursed: int, plan: int) -> Decimal | None:
    """``disbursed`` as a percentage of ``plan``; None when there is no plan to measure against
    (nothing planned, or a plan reduced to nothing or below)."""
    if plan <= 0:
        return None
    return (Decimal(disbursed) * 100 / Decimal(plan)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def behind(disbursed: int, plan: int, expected: Decimal) -> bool:
    """Below the expected share at the month's end (a project with no plan is not behind).
    Compared exactly, not on the rounded share: 39.999995 % is behind a 40 % pace."""
    return plan > 0 and Decimal(disbursed) * 100 < expected * Decimal(plan)


def above_plan(disbursed: int, plan: int) -> bool:
    """More disbursed than the plan in force (a plan cut below what was already spent, or
    nothing planned): to be corrected, whatever the pace; such a project is never behind."""
    return disbursed > 0 and disbursed > plan


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


MONTHS = range(1, 13)


def in_force_by_month(year: int, dated: Iterable[tuple[dt.date, int]]) -> list[int]:
    """The plan in force at the end of each month of ``year`` (twelve figures), from its
    entries' decision days and amounts: an entry counts from the month it was decided in (one
    decided before the year counts from January)."""
    ends = [month_end(year, month) for month in MONTHS]
    return [sum(amount for day, amount in dated if day <= end) for end in ends]


def cumulative(by_month: Mapping[int, int]) -> list[int]:
    """What was disbursed from January to the end of each month (twelve figures), from what
    was disbursed in each month."""
    running, totals = 0, []
    for month in MONTHS:
        running += by_month.get(month, 0)
        totals.append(running)
    return totals


def expected_amount(plan: int, expected: Decimal | None) -> int | None:
    """The đồng the pace expects disbursed of ``plan`` (rounded half up), None when no pace."""
    if expected is None:
        return None
    return int((Decimal(plan) * expected / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def falls(shares: Mapping[int, Decimal]) -> list[tuple[int, int]]:
    """Where the expected shares fall: each (month, later month) pair of months set one after
    the other (months without a share are passed over) whose later share is the smaller. The
    pace is cumulative, so it never falls."""
    months = sorted(shares)
    return [
        (earlier, later)
        for earlier, later in itertools.pairwise(months)
        if shares[later] < shares[earlier]
    ]


def over_plan(cumulative_by_month: Sequence[int], plan_by_month: Sequence[int]) -> int | None:
    """The first month whose disbursement from January exceeds the plan in force at its end,
    or None: what is disbursed never exceeds what is planned."""
    for month, (disbursed, plan) in enumerate(
        zip(cumulative_by_month, plan_by_month, strict=True), start=1
    ):
        if disbursed > plan:
            return month
    return None


@dataclass
class Tally:
    """A group's sums: the plan in force and what was disbursed, and how many projects."""

    plan: int = 0
    disbursed: int = 0
    projects: int = 0

    def add(self, plan: int, disbursed: int) -> None:
        self.plan += plan
        self.disbursed += disbursed
        self.projects += 1

    @property
    def share(self) -> Decimal | None:
        return share(self.disbursed, self.plan)


def tally(rows: Iterable[tuple[Hashable, int, int]]) -> dict[Hashable, Tally]:
    """Sums of (group, plan, disbursed) rows by group, in the order groups first appear."""
    groups: dict[Hashable, Tally] = {}
    for key, plan, disbursed in rows:
        groups.setdefault(key, Tally()).add(plan, disbursed)
    return groups
