"""Migration operations that change a large table without stopping the desks on PostgreSQL.

Both belong in a migration with ``atomic = False``: an index built CONCURRENTLY may not run in a
transaction, and a batched fill must commit each batch for its locks to be let go
(``docs/upgrades.md``, "Writing migrations for large tables").
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.apps.registry import Apps
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, transaction
from django.db.models import Max, Min, Model, Q

Values = Mapping[str, Any] | Callable[[Apps], Mapping[str, Any]]


class AddIndexWithoutLocking(AddIndexConcurrently):
    """CREATE INDEX CONCURRENTLY on PostgreSQL, so desks go on writing while it builds; a plain
    CREATE INDEX elsewhere (SQLite has no other kind)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_index(model, self.index)


def fill_in_batches(
    model: type[Model],
    values: Mapping[str, Any],
    *,
    where: Q | None = None,
    batch_size: int = 5000,
    using: str = "default",
) -> int:
    """UPDATE ``model`` SET ``values`` in ranges of ``batch_size`` primary keys, each range in its
    own transaction; returns the number of rows changed.

    Rows added after the first range is read are not visited: the code that adds them must
    already write ``values`` (deploy it before the migration runs)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    rows = model._base_manager.using(using)
    bounds = rows.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return 0
    changed = 0
    for start in range(bounds["low"], bounds["high"] + 1, batch_size):
        batch = rows.filter(pk__gte=start, pk__lt=start + batch_size)
        if where is not None:
            batch = batch.filter(where)
        with transaction.atomic(using=using):
            changed += batch.update(**values)
    return changed


class BatchedFill(migrations.RunPython):
    """A RunPython that fills ``model_label`` ("app_label.ModelName") with ``fill_in_batches``.

    ``values`` is a mapping of column to value or expression, or a function of the migration's
    apps returning one (for a Subquery on another model). Put it in a migration with
    ``atomic = False``: in an atomic one every batch shares the migration's transaction."""

    def __init__(
        self,
        model_label: str,
        values: Values,
        *,
        where: Q | None = None,
        batch_size: int = 5000,
        reverse_code: Callable | None = migrations.RunPython.noop,
    ) -> None:
        self.model_label = model_label
        self.values = values
        self.where = where
        self.batch_size = batch_size
        super().__init__(self._fill, reverse_code, atomic=False)

    def deconstruct(self) -> tuple[str, list, dict]:
        kwargs = {"where": self.where, "batch_size": self.batch_size}
        return self.__class__.__qualname__, [self.model_label, self.values], kwargs

    def describe(self) -> str:
        return f"Fill {self.model_label} in batches of {self.batch_size}"

    def _fill(self, apps: Apps, schema_editor) -> None:
        values = self.values(apps) if callable(self.values) else self.values
        fill_in_batches(
            apps.get_model(self.model_label),
            values,
            where=self.where,
            batch_size=self.batch_size,
            using=schema_editor.connection.alias,
        )
