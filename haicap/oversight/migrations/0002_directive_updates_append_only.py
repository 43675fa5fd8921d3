from django.db import migrations

from haicap.oversight.history import DIRECTIVE_UPDATES


def create_triggers(apps, schema_editor):
    for sql in DIRECTIVE_UPDATES.statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for sql in DIRECTIVE_UPDATES.statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
