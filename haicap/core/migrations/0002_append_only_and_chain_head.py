from django.db import migrations

from haicap.core import append_only
from haicap.core.audit_chain import GENESIS_HASH


def create_triggers(apps, schema_editor):
    for sql in append_only.statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for sql in append_only.statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)


def create_head(apps, schema_editor):
    apps.get_model("core", "AuditChainHead").objects.get_or_create(
        pk=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.RunPython(create_head, migrations.RunPython.noop),
    ]
