"""Which month's disbursement a figure reads (pure: no Django).

Disbursement is reported by month, so a figure for a period reads through the last month that
had ended by the period's last day, or by yesterday while the period runs (today is not over).
The figure belongs to one year's annual plan: the period's last year.
"""

import datetime as dt

from haicap.budget.pace import month_end


def last_month_ended(year: int, by: dt.date) -> int | None:
    """The last month of ``year`` whose last day is ``by`` or earlier; None when January of
    ``year`` had not ended by then."""
    if by.year > year:
        return 12
    if by.year < year:
        return None
    month = by.month if by == month_end(by.year, by.month) else by.month - 1
    return month or None


def month_read(start: dt.date, end: dt.date, today: dt.date) -> tuple[int, int] | None:
    """The (year, month) a figure of the period from ``start`` to ``end`` reads: the last month
    of the period's last year that ended within the period, by yesterday; None when no month
    has (the period has not begun, or no month of it is over yet)."""
    if end < start:
        return None
    by = min(end, today - dt.timedelta(days=1))
    year = end.year
    month = last_month_ended(year, by)
    if month is None or month_end(year, month) < start:
        return None
    return year, month
