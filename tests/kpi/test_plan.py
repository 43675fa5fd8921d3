"""The rows a slice reads stand for exactly the days each of its quantities is defined over."""

import datetime as dt
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from haicap.kpi import plan
from haicap.kpi.periods import dekad_end, dekad_of, next_dekad, next_month

FIRST = dt.date(2020, 1, 1)  # no figure before this day
HORIZON = dt.date(2029, 12, 31)  # due days may lie ahead
days = st.dates(min_value=dt.date(2020, 1, 2), max_value=dt.date(2028, 12, 31))


def coverage(terms: list[plan.Term], role: str) -> Counter:
    """How many times, with signs, each day is counted by the role's terms."""
    counted = Counter()
    for term in terms:
        if term.role != role:
            continue
        first, last = plan.covered(term, FIRST)
        day = first
        while day <= last:
            counted[day] += term.sign
            day += dt.timedelta(days=1)
    return counted


def exactly(counted: Counter, first: dt.date, last: dt.date, beyond: dt.date = HORIZON) -> bool:
    """Every day from ``first`` to ``last`` once, no other day up to ``beyond``."""
    day = FIRST
    while day <= beyond:
        if counted[day] != (1 if first <= day <= last else 0):
            return False
        day += dt.timedelta(days=1)
    return True


@st.composite
def questions(draw):
    start, end, today = sorted(draw(st.lists(days, min_size=3, max_size=3)))
    if draw(st.booleans()):  # a range of weeks, most often asked
        end = min(start + dt.timedelta(days=draw(st.integers(0, 70))), today)
    if draw(st.booleans()):
        start, end = sorted((start, end))
        today, end = sorted((today, end))  # a range reaching today, sometimes past it
    closed = draw(st.none() | st.dates(min_value=FIRST, max_value=today))
    if closed is not None:
        closed = closed.replace(day=1)
        if closed >= today.replace(day=1):  # months are closed once they have ended
            closed = None
    return start, end, today, closed, draw(st.booleans()), draw(st.booleans())


@given(questions())
def test_the_flows_read_every_day_of_the_range_once_and_nothing_until_today_outside_it(q):
    start, end, today, closed, years, dekads = q
    terms = plan.plan(start, end, today, closed, years=years, dekads=dekads)
    assert exactly(coverage(terms, plan.FLOWS), start, end, beyond=today)
    # Only days are taken away (a dekad less its days outside the range).
    assert all(t.sign == 1 or t.table == plan.DAY for t in terms if t.role == plan.FLOWS)


def days_by_dekad(terms: list[plan.Term]) -> Counter:
    """How many daily rows the terms read in each dekad."""
    counted = Counter()
    for term in terms:
        if term.table == plan.DAY:
            day = term.first
            while day <= term.last:
                counted[dekad_of(day)] += 1
                day += dt.timedelta(days=1)
    return counted


@given(questions())
def test_with_dekads_each_quantity_reads_at_most_five_days_at_each_end_of_its_range(q):
    start, end, today, closed, years, dekads = q
    terms = plan.plan(start, end, today, closed, years=years, dekads=dekads)
    if not dekads:
        assert all(t.table != plan.DEKAD for t in terms)
        return
    for role in (plan.FLOWS, plan.OPEN, plan.OVERDUE):
        read = days_by_dekad([t for t in terms if t.role == role])
        assert len(read) <= 2 and all(days <= 5 for days in read.values())


def test_a_range_across_two_months_reads_dekads_and_a_few_days():
    terms = plan.plan(
        dt.date(2025, 3, 17), dt.date(2025, 5, 9), dt.date(2026, 11, 26), dt.date(2026, 10, 1)
    )
    flows = sorted((t.table, t.first, t.last, t.sign) for t in terms if t.role == plan.FLOWS)
    assert flows == [
        ("day", dt.date(2025, 3, 17), dt.date(2025, 3, 20), 1),
        ("day", dt.date(2025, 5, 10), dt.date(2025, 5, 10), -1),
        ("dekad", dt.date(2025, 3, 21), dt.date(2025, 3, 21), 1),
        ("dekad", dt.date(2025, 5, 1), dt.date(2025, 5, 1), 1),
        ("month", dt.date(2025, 4, 1), dt.date(2025, 4, 1), 1),
    ]


@given(questions())
def test_the_stocks_read_every_day_up_to_their_moment_once(q):
    start, end, today, closed, years, dekads = q
    terms = plan.plan(start, end, today, closed, years=years, dekads=dekads)
    assert exactly(coverage(terms, plan.OPEN), FIRST, start - dt.timedelta(days=1))
    if end < today:
        assert exactly(coverage(terms, plan.OVERDUE), FIRST, end)
    else:  # counted from the dossiers, as they stand now
        assert not [t for t in terms if t.role == plan.OVERDUE]


@given(questions())
def test_balances_are_read_only_for_closed_months(q):
    start, end, today, closed, years, dekads = q
    for term in plan.plan(start, end, today, closed, years=years, dekads=dekads):
        if term.table == plan.BALANCE:
            assert closed is not None and term.first == term.last <= closed
        if term.table == plan.MONTH:
            assert term.last.day == 1 and (term.first is None or term.first.day == 1)


def test_a_month_closed_reads_one_balance_per_stock_and_nothing_since_the_first_dossier():
    october = plan.plan(
        dt.date(2026, 10, 1), dt.date(2026, 10, 31), dt.date(2026, 11, 26), dt.date(2026, 10, 1)
    )
    assert sorted((t.table, t.first, t.role) for t in october) == [
        ("balance", dt.date(2026, 9, 1), "open"),
        ("balance", dt.date(2026, 10, 1), "overdue"),
        ("month", dt.date(2026, 10, 1), "flows"),
    ]


def test_the_month_so_far_is_read_as_the_month_and_the_year_so_far_as_the_year():
    today = dt.date(2026, 11, 26)
    month = plan.plan(dt.date(2026, 11, 1), today, today, dt.date(2026, 10, 1), stocks=False)
    assert [(t.table, t.first, t.last) for t in month] == [
        ("month", dt.date(2026, 11, 1), dt.date(2026, 11, 1))
    ]
    year = plan.plan(dt.date(2026, 1, 1), today, today, None, stocks=False)
    assert [(t.table, t.first) for t in year] == [("year", dt.date(2026, 1, 1))]
    assert next_month(dt.date(2026, 12, 5)) == dt.date(2027, 1, 1)


@given(days)
def test_every_day_lies_in_one_dekad_of_its_month_starting_on_the_1st_11th_or_21st(day):
    dekad = dekad_of(day)
    assert dekad.day in (1, 11, 21) and (dekad.year, dekad.month) == (day.year, day.month)
    assert dekad <= day <= dekad_end(dekad)
    assert dekad_of(dekad_end(dekad) + dt.timedelta(days=1)) == next_dekad(dekad)
    assert (dekad.day == 21) == (next_dekad(dekad).day == 1)
