"""The audit log becomes several chains tied together by anchors (``core.audit_chain``).

The records already written become chain 0 with their seq unchanged, and the old head (row 1)
becomes chain 0's head. Their hashes stay valid: a record of chain 0 is hashed as before, the
chain number is hashed only for the other chains (``core.audit.chained_content``). The heads of
the other chains and the anchors' head start at the genesis. Changing the table rebuilds it on
SQLite, which drops its triggers: they are dropped first and made again at the end.
"""

from django.core.management.color import no_style
from django.db import migrations, models

from haicap.core import append_only
from haicap.core.audit_chain import CHAIN_COUNT, GENESIS_HASH
from haicap.core.models import AUDIT_ANCHORS

ANCHOR_CHAIN = -1


def drop_log_triggers(apps, schema_editor):
    for sql in append_only.statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)


def create_log_triggers(apps, schema_editor):
    for sql in append_only.statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def create_anchor_triggers(apps, schema_editor):
    for sql in AUDIT_ANCHORS.statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def drop_anchor_triggers(apps, schema_editor):
    for sql in AUDIT_ANCHORS.statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)


def create_heads(apps, schema_editor):
    heads = apps.get_model("core", "AuditChainHead")
    # 0002 gave the one head its id (1); PostgreSQL's id sequence must first move past it.
    for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [heads]):
        schema_editor.execute(sql)
    for chain in [ANCHOR_CHAIN, *range(CHAIN_COUNT)]:
        heads.objects.get_or_create(
            chain=chain, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
        )


def remove_new_heads(apps, schema_editor):
    apps.get_model("core", "AuditChainHead").objects.exclude(chain=0).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_append_only_and_chain_head")]

    operations = [
        migrations.RunPython(drop_log_triggers, create_log_triggers),
        migrations.AddField(
            model_name="auditchainhead",
            name="chain",
            field=models.SmallIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditchainhead",
            name="chain",
            field=models.SmallIntegerField(unique=True),
        ),
        migrations.AddField(
            model_name="auditrecord",
            name="chain",
            field=models.SmallIntegerField(default=0, editable=False),
        ),
        migrations.AlterField(
            model_name="auditrecord",
            name="seq",
            field=models.BigIntegerField(editable=False),
        ),
        migrations.AddConstraint(
            model_name="auditrecord",
            constraint=models.UniqueConstraint(
                fields=("chain", "seq"), name="unique_audit_chain_seq"
            ),
        ),
        migrations.AlterModelOptions(
            name="auditrecord",
            options={
                "ordering": ["id"],
                "verbose_name": "audit record",
                "verbose_name_plural": "audit log",
            },
        ),
        migrations.CreateModel(
            name="AuditAnchor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.BigIntegerField(editable=False, unique=True)),
                ("made_at", models.DateTimeField(editable=False)),
                ("heads", models.JSONField(editable=False)),
                ("prev_hash", models.CharField(editable=False, max_length=64)),
                ("hash", models.CharField(editable=False, max_length=64)),
            ],
            options={"verbose_name": "audit anchor", "ordering": ["seq"]},
        ),
        migrations.RunPython(create_heads, remove_new_heads),
        migrations.RunPython(create_log_triggers, drop_log_triggers),
        migrations.RunPython(create_anchor_triggers, drop_anchor_triggers),
    ]
