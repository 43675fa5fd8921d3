"""The figures already kept gain their online counts, their years and their fields.

Balances are not written here: the worker closes every ended month on its next run. The SQL is
written out here, as the tables stood at this migration, not taken from the code of the day.
"""

from django.db import migrations

FINE = {"day": "kpi_dailyfigures", "month": "kpi_monthlyfigures", "year": "kpi_yearlyfigures"}
BY_FIELD = {
    "day": "kpi_fielddailyfigures",
    "month": "kpi_fieldmonthlyfigures",
    "year": "kpi_fieldyearlyfigures",
}
NAMES = (
    "received",
    "received_online",
    "received_full_online",
    "online_of_full_online",
    "resolved",
    "early",
    "on_time",
    "late",
    "refused",
    "withdrawn",
    "returned",
    "closed",
    "overdue_from",
    "overdue_until",
    "worked_days",
)
COLUMNS = ", ".join(NAMES)
SUMS = ", ".join(f"SUM({c})" for c in NAMES)


def fill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    year = (
        "date_trunc('year', period::timestamp)::date"
        if vendor == "postgresql"
        else "date(period, 'start of year')"
    )
    with schema_editor.connection.cursor() as cursor:
        for table in (FINE["day"], FINE["month"]):
            full = (
                "(SELECT p.online_level FROM catalog_procedure p"
                f" WHERE p.id = {table}.procedure_id) = 'full'"
            )
            cursor.execute(
                f"UPDATE {table} SET"  # noqa: S608
                " received_online = CASE WHEN channel = 'online' THEN received ELSE 0 END,"
                f" received_full_online = CASE WHEN {full} THEN received ELSE 0 END,"
                f" online_of_full_online = CASE WHEN {full} AND channel = 'online'"
                " THEN received ELSE 0 END"
            )
        cursor.execute(
            f"INSERT INTO {FINE['year']} (period, agency_id, procedure_id, channel, {COLUMNS})"  # noqa: S608
            f" SELECT {year}, agency_id, procedure_id, channel, {SUMS}"
            f" FROM {FINE['month']} GROUP BY 1, 2, 3, 4"
        )
        for granularity in FINE:
            cursor.execute(
                f"INSERT INTO {BY_FIELD[granularity]} (period, agency_id, field_id, {COLUMNS})"  # noqa: S608
                f" SELECT f.period, f.agency_id, p.field_id, {SUMS}"
                f" FROM {FINE[granularity]} f JOIN catalog_procedure p ON p.id = f.procedure_id"
                " GROUP BY f.period, f.agency_id, p.field_id"
            )
    apps.get_model("kpi", "BalanceState").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("kpi", "0002_figures_by_year_and_field_and_balances")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
