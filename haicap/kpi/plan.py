"""Which rows of the figures answer a slice's question (pure: no Django).

A slice from ``start`` to ``end`` needs its flows (every counter of the days ``start``…``end``),
what was open at the end of the day before ``start``, and what was overdue at the end of
``end``. Each is a signed sum of *terms*, a term being the rows of one table over a range of
periods:

- flows: whole years from the yearly rows, whole months from the monthly rows, whole dekads
  (days 1–10, 11–20, 21–end) from the dekad rows and the days at the ends from the daily rows —
  or a dekad less the days of it outside the range, when those are fewer: at most five days at
  each end. No flow is dated after today, so a range that reaches today is read as if it ran to
  the end of its month (or year): the month so far *is* the month.
- a stock at the end of day ``b``: the balance at the end of ``b``'s month less the days after
  ``b`` in it, when that month is closed; else the last closed balance plus the months and days
  since. The days chosen are the ones the flows read anyway, so a stock costs one balance.

``covered`` says which days a term stands for; the property tests check, for any range, that
the terms add up to exactly the days each quantity is defined over.
"""

import datetime as dt
from dataclasses import dataclass

from haicap.kpi.figures import month_of
from haicap.kpi.periods import dekad_end, dekad_of, next_dekad, next_month, previous_month

FLOWS, OPEN, OVERDUE = "flows", "open", "overdue"
DAY, DEKAD, MONTH, YEAR, BALANCE = "day", "dekad", "month", "year", "balance"


@dataclass(frozen=True)
class Term:
    table: str  # day, dekad, month, year (flows) or balance (the stocks at a month's end)
    first: dt.date | None  # the first period read (None: from the first there is)
    last: dt.date  # the last period read (a day, or the first day of a dekad, month or year)
    role: str  # flows, open (at the end of the day before the start), overdue (at the end)
    sign: int = 1


def plan(
    start: dt.date,
    end: dt.date,
    today: dt.date,
    balanced_through: dt.date | None,
    stocks: bool = True,
    years: bool = True,
    dekads: bool = True,
) -> list[Term]:
    """The terms of a slice; ``stocks=False`` for flows alone (a time series).

    When the range reaches today, the stock at its end is not read from the figures: what is
    overdue is what is past due this moment, counted from the dossiers. ``dekads=False`` reads
    days instead of dekads: for a small slice, a few rows a day, fewer queries beat fewer rows.
    """
    terms = _span(start, _stretched(start, end, today, years), FLOWS, years)
    if stocks:
        terms += _stock(start - dt.timedelta(days=1), OPEN, balanced_through, prefer_after=True)
        if end < today:
            terms += _stock(end, OVERDUE, balanced_through, prefer_after=False)
    return terms if dekads else _as_days(terms)


def _as_days(terms: list[Term]) -> list[Term]:
    """The terms with their dekads read as days: each quantity's days, signed, as runs."""
    kept = [t for t in terms if t.table not in (DAY, DEKAD)]
    signed: dict[str, dict[dt.date, int]] = {}
    for term in terms:
        if term.table in (DAY, DEKAD):
            first, last = covered(term, term.first)
            days = signed.setdefault(term.role, {})
            while first <= last:
                days[first] = days.get(first, 0) + term.sign
                first += dt.timedelta(days=1)
    for role, days in signed.items():
        runs = _joined([(day, day, sign) for day, sign in sorted(days.items()) if sign])
        kept += [Term(DAY, first, last, role, sign) for first, last, sign in runs]
    return kept


def _stretched(start: dt.date, end: dt.date, today: dt.date, years: bool) -> dt.date:
    """The end of the range as read: if it reaches today, the end of its month, or of its year
    when the range holds the whole year so far."""
    if end < today:
        return end
    if years and start <= dt.date(end.year, 1, 1):
        return dt.date(end.year, 12, 31)
    return next_month(end) - dt.timedelta(days=1)


def _span(first: dt.date, last: dt.date, role: str, years: bool, sign: int = 1) -> list[Term]:
    """The days ``first``…``last``: whole years, whole months, then days."""
    if first > last:
        return []
    terms: list[Term] = []
    if years:
        year_first = first.year if (first.month, first.day) == (1, 1) else first.year + 1
        year_last = last.year if (last.month, last.day) == (12, 31) else last.year - 1
        if year_first <= year_last:
            terms.append(
                Term(YEAR, dt.date(year_first, 1, 1), dt.date(year_last, 1, 1), role, sign)
            )
            terms += _months(first, dt.date(year_first - 1, 12, 31), role, sign)
            terms += _months(dt.date(year_last + 1, 1, 1), last, role, sign)
            return terms
    return _months(first, last, role, sign)


def _months(first: dt.date, last: dt.date, role: str, sign: int) -> list[Term]:
    """The days ``first``…``last``: whole months, then the days at either end."""
    if first > last:
        return []
    month_first = first if first.day == 1 else next_month(first)
    month_after = next_month(last) if _is_month_end(last) else month_of(last)
    if month_first >= month_after:
        return _days(first, last, role, sign)
    terms = [Term(MONTH, month_first, previous_month(month_after), role, sign)]
    if first < month_first:
        terms += _days(first, month_first - dt.timedelta(days=1), role, sign)
    if month_after <= last:
        terms += _days(month_after, last, role, sign)
    return terms


def _days(first: dt.date, last: dt.date, role: str, sign: int) -> list[Term]:
    """The days ``first``…``last`` short of whole months: whole dekads, and the days at the ends
    — or a dekad less its days outside the range, when there are fewer of those."""
    dekads: list[dt.date] = []
    days: list[tuple[dt.date, dt.date, int]] = []
    dekad = dekad_of(first)
    while dekad <= last:
        end = dekad_end(dekad)
        low, high = max(first, dekad), min(last, end)
        outside = (low - dekad).days + (end - high).days
        if outside < (high - low).days + 1:
            dekads.append(dekad)
            if low > dekad:
                days.append((dekad, low - dt.timedelta(days=1), -sign))
            if high < end:
                days.append((high + dt.timedelta(days=1), end, -sign))
        else:
            days.append((low, high, sign))
        dekad = next_dekad(dekad)
    terms = [Term(DEKAD, a, b, role, sign) for a, b in _runs(dekads)]
    return terms + [Term(DAY, a, b, role, s) for a, b, s in _joined(days)]


def _runs(dekads: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive dekads as (first, last) runs, each read as one term."""
    runs: list[list[dt.date]] = []
    for dekad in dekads:
        if runs and next_dekad(runs[-1][1]) == dekad:
            runs[-1][1] = dekad
        else:
            runs.append([dekad, dekad])
    return [(a, b) for a, b in runs]


def _joined(days: list[tuple[dt.date, dt.date, int]]) -> list[tuple[dt.date, dt.date, int]]:
    """Spans of days that touch, with the same sign, as one."""
    joined: list[tuple[dt.date, dt.date, int]] = []
    for first, last, sign in days:
        if joined and joined[-1][2] == sign and joined[-1][1] + dt.timedelta(days=1) == first:
            joined[-1] = (joined[-1][0], last, sign)
        else:
            joined.append((first, last, sign))
    return joined


def _is_month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


def _stock(day: dt.date, role: str, balanced: dt.date | None, prefer_after: bool) -> list[Term]:
    """The stock at the end of ``day``."""
    month = month_of(day)
    if balanced is not None and month <= balanced:
        if _is_month_end(day):
            return [Term(BALANCE, month, month, role)]
        if prefer_after:  # the balance at the month's end less the days after ``day``
            month_end = next_month(month) - dt.timedelta(days=1)
            after = _days(day + dt.timedelta(days=1), month_end, role, -1)
            return [Term(BALANCE, month, month, role), *after]
        before = previous_month(month)
        return [Term(BALANCE, before, before, role), *_days(month, day, role, 1)]
    # The month is not closed: the last balance, then every flow since.
    terms: list[Term] = []
    since = None
    if balanced is not None:
        terms.append(Term(BALANCE, balanced, balanced, role))
        since = next_month(balanced)
    if since is None:
        terms += _from_the_first(day, role)
    else:
        terms += _span(since, day, role, years=True)
    return terms


def _from_the_first(day: dt.date, role: str) -> list[Term]:
    """Every flow up to the end of ``day``, with no balance to start from."""
    year = dt.date(day.year, 1, 1)
    terms = [Term(YEAR, None, dt.date(day.year - 1, 1, 1), role)]
    return terms + _span(year, day, role, years=False)


def covered(term: Term, first_day: dt.date) -> tuple[dt.date, dt.date]:
    """The days a term stands for, ``first_day`` being the first day any figure may have."""
    if term.table == DAY:
        return term.first or first_day, term.last
    if term.table == DEKAD:
        return term.first or first_day, dekad_end(term.last)
    if term.table == MONTH:
        return term.first or first_day, next_month(term.last) - dt.timedelta(days=1)
    if term.table == YEAR:
        return term.first or first_day, dt.date(term.last.year, 12, 31)
    return first_day, next_month(term.last) - dt.timedelta(days=1)  # a balance: all until then
