"""The figures by field keep their agency's unit, filled in from the agencies as they are now.

The SQL is written out here, as the tables stood at this migration, not taken from the code of
the day.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLES = (
    ("fieldbalance", "kpi_fieldbalance"),
    ("fielddailyfigures", "kpi_fielddailyfigures"),
    ("fielddekadfigures", "kpi_fielddekadfigures"),
    ("fieldmonthlyfigures", "kpi_fieldmonthlyfigures"),
    ("fieldyearlyfigures", "kpi_fieldyearlyfigures"),
)


def unit(null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        db_index=False,
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="units.administrativeunit",
    )


def fill(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        if postgresql:  # checked now: the columns are made NOT NULL in this same transaction
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _, table in TABLES:
            cursor.execute(
                f"UPDATE {table} SET unit_id ="  # noqa: S608
                f" (SELECT unit_id FROM units_agency WHERE units_agency.id = {table}.agency_id)"
            )
        if postgresql:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [
        ("kpi", "0005_fill_figures_by_dekad"),
        ("units", "0001_initial"),
    ]

    operations = [
        *(migrations.AddField(name, "unit", unit(null=True)) for name, _ in TABLES),
        migrations.RunPython(fill, migrations.RunPython.noop),
        *(migrations.AlterField(name, "unit", unit(null=False)) for name, _ in TABLES),
    ]
