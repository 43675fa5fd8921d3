"""The figures added up in the database: by dekad, year and field from the daily and monthly rows,
the month-end balances from the months' flows, and a procedure's share moved between fields.

Raw SQL on purpose: at ten million dossiers these are millions of rows, added up where they lie.
Table and column names come from the models and ``figures``; values go as parameters.
"""

import datetime as dt

from django.db import connection

from haicap.catalog.models import Procedure
from haicap.kpi import models
from haicap.kpi.figures import COUNTERS, STOCKS, WORKED
from haicap.kpi.periods import next_month, previous_month
from haicap.units.models import Agency

FINE = {
    "day": models.DailyFigures._meta.db_table,
    "dekad": models.DekadFigures._meta.db_table,
    "month": models.MonthlyFigures._meta.db_table,
    "year": models.YearlyFigures._meta.db_table,
}
BY_FIELD = {
    "day": models.FieldDailyFigures._meta.db_table,
    "dekad": models.FieldDekadFigures._meta.db_table,
    "month": models.FieldMonthlyFigures._meta.db_table,
    "year": models.FieldYearlyFigures._meta.db_table,
}
BALANCE = models.Balance._meta.db_table
FIELD_BALANCE = models.FieldBalance._meta.db_table
PROCEDURES = Procedure._meta.db_table
AGENCIES = Agency._meta.db_table
ALL_TABLES = (*FINE.values(), *BY_FIELD.values(), BALANCE, FIELD_BALANCE)
NAMES = (*COUNTERS, WORKED)
COLUMNS = ", ".join(NAMES)
SUMS = ", ".join(f"SUM({c})" for c in NAMES)


def _year_of(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"date_trunc('year', {column}::timestamp)::date"
    return f"date({column}, 'start of year')"


def first_of_month(column: str) -> str:
    """The first day of the column's month, a date."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}::timestamp) AS date)"
    return f"date({column}, 'start of month')"


def _dekad_of(column: str) -> str:
    """The first day of the column's dekad (``periods.dekad_of``)."""
    if connection.vendor == "postgresql":
        return (
            f"(date_trunc('month', {column}::timestamp)::date"
            f" + LEAST(EXTRACT(DAY FROM {column})::int - 1, 20) / 10 * 10)"
        )
    return (
        f"date({column}, 'start of month', '+' ||"
        f" (MIN(CAST(strftime('%d', {column}) AS INTEGER) - 1, 20) / 10 * 10) || ' days')"
    )


def adding(table: str, columns: tuple[str, ...]) -> str:
    """The ``ON CONFLICT … DO UPDATE SET`` list that adds the new counts to the stored ones."""
    return ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)


def clear() -> None:
    with connection.cursor() as cursor:
        for table in ALL_TABLES:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608


def derive_all(balanced_through: dt.date | None) -> None:
    """Everything the daily and monthly rows imply: dekads, years, fields, and the balances
    through ``balanced_through`` (the derived tables must be empty).

    Rows go in by period, as the dossiers' changes write them day after day: a slice reads one
    period's rows, which then lie together rather than one a page (three times faster).
    """
    with connection.cursor() as cursor:
        for coarse, fine, period in (
            ("dekad", "day", _dekad_of("period")),
            ("year", "month", _year_of("period")),
        ):
            cursor.execute(
                f"INSERT INTO {FINE[coarse]} (period, agency_id, procedure_id, channel, {COLUMNS})"  # noqa: S608
                f" SELECT {period}, agency_id, procedure_id, channel, {SUMS}"
                f" FROM {FINE[fine]} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
            )
        for granularity in FINE:
            cursor.execute(
                f"INSERT INTO {BY_FIELD[granularity]}"  # noqa: S608
                f" (period, agency_id, field_id, unit_id, {COLUMNS})"
                f" SELECT f.period, f.agency_id, p.field_id, a.unit_id, {SUMS}"
                f" FROM {FINE[granularity]} f JOIN {PROCEDURES} p ON p.id = f.procedure_id"
                f" JOIN {AGENCIES} a ON a.id = f.agency_id"
                " GROUP BY f.period, f.agency_id, p.field_id, a.unit_id ORDER BY 1, 2, 3"
            )
    if balanced_through is not None:
        close_months(None, balanced_through)


def close_months(after: dt.date | None, last: dt.date, limit: int | None = None) -> list[dt.date]:
    """Write the balances at the end of each month after ``after`` (the last one written, or
    ``None``: from the first month with figures) through ``last``, at most ``limit`` of them.
    Returns the months closed."""
    with connection.cursor() as cursor:
        if after is None:
            cursor.execute(f"SELECT MIN(period) FROM {FINE['month']}")  # noqa: S608
            month = cursor.fetchone()[0]
            if month is None:
                return []
            if isinstance(month, str):  # SQLite
                month = dt.date.fromisoformat(month)
        else:
            month = next_month(after)
        closed: list[dt.date] = []
        while month <= last and (limit is None or len(closed) < limit):
            before = previous_month(month)
            for table, flows, key, unit in (
                (BALANCE, FINE["month"], "agency_id, procedure_id, channel", False),
                (FIELD_BALANCE, BY_FIELD["month"], "agency_id, field_id", True),
            ):
                # By field, the unit is the agency's now, whatever an older row says.
                into, taken = (f"{key}, unit_id", f"{key}, a.unit_id") if unit else (key, key)
                joined = f" JOIN {AGENCIES} a ON a.id = s.agency_id" if unit else ""
                cursor.execute(
                    f"INSERT INTO {table} (period, {into}, open, overdue)"  # noqa: S608
                    f" SELECT %s, {taken}, SUM(o), SUM(d) FROM ("
                    f" SELECT {key}, open AS o, overdue AS d FROM {table} WHERE period = %s"
                    f" UNION ALL SELECT {key}, received - closed, overdue_from - overdue_until"
                    f" FROM {flows} WHERE period = %s) s{joined}"
                    f" GROUP BY {taken} HAVING SUM(o) <> 0 OR SUM(d) <> 0",
                    [month, before, month],
                )
            closed.append(month)
            month = next_month(month)
    return closed


def move_procedure(procedure_id: int, old_field_id: int) -> None:
    """A procedure's online counts as the catalogue now says, and its share of the figures by
    field taken from the field it was in to the one it is in (the same one if unchanged)."""
    procedure = Procedure.objects.get(pk=procedure_id)
    full = procedure.online_level == Procedure.OnlineLevel.FULL
    with connection.cursor() as cursor:
        for granularity in FINE:
            _add_share(cursor, granularity, procedure_id, old_field_id, -1)
            cursor.execute(
                f"UPDATE {FINE[granularity]} SET"  # noqa: S608
                " received_full_online = CASE WHEN %s THEN received ELSE 0 END,"
                " online_of_full_online = CASE WHEN %s THEN received_online ELSE 0 END"
                " WHERE procedure_id = %s",
                [full, full, procedure_id],
            )
            _add_share(cursor, granularity, procedure_id, procedure.field_id, 1)


def _add_share(cursor, granularity: str, procedure_id: int, field_id: int, sign: int) -> None:
    table = BY_FIELD[granularity]
    added = adding(table, NAMES)
    signed = ", ".join(f"%s * SUM(f.{c})" for c in NAMES)
    cursor.execute(
        f"INSERT INTO {table} (period, agency_id, field_id, unit_id, {COLUMNS})"  # noqa: S608
        f" SELECT f.period, f.agency_id, %s, a.unit_id, {signed} FROM {FINE[granularity]} f"
        f" JOIN {AGENCIES} a ON a.id = f.agency_id"
        " WHERE f.procedure_id = %s GROUP BY f.period, f.agency_id, a.unit_id"
        f" ON CONFLICT (period, agency_id, field_id) DO UPDATE SET {added}",
        [field_id, *([sign] * len(NAMES)), procedure_id],
    )


def move_procedure_balances(procedure_id: int, old_field_id: int) -> None:
    """The procedure's share of the balances by field, moved as ``move_procedure`` moves its
    figures (nothing to do if its field is the same)."""
    field_id = Procedure.objects.values_list("field_id", flat=True).get(pk=procedure_id)
    if field_id == old_field_id:
        return
    added = adding(FIELD_BALANCE, STOCKS)
    with connection.cursor() as cursor:
        for field, sign in ((old_field_id, -1), (field_id, 1)):
            cursor.execute(
                f"INSERT INTO {FIELD_BALANCE}"  # noqa: S608
                " (period, agency_id, field_id, unit_id, open, overdue)"
                " SELECT b.period, b.agency_id, %s, a.unit_id,"
                " %s * SUM(b.open), %s * SUM(b.overdue)"
                f" FROM {BALANCE} b JOIN {AGENCIES} a ON a.id = b.agency_id"
                " WHERE b.procedure_id = %s GROUP BY b.period, b.agency_id, a.unit_id"
                f" ON CONFLICT (period, agency_id, field_id) DO UPDATE SET {added}",
                [field, sign, sign, procedure_id],
            )


def move_agency(agency_id: int, unit_id: int) -> None:
    """The agency's figures by field kept under the unit it is in now (the balances apart:
    ``move_agency_balances``)."""
    _set_unit(BY_FIELD.values(), agency_id, unit_id)


def move_agency_balances(agency_id: int, unit_id: int) -> None:
    _set_unit([FIELD_BALANCE], agency_id, unit_id)


def _set_unit(tables, agency_id: int, unit_id: int) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"UPDATE {table} SET unit_id = %s WHERE agency_id = %s AND unit_id <> %s",  # noqa: S608
                [unit_id, agency_id, unit_id],
            )
