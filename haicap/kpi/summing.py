"""The SQL of one read of the figures (pure: no Django): a table's rows over a stretch of
periods, those the reader may see, grouped, each quantity a sum over its own periods.

Written out rather than built with the ORM: a province's range is six such queries of up to forty
sums each, and building them as expressions (then converting every value of every row) took the
ORM longer than the database took to answer them. Table, column and join texts come from the
callers' constants; every value goes as a parameter.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

PERIOD = "f.period"  # the figures' table is ``f`` in every query


@dataclass(frozen=True)
class Condition:
    sql: str
    params: tuple = field(default=())


def periods(first: dt.date | None, last: dt.date) -> Condition:
    """The rows of the periods from ``first`` (``None``: the first there is) through ``last``."""
    if first is None:
        return Condition(f"{PERIOD} <= %s", (last,))
    if first == last:
        return Condition(f"{PERIOD} = %s", (first,))
    return Condition(f"{PERIOD} BETWEEN %s AND %s", (first, last))


def among(column: str, values: Sequence) -> Condition:
    """``column`` is one of ``values`` (none: no row)."""
    if not values:
        return Condition("1 = 0")
    return Condition(f"{column} IN ({', '.join(['%s'] * len(values))})", tuple(values))


@dataclass(frozen=True)
class Summed:
    column: str
    only: Condition | None = None  # the rows it adds up, of those the query reads; None: all
    sign: int = 1


def select(
    table: str,
    keys: Sequence[str],
    joins: Sequence[str],
    where: Sequence[Condition],
    values: Sequence[Sequence[Summed]],
) -> tuple[str, list]:
    """``SELECT keys…, values… FROM table f joins… WHERE … GROUP BY keys…`` and its parameters in
    order: a row's first values are its keys, then each of ``values``, the signed total of its
    sums (``SUM(f.column) FILTER (WHERE …)``; 0 for none).

    At least one value must add something up: with no sum the query would answer a row per
    row read, not per group."""
    if not any(values):
        raise ValueError("a read adds up at least one column")
    selected = [*keys]
    params: list = []
    for sums in values:
        text = "0"
        for summed in sums:
            total = f"SUM(f.{summed.column})"
            if summed.only is not None:
                total += f" FILTER (WHERE {summed.only.sql})"
                params += summed.only.params
            times = "" if abs(summed.sign) == 1 else f"{abs(summed.sign)} * "
            text += f" {'+' if summed.sign > 0 else '-'} {times}COALESCE({total}, 0)"
        selected.append(text)
    sql = f"SELECT {', '.join(selected)} FROM {table} f"  # noqa: S608 (names, not values)
    for join in joins:
        sql += f" {join}"
    if where:
        sql += f" WHERE {' AND '.join(c.sql for c in where)}"
        params += [p for c in where for p in c.params]
    if keys:
        sql += f" GROUP BY {', '.join(keys)}"
    return sql, params
