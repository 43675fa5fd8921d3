from django.db import migrations

from haicap.reports.history import REPORT_EVENTS, SUBMISSIONS


def create_triggers(apps, schema_editor):
    for table in (SUBMISSIONS, REPORT_EVENTS):
        for sql in table.statements(schema_editor.connection.vendor, create=True):
            schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for table in (SUBMISSIONS, REPORT_EVENTS):
        for sql in table.statements(schema_editor.connection.vendor, create=False):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
