"""Disbursement against the plan, without Django: the share disbursed, and whether a project
keeps the pace the province expects at a month's end.

Shares are percentages as ``Decimal`` rounded half up to two places; amounts are whole đồng.
"""

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

HUNDREDTH = Decimal("0.01")


def share(disbursed: int, plan: int) -> Decimal | None:
    """``disbursed`` as a percentage of ``plan``; None when there is no plan to measure against
    (nothing planned, or a plan reduced to nothing or below)."""
    if plan <= 0:
        return None
    return (Decimal(disbursed) * 100 / Decimal(plan)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def behind(disbursed: int, plan: int, expected: Decimal) -> bool:
    """Below the expected share at the month's end (a project with no plan is not behind)."""
    reached = share(disbursed, plan)
    return reached is not None and reached < expected


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])
