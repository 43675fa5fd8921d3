"""The daily figures already kept, added up by dekad (days 1–10, 11–20, 21 to the month's end).

The SQL is written out here, as the tables stood at this migration, not taken from the code of
the day.
"""

from django.db import migrations

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
    if schema_editor.connection.vendor == "postgresql":
        dekad = (
            "(date_trunc('month', period::timestamp)::date"
            " + LEAST(EXTRACT(DAY FROM period)::int - 1, 20) / 10 * 10)"
        )
    else:
        dekad = (
            "date(period, 'start of month', '+' ||"
            " (MIN(CAST(strftime('%d', period) AS INTEGER) - 1, 20) / 10 * 10) || ' days')"
        )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO kpi_dekadfigures (period, agency_id, procedure_id, channel, {COLUMNS})"  # noqa: S608
            f" SELECT {dekad}, agency_id, procedure_id, channel, {SUMS}"
            " FROM kpi_dailyfigures GROUP BY 1, 2, 3, 4"
        )
        cursor.execute(
            f"INSERT INTO kpi_fielddekadfigures (period, agency_id, field_id, {COLUMNS})"  # noqa: S608
            f" SELECT {dekad}, agency_id, field_id, {SUMS}"
            " FROM kpi_fielddailyfigures GROUP BY 1, 2, 3"
        )


def empty(apps, schema_editor):
    """Back to before the fill: the dekad rows go (made again by the fill going forward)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DELETE FROM kpi_dekadfigures")
        cursor.execute("DELETE FROM kpi_fielddekadfigures")


class Migration(migrations.Migration):
    dependencies = [("kpi", "0004_figures_by_dekad")]

    operations = [migrations.RunPython(fill, empty)]
