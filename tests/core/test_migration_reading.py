"""Reading a migration into what it would do on PostgreSQL: a new migration that would lock a
large table is found, one written as docs/upgrades.md says is not."""

import pytest
from django.contrib.postgres.functions import RandomUUID
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader

from haicap.core.migration_locks import LARGE_TABLES
from haicap.core.migration_ops import AddIndexWithoutLocking, BatchedFill
from haicap.core.migration_reading import UnknownOperation, locking_operations

PROBE = ("dossiers", "9999_probe")


@pytest.fixture
def found():
    """What the reader finds in a migration of ``operations`` after the dossiers' last one."""

    def read(operations: list, atomic: bool = True) -> list[str]:
        loader = MigrationLoader(None, ignore_no_migrations=True)
        probe = migrations.Migration(PROBE[1], PROBE[0])
        probe.operations = operations
        probe.atomic = atomic
        (leaf,) = [key for key in loader.graph.leaf_nodes() if key[0] == PROBE[0]]
        loader.graph.add_node(PROBE, probe)
        loader.graph.add_dependency(probe, PROBE, leaf)
        found = locking_operations(loader, frozenset(LARGE_TABLES), only={PROBE})
        return [finding.reason for finding in found]

    return read


def index(name: str) -> models.Index:
    return models.Index(fields=["received_at"], name=name)


def test_a_plain_index_on_the_dossiers_is_found(found):
    operation = migrations.AddIndex("dossier", index("probe_plain"))
    assert found([operation]) == ["builds an index without CONCURRENTLY"]


def test_an_index_built_concurrently_is_not(found):
    assert found([AddIndexWithoutLocking("dossier", index("probe_concurrent"))], False) == []


def test_a_nullable_column_is_not_found_a_volatile_default_is(found):
    nullable = migrations.AddField("dossier", "probe_at", models.DateTimeField(null=True))
    assert found([nullable]) == []
    volatile = migrations.AddField("dossier", "probe_id", models.UUIDField(db_default=RandomUUID()))
    assert found([volatile]) == ["adds a column with a volatile default (rewrites the table)"]
    constant = migrations.AddField("dossier", "probe_n", models.IntegerField(db_default=1))
    assert found([constant]) == []


def test_a_new_foreign_key_column_is_found(found):
    operation = migrations.AddField(
        "dossierevent",
        "probe_unit",
        models.ForeignKey("units.administrativeunit", models.PROTECT, null=True, db_index=False),
    )
    assert found([operation]) == ["adds a foreign key and validates it at once"]


def test_a_type_change_is_found_a_longer_text_is_not(found):
    wider = migrations.AlterField("dossier", "result_sets", models.BigIntegerField(default=1))
    assert found([wider]) == ["changes a column's type (rewrites the table)"]
    longer = migrations.AlterField(
        "dossierevent", "request_digest", models.CharField(max_length=200, db_default="")
    )
    assert found([longer]) == []


def test_a_constraint_is_found(found):
    check = models.CheckConstraint(condition=models.Q(result_sets__gte=1), name="probe_sets")
    assert found([migrations.AddConstraint("dossier", check)]) == [
        "adds a constraint and validates it at once"
    ]


def test_an_unbatched_update_of_a_large_table_is_found(found):
    large = migrations.RunSQL("UPDATE dossiers_dossier SET result_sets = 1")
    small = migrations.RunSQL("UPDATE units_agency SET name = name")
    assert found([large, small]) == ["changes a large table in one transaction"]


def test_a_constraint_added_not_valid_and_validated_later_is_not_found(found):
    added = migrations.RunSQL(
        "ALTER TABLE dossiers_dossier ADD CONSTRAINT probe_sets CHECK (result_sets >= 1) NOT VALID",
        "ALTER TABLE dossiers_dossier DROP CONSTRAINT probe_sets",
    )
    validated = migrations.RunSQL(
        ["ALTER TABLE dossiers_dossier VALIDATE CONSTRAINT probe_sets"], migrations.RunSQL.noop
    )
    assert found([added, validated]) == []


def test_a_batched_fill_is_not_found_unless_the_migration_is_atomic(found):
    fill = BatchedFill("dossiers.Dossier", {"result_sets": 1})
    assert found([fill], False) == []
    assert found([fill], True) == ["changes a large table in one transaction"]


def test_a_new_table_is_not_large_while_it_is_made(found):
    operations = [
        migrations.CreateModel("Probe", [("id", models.BigAutoField(primary_key=True))]),
        migrations.AddIndex("probe", models.Index(fields=["id"], name="probe_id")),
    ]
    assert found(operations) == []


def test_an_operation_the_reader_does_not_know_stops_it(found):
    with pytest.raises(UnknownOperation, match="probe"):
        found([migrations.AlterUniqueTogether("dossier", {("code", "step")})])
