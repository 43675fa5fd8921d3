"""The rule that judges whether a migration operation locks a large table (pure, no database)."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.core.migration_locks import Kind, OperationFacts, lock_reason, type_rewrites

LARGE = frozenset({"dossiers.dossier"})

facts = st.builds(
    OperationFacts,
    kind=st.sampled_from(Kind),
    table=st.sampled_from(["dossiers.dossier", "units.agency"]),
    table_is_new=st.booleans(),
    nullable=st.booleans(),
    has_default=st.booleans(),
    volatile_default=st.booleans(),
    indexed=st.booleans(),
    foreign_key=st.booleans(),
    was_nullable=st.booleans(),
    type_rewrites=st.booleans(),
    concurrently=st.booleans(),
    touches_large_table=st.booleans(),
    batched=st.booleans(),
)


@given(facts)
def test_a_small_or_new_table_is_never_locked_by_a_schema_change(operation):
    if operation.kind is not Kind.RUN_CODE and (
        operation.table not in LARGE or operation.table_is_new
    ):
        assert lock_reason(operation, LARGE) is None


@given(facts)
def test_code_locks_when_it_fills_a_large_table_unbatched(operation):
    operation = replace(operation, kind=Kind.RUN_CODE)
    locks = lock_reason(operation, LARGE) is not None
    assert locks == (operation.touches_large_table and not operation.batched)


@given(facts)
def test_an_index_on_a_large_table_locks_unless_built_concurrently(operation):
    operation = replace(
        operation, kind=Kind.ADD_INDEX, table="dossiers.dossier", table_is_new=False
    )
    assert (lock_reason(operation, LARGE) is not None) == (not operation.concurrently)


@given(facts)
def test_a_constraint_on_an_existing_large_table_always_locks(operation):
    operation = replace(
        operation, kind=Kind.ADD_CONSTRAINT, table="dossiers.dossier", table_is_new=False
    )
    assert lock_reason(operation, LARGE) == "adds a constraint and validates it at once"


@given(facts)
def test_a_column_without_index_key_or_volatile_default_is_added_without_lock(operation):
    operation = replace(
        operation,
        kind=Kind.ADD_FIELD,
        table="dossiers.dossier",
        table_is_new=False,
        volatile_default=False,
        indexed=False,
        foreign_key=False,
    )
    locks = lock_reason(operation, LARGE) is not None
    assert locks == (not operation.nullable and not operation.has_default)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"volatile_default": True}, "adds a column with a volatile default (rewrites the table)"),
        ({"nullable": False}, "adds a NOT NULL column without a default"),
        ({"indexed": True}, "builds an index without CONCURRENTLY"),
        ({"foreign_key": True}, "adds a foreign key and validates it at once"),
        ({"nullable": False, "has_default": True}, None),
        ({}, None),
    ],
)
def test_adding_a_column(change, reason):
    operation = OperationFacts(Kind.ADD_FIELD, "dossiers.dossier", **change)
    assert lock_reason(operation, LARGE) == reason


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"type_rewrites": True}, "changes a column's type (rewrites the table)"),
        ({"nullable": False}, "sets NOT NULL (reads every row under an exclusive lock)"),
        ({"nullable": False, "was_nullable": False}, None),
        ({"nullable": True, "was_nullable": False}, None),
        ({"indexed": True}, "builds an index without CONCURRENTLY"),
    ],
)
def test_changing_a_column(change, reason):
    operation = OperationFacts(Kind.ALTER_FIELD, "dossiers.dossier", **change)
    assert lock_reason(operation, LARGE) == reason


@pytest.mark.parametrize(
    ("before", "after", "rewrites"),
    [
        ("varchar(10)", "varchar(20)", False),
        ("varchar(20)", "varchar(10)", True),
        ("varchar(20)", "text", False),
        ("varchar", "varchar(10)", True),
        ("text", "varchar(10)", True),
        ("integer", "bigint", True),
        ("bigint", "bigint", False),
        ("jsonb", "jsonb", False),
    ],
)
def test_which_type_changes_rewrite(before, after, rewrites):
    assert type_rewrites(before, after) is rewrites


@given(st.integers(1, 10_000), st.integers(1, 10_000))
def test_a_varchar_is_rewritten_only_when_it_gets_shorter(old, new):
    assert type_rewrites(f"varchar({old})", f"varchar({new})") is (new < old)
