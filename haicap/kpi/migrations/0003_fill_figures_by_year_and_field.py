"""The figures already kept gain their online counts, their years and their fields.

Balances are not written here: the worker closes every ended month on its next run.
"""

from django.db import migrations

FINE = ("kpi_dailyfigures", "kpi_monthlyfigures")


def fill(apps, schema_editor):
    from haicap.kpi import derive

    full = "(SELECT online_level FROM catalog_procedure p WHERE p.id = procedure_id) = 'full'"
    with schema_editor.connection.cursor() as cursor:
        for table in FINE:
            cursor.execute(
                f"UPDATE {table} SET"  # noqa: S608
                " received_online = CASE WHEN channel = 'online' THEN received ELSE 0 END,"
                f" received_full_online = CASE WHEN {full} THEN received ELSE 0 END,"
                f" online_of_full_online = CASE WHEN {full} AND channel = 'online'"
                " THEN received ELSE 0 END"
            )
    derive.derive_all(None)
    apps.get_model("kpi", "BalanceState").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("kpi", "0002_figures_by_year_and_field_and_balances")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
