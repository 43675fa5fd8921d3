"""Reads every haicap migration into ``OperationFacts`` and finds those that would lock a large
table on PostgreSQL (the rule is ``core.migration_locks``).

Column types are PostgreSQL's whatever database this runs on: a PostgreSQL backend is made
without connecting, only to name the types.
"""

import inspect
import re
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations
from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQL
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.migration import Migration
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState
from django.db.models import NOT_PROVIDED, Field, Value
from django.db.models.functions import Now

from haicap.core.migration_locks import Kind, OperationFacts, lock_reason, type_rewrites
from haicap.core.migration_ops import BatchedFill

# Operations that only change the catalogue, drop something, or make a new (empty) table.
_HARMLESS = (
    migrations.CreateModel,
    migrations.DeleteModel,
    migrations.RemoveField,
    migrations.RenameField,
    migrations.RenameModel,
    migrations.RemoveIndex,
    migrations.RenameIndex,
    migrations.RemoveConstraint,
    migrations.AlterModelOptions,
    migrations.AlterModelManagers,
    migrations.AlterModelTable,
    migrations.AlterModelTableComment,
    migrations.AlterOrderWithRespectTo,
)


# Statements that leave a large table's writers alone: a constraint added NOT VALID, its later
# validation (SHARE UPDATE EXCLUSIVE), an index built or dropped CONCURRENTLY.
_LOCK_FREE_SQL = re.compile(r"\bNOT\s+VALID\b|\bVALIDATE\s+CONSTRAINT\b|\bCONCURRENTLY\b", re.I)


def _statements(sql: object) -> list[str]:
    if isinstance(sql, str):
        return [part for part in sql.split(";") if part.strip()]
    return [
        part
        for item in sql  # type: ignore[attr-defined]
        for part in _statements(item[0] if isinstance(item, (list, tuple)) else item)
    ]


@dataclass(frozen=True)
class Finding:
    migration: str  # "app_label.name"
    operation: str  # Django's own description of it
    reason: str

    @property
    def key(self) -> str:
        return f"{self.migration}: {self.operation}"


def _fills_rows(field: Field) -> bool:
    """Whether adding ``field`` gives the rows there are a value, as Django's schema editor does:
    a Python default is computed once and sent as a constant, a blank text column gets ''."""
    return (
        field.has_default()
        or field.db_default is not NOT_PROVIDED
        or (field.blank and field.empty_strings_allowed)
        or bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
    )


class UnknownOperation(Exception):
    """An operation this reader cannot judge: teach it the operation."""


def locking_operations(
    loader: MigrationLoader,
    large_tables: frozenset[str],
    only: set[tuple[str, str]] | None = None,
) -> list[Finding]:
    """Every operation of haicap's migrations (or of those in ``only``) that would lock one of
    ``large_tables``."""
    reader = _Reader(loader, large_tables)
    state = ProjectState(real_apps=loader.unmigrated_apps)
    findings = []
    for key in _plan(loader):
        migration = loader.graph.nodes[key]
        if key in only if only is not None else _is_haicap(key[0]):
            findings += reader.read(migration, state)
        state = migration.mutate_state(state, preserve=False)
    return findings


def _is_haicap(app_label: str) -> bool:
    return django_apps.get_app_config(app_label).name.startswith("haicap.")


def _plan(loader: MigrationLoader) -> list[tuple[str, str]]:
    plan: list[tuple[str, str]] = []
    for leaf in sorted(loader.graph.leaf_nodes()):
        plan += [key for key in loader.graph.forwards_plan(leaf) if key not in plan]
    return plan


class _Reader:
    def __init__(self, loader: MigrationLoader, large_tables: frozenset[str]) -> None:
        self.large_tables = large_tables
        self.postgresql = PostgreSQL({"NAME": "", "USER": "", "OPTIONS": {}}, alias="lock_rules")
        final = loader.project_state().apps
        self.db_tables = {
            label: final.get_model(label)._meta.db_table
            for label in large_tables
            if label.split(".")[0] in final.app_configs
        }

    def read(self, migration: Migration, state: ProjectState) -> list[Finding]:
        state = state.clone()
        new_tables: set[str] = set()
        findings = []
        for operation in migration.operations:
            for facts, described in self._facts(migration, operation, state, new_tables):
                reason = lock_reason(facts, self.large_tables)
                if reason:
                    label = f"{migration.app_label}.{migration.name}"
                    findings.append(Finding(label, described.describe(), reason))
            operation.state_forwards(migration.app_label, state)
        return findings

    def _facts(self, migration, operation, state, new_tables):
        app = migration.app_label
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            inner = state.clone()
            for database_operation in operation.database_operations:
                yield from self._facts(migration, database_operation, inner, new_tables)
                database_operation.state_forwards(app, inner)
            return
        if isinstance(operation, migrations.CreateModel):
            new_tables.add(f"{app}.{operation.name_lower}")
        if isinstance(operation, _HARMLESS):
            yield OperationFacts(Kind.OTHER, app), operation
            return
        if isinstance(operation, (migrations.RunPython, migrations.RunSQL)):
            yield self._run_code(migration, operation), operation
            return
        known = (
            migrations.AddIndex,
            migrations.AddConstraint,
            migrations.AddField,
            migrations.AlterField,
        )
        if not isinstance(operation, known):
            raise UnknownOperation(f"{app}.{migration.name}: {operation.describe()}")
        table = f"{app}.{operation.model_name_lower}"
        common = {"table": table, "table_is_new": table in new_tables}
        if isinstance(operation, migrations.AddIndex):
            concurrently = isinstance(operation, AddIndexConcurrently)
            yield OperationFacts(Kind.ADD_INDEX, concurrently=concurrently, **common), operation
        elif isinstance(operation, migrations.AddConstraint):
            # Django adds every constraint valid; NOT VALID is written in RunSQL (docs/upgrades.md).
            yield OperationFacts(Kind.ADD_CONSTRAINT, **common), operation
        elif isinstance(operation, migrations.AddField):
            # The operation's own field: with preserve_default=False its default is used only
            # to fill the rows there are, and the state forgets it.
            field = self._field_after(app, operation, state)
            column = self._column(field) | {"has_default": _fills_rows(operation.field)}
            yield OperationFacts(Kind.ADD_FIELD, **common, **column), operation
        elif isinstance(operation, migrations.AlterField):
            old = state.apps.get_model(app, operation.model_name)._meta.get_field(operation.name)
            old_type = old.db_type(self.postgresql)
            old_column = self._column(old)
            new = self._field_after(app, operation, state)
            column = self._column(new)
            column["indexed"] = column["indexed"] and not old_column["indexed"]
            column["foreign_key"] = column["foreign_key"] and not old_column["foreign_key"]
            facts = OperationFacts(
                Kind.ALTER_FIELD,
                was_nullable=old.null,
                type_rewrites=type_rewrites(old_type, new.db_type(self.postgresql)),
                **common,
                **column,
            )
            yield facts, operation

    @staticmethod
    def _field_after(app: str, operation: Operation, state: ProjectState) -> Field:
        after = state.clone()
        operation.state_forwards(app, after)
        return after.apps.get_model(app, operation.model_name)._meta.get_field(operation.name)

    @staticmethod
    def _column(field: Field) -> dict:
        db_default = field.db_default
        return {
            "nullable": field.null,
            "has_default": _fills_rows(field),
            # A constant or now() (stable within the statement) keeps PostgreSQL's fast path.
            "volatile_default": hasattr(db_default, "resolve_expression")
            and not isinstance(db_default, (Value, Now)),
            "indexed": bool(field.unique or field.db_index) and not field.primary_key,
            "foreign_key": bool(field.many_to_one and field.db_constraint),
        }

    def _run_code(self, migration: Migration, operation: Operation) -> OperationFacts:
        if isinstance(operation, BatchedFill):
            touches = operation.model_label.lower() in self.large_tables
            batched = not migration.atomic
            return OperationFacts(
                Kind.RUN_CODE, migration.app_label, touches_large_table=touches, batched=batched
            )
        if isinstance(operation, migrations.RunSQL):
            touches = any(
                self._mentions_large(statement) and not _LOCK_FREE_SQL.search(statement)
                for statement in _statements(operation.sql)
            )
        else:
            # The whole module: table names are often kept in constants beside the function.
            touches = self._mentions_large(inspect.getsource(inspect.getmodule(operation.code)))
        return OperationFacts(Kind.RUN_CODE, migration.app_label, touches_large_table=touches)

    def _mentions_large(self, text: str) -> bool:
        for label, db_table in self.db_tables.items():
            app, model = label.split(".")
            model_pattern = rf"get_model\(\s*['\"]{app}['\"]\s*,\s*['\"]{model}['\"]"
            by_model = re.search(model_pattern, text, re.IGNORECASE)
            if by_model or re.search(rf"\b{re.escape(db_table)}\b", text, re.IGNORECASE):
                return True
        return False
