from django.db import migrations

from haicap.budget.history import LEDGER


def create_triggers(apps, schema_editor):
    for sql in LEDGER.statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for sql in LEDGER.statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("budget", "0001_capital_plans")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
