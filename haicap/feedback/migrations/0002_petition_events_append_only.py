from django.db import migrations

from haicap.feedback.history import PETITION_EVENTS


def create_triggers(apps, schema_editor):
    for sql in PETITION_EVENTS.statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for sql in PETITION_EVENTS.statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
