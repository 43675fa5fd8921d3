from django.db import migrations

from haicap.assets.history import DISPOSAL_UPDATES, MOVEMENTS


def create_triggers(apps, schema_editor):
    for table in (MOVEMENTS, DISPOSAL_UPDATES):
        for sql in table.statements(schema_editor.connection.vendor, create=True):
            schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for table in (MOVEMENTS, DISPOSAL_UPDATES):
        for sql in table.statements(schema_editor.connection.vendor, create=False):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("assets", "0001_public_assets")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
