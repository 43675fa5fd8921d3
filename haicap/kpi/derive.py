"""The figures added up in the database: by year and by field from the daily and monthly rows,
and the month-end balances from the months' flows.

Raw SQL on purpose: at ten million dossiers these are millions of rows, added up where they lie.
Table and column names are this module's constants; values go as parameters.
"""

import datetime as dt

from django.db import connection

from haicap.kpi.figures import COUNTERS, WORKED
from haicap.kpi.periods import next_month, previous_month

FINE = {"day": "kpi_dailyfigures", "month": "kpi_monthlyfigures", "year": "kpi_yearlyfigures"}
BY_FIELD = {
    "day": "kpi_fielddailyfigures",
    "month": "kpi_fieldmonthlyfigures",
    "year": "kpi_fieldyearlyfigures",
}
BALANCE = "kpi_balance"
FIELD_BALANCE = "kpi_fieldbalance"
COLUMNS = ", ".join((*COUNTERS, WORKED))
SUMS = ", ".join(f"SUM({c})" for c in (*COUNTERS, WORKED))
ALL_TABLES = (*FINE.values(), *BY_FIELD.values(), BALANCE, FIELD_BALANCE)


def _year_of(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"date_trunc('year', {column})::date"
    return f"date({column}, 'start of year')"


def clear() -> None:
    with connection.cursor() as cursor:
        for table in ALL_TABLES:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608


def derive_all(balanced_through: dt.date | None) -> None:
    """Everything the daily and monthly rows imply: years, fields, and the balances through
    ``balanced_through`` (the derived tables must be empty)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FINE['year']} (period, agency_id, procedure_id, channel, {COLUMNS})"  # noqa: S608
            f" SELECT {_year_of('period')}, agency_id, procedure_id, channel, {SUMS}"
            f" FROM {FINE['month']} GROUP BY 1, 2, 3, 4"
        )
        for granularity in FINE:
            _fold(cursor, granularity, "")
    if balanced_through is not None:
        close_months(None, balanced_through)


def _fold(cursor, granularity: str, where: str, parameters: tuple = ()) -> None:
    """The figures by field of one granularity from the ones by procedure (``where`` narrows
    the procedures, ``p``)."""
    cursor.execute(
        f"INSERT INTO {BY_FIELD[granularity]} (period, agency_id, field_id, {COLUMNS})"  # noqa: S608
        f" SELECT f.period, f.agency_id, p.field_id, {SUMS}"
        f" FROM {FINE[granularity]} f JOIN catalog_procedure p ON p.id = f.procedure_id"
        f" {where} GROUP BY f.period, f.agency_id, p.field_id",
        parameters,
    )


def close_months(after: dt.date | None, last: dt.date) -> int:
    """Write the balances at the end of each month after ``after`` (the last one written, or
    ``None``: from the first month with figures) through ``last``. Returns how many months."""
    with connection.cursor() as cursor:
        if after is None:
            cursor.execute(f"SELECT MIN(period) FROM {FINE['month']}")  # noqa: S608
            first = cursor.fetchone()[0]
            if first is None:
                return 0
            if isinstance(first, str):  # SQLite
                first = dt.date.fromisoformat(first)
            month = first
        else:
            month = next_month(after)
        closed = 0
        while month <= last:
            before = previous_month(month)
            for table, flows, key in (
                (BALANCE, FINE["month"], "agency_id, procedure_id, channel"),
                (FIELD_BALANCE, BY_FIELD["month"], "agency_id, field_id"),
            ):
                cursor.execute(
                    f"INSERT INTO {table} (period, {key}, open, overdue)"  # noqa: S608
                    f" SELECT %s, {key}, SUM(o), SUM(d) FROM ("
                    f" SELECT {key}, open AS o, overdue AS d FROM {table} WHERE period = %s"
                    f" UNION ALL SELECT {key}, received - closed, overdue_from - overdue_until"
                    f" FROM {flows} WHERE period = %s) s"
                    f" GROUP BY {key} HAVING SUM(o) <> 0 OR SUM(d) <> 0",
                    [month, before, month],
                )
            closed += 1
            month = next_month(month)
    return closed


def refold(procedure_ids: list[int], field_ids: list[int]) -> None:
    """After the catalogue changed these procedures' online level or field: their online counts
    as the catalogue now says, and the figures by field of every field they were or are in."""
    marks = ", ".join(["%s"] * len(procedure_ids))
    full = "(SELECT online_level FROM catalog_procedure p WHERE p.id = procedure_id) = 'full'"
    with connection.cursor() as cursor:
        for table in FINE.values():
            cursor.execute(
                f"UPDATE {table} SET"  # noqa: S608
                f" received_full_online = CASE WHEN {full} THEN received ELSE 0 END,"
                f" online_of_full_online = CASE WHEN {full} THEN received_online ELSE 0 END"
                f" WHERE procedure_id IN ({marks})",
                procedure_ids,
            )
        fields = ", ".join(["%s"] * len(field_ids))
        for granularity, table in BY_FIELD.items():
            cursor.execute(f"DELETE FROM {table} WHERE field_id IN ({fields})", field_ids)  # noqa: S608
            _fold(cursor, granularity, f"WHERE p.field_id IN ({fields})", tuple(field_ids))
        cursor.execute(f"DELETE FROM {FIELD_BALANCE} WHERE field_id IN ({fields})", field_ids)  # noqa: S608
        cursor.execute(
            f"INSERT INTO {FIELD_BALANCE} (period, agency_id, field_id, open, overdue)"  # noqa: S608
            f" SELECT b.period, b.agency_id, p.field_id, SUM(b.open), SUM(b.overdue)"
            f" FROM {BALANCE} b JOIN catalog_procedure p ON p.id = b.procedure_id"
            f" WHERE p.field_id IN ({fields}) GROUP BY b.period, b.agency_id, p.field_id"
            f" HAVING SUM(b.open) <> 0 OR SUM(b.overdue) <> 0",
            field_ids,
        )
