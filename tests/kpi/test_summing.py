"""The SQL ``kpi.summing`` writes adds up exactly the rows and periods it names, signs and all.

Run on SQLite from the standard library (the module is pure: no Django), against the same sums
done in Python; the reads built on it are checked against the dossiers on both databases in
``test_reads``.
"""

import datetime as dt
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.kpi import summing

FIRST = dt.date(2026, 1, 1)
days = st.integers(0, 20).map(lambda n: FIRST + dt.timedelta(days=n))
rows = st.lists(
    st.tuples(days, st.integers(1, 3), st.integers(0, 9), st.integers(0, 9)), max_size=30
)
spans = st.tuples(st.none() | days, days)
sums = st.tuples(st.sampled_from(["a", "b"]), st.none() | spans, st.integers(-2, 2).filter(bool))


def stored(data: list[tuple]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE figures (period TEXT, agency_id INTEGER, a INTEGER, b INTEGER)")
    db.executemany(
        "INSERT INTO figures VALUES (?, ?, ?, ?)", [(d.isoformat(), *r) for d, *r in data]
    )
    return db


def run(db: sqlite3.Connection, sql: str, params: list) -> list[tuple]:
    plain = [p.isoformat() if isinstance(p, dt.date) else p for p in params]
    return db.execute(sql.replace("%s", "?"), plain).fetchall()


def within(day: dt.date, span: tuple | None) -> bool:
    return span is None or ((span[0] is None or span[0] <= day) and day <= span[1])


values = st.lists(st.lists(sums, max_size=3), min_size=1, max_size=4).filter(any)


@given(rows, spans, values, st.booleans())
def test_each_value_is_its_signed_sums_over_their_own_periods(data, read, values, by_agency):
    keys = ["f.agency_id"] if by_agency else []
    where = [summing.periods(*read)]
    wanted = [
        [
            summing.Summed(column, span and summing.periods(*span), sign)
            for column, span, sign in sums
        ]
        for sums in values
    ]
    sql, params = summing.select("figures", keys, [], where, wanted)
    answered = run(stored(data), sql, params)
    found = {(row[0] if by_agency else None): list(row[len(keys) :]) for row in answered}

    expected: dict = {}
    for day, agency, a, b in data:
        if not within(day, read):
            continue
        totals = expected.setdefault(agency if by_agency else None, [0] * len(values))
        for place, sums_ in enumerate(values):
            for column, span, sign in sums_:
                if within(day, span):
                    totals[place] += sign * {"a": a, "b": b}[column]
    if not by_agency:  # an aggregate with no group answers one row, over no rows too
        expected.setdefault(None, [0] * len(values))
    assert found == expected


@given(rows, st.lists(st.integers(1, 3), max_size=3))
def test_among_keeps_the_rows_of_the_values_named_and_none_for_none(data, agencies):
    where = [
        summing.periods(None, FIRST + dt.timedelta(days=30)),
        summing.among("f.agency_id", agencies),
    ]
    sql, params = summing.select("figures", ["f.agency_id"], [], where, [[summing.Summed("a")]])
    found = dict(run(stored(data), sql, params))
    expected: dict = {}
    for _, agency, a, _ in data:
        if agency in agencies:
            expected[agency] = expected.get(agency, 0) + a
    assert found == expected


def test_a_read_that_adds_nothing_up_is_refused():
    with pytest.raises(ValueError):
        summing.select("figures", ["f.agency_id"], [], [], [[], []])
