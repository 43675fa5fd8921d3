"""The lock-free migration operations, run against the real database (SQLite, or PostgreSQL
with DATABASE_URL): the batched fill commits batch by batch, the index is built CONCURRENTLY
on PostgreSQL."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import Case, Index, Q, Value, When
from django.db.models.functions import Concat, Upper
from django.test.utils import CaptureQueriesContext

from haicap.core.migration_ops import AddIndexWithoutLocking, BatchedFill, fill_in_batches
from haicap.exchange.models import BusinessRecord

FETCHED = dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC)


def make_records(count: int) -> list[int]:
    """``count`` rows in a table no migration fills."""
    BusinessRecord.objects.bulk_create(
        BusinessRecord(enterprise_code=f"f{n:03}", name=f"firm {n}", fetched_at=FETCHED)
        for n in range(count)
    )
    return list(BusinessRecord.objects.order_by("pk").values_list("pk", flat=True))


@pytest.mark.django_db
def test_every_row_is_filled_one_range_of_keys_at_a_time():
    make_records(25)
    with CaptureQueriesContext(connection) as queries:
        changed = fill_in_batches(BusinessRecord, {"name": Upper("enterprise_code")}, batch_size=10)
    assert changed == 25
    assert set(BusinessRecord.objects.values_list("name", flat=True)) == {
        f"F{n:03}" for n in range(25)
    }
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 3


@pytest.mark.django_db
def test_only_the_rows_asked_for_are_filled():
    keys = make_records(6)
    changed = fill_in_batches(
        BusinessRecord, {"name": Value("kept")}, where=Q(pk__lte=keys[2]), batch_size=4
    )
    assert changed == 3
    assert BusinessRecord.objects.filter(name="kept").count() == 3


@pytest.mark.django_db
def test_an_empty_table_is_filled_at_once():
    make_records(0)
    assert fill_in_batches(BusinessRecord, {"name": Value("x")}) == 0


def test_a_batch_size_below_one_is_refused():
    with pytest.raises(ValueError, match="batch_size"):
        fill_in_batches(BusinessRecord, {"name": Value("x")}, batch_size=0)


@pytest.mark.usefixtures("committed_db")
def test_a_failing_batch_leaves_the_batches_before_it_committed():
    keys = make_records(12)
    # The last row's name would become NULL: its batch fails, the ones before it stay.
    values = {"name": Case(When(pk=keys[-1], then=Value(None)), default=Value("filled"))}
    with pytest.raises(IntegrityError):
        fill_in_batches(BusinessRecord, values, batch_size=5)
    filled = set(BusinessRecord.objects.filter(name="filled").values_list("pk", flat=True))
    assert filled == {pk for pk in keys if pk < keys[0] + 10}


@pytest.mark.usefixtures("committed_db")
def test_the_operation_fills_through_the_migrations_models():
    make_records(7)
    state = MigrationLoader(connection).project_state()
    operation = BatchedFill(
        "exchange.BusinessRecord",
        lambda apps: {"name": Concat(Value("sector "), "enterprise_code")},
        batch_size=3,
    )
    assert operation.atomic is False
    with connection.schema_editor(atomic=False) as editor:
        operation.database_forwards("exchange", editor, state, state)
    assert set(BusinessRecord.objects.values_list("name", flat=True)) == {
        f"sector f{n:03}" for n in range(7)
    }
    name, args, kwargs = operation.deconstruct()
    assert (name, args[0], kwargs["batch_size"]) == ("BatchedFill", "exchange.BusinessRecord", 3)


def indexes_of_records() -> set[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, BusinessRecord._meta.db_table)
    return {name for name, about in found.items() if about["index"]}


@pytest.mark.usefixtures("committed_db")
def test_the_index_is_built_concurrently_on_postgresql_and_dropped_going_back():
    loader = MigrationLoader(connection)
    before = loader.project_state()
    operation = AddIndexWithoutLocking(
        "businessrecord", Index(fields=["name"], name="probe_firm_name")
    )
    after = before.clone()
    operation.state_forwards("exchange", after)
    with (
        CaptureQueriesContext(connection) as queries,
        connection.schema_editor(atomic=False) as editor,
    ):
        operation.database_forwards("exchange", editor, before, after)
    try:
        assert "probe_firm_name" in indexes_of_records()
        created = [q["sql"] for q in queries.captured_queries if "CREATE INDEX" in q["sql"]]
        concurrently = connection.vendor == "postgresql"
        assert [("CONCURRENTLY" in sql) for sql in created] == [concurrently]
    finally:
        with connection.schema_editor(atomic=False) as editor:
            operation.database_backwards("exchange", editor, after, before)
    assert "probe_firm_name" not in indexes_of_records()
