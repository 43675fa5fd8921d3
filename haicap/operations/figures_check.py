"""Whether the indicator figures equal what a rebuild computes, leaving them as they were.

The rebuild runs inside a transaction that is always rolled back: the figures restored are
compared with the rebuilt ones and the database keeps what it had, whichever way it goes.
"""

from decimal import Decimal

from django.apps import apps
from django.db import models, transaction

from haicap.core.context import acting_as
from haicap.kpi import derive
from haicap.kpi import services as kpi

BALANCE_COUNTS = ("open", "overdue")


def _figure_models() -> list[type[models.Model]]:
    tables = set(derive.ALL_TABLES)
    return [m for m in apps.get_app_config("kpi").get_models() if m._meta.db_table in tables]


def _stored(model: type[models.Model]) -> dict[tuple, dict[str, Decimal]]:
    """A table's rows by key, zero rows left out (a rebuild writes none)."""
    counted = [
        f.attname
        for f in model._meta.concrete_fields
        if f.attname in (*derive.NAMES, *BALANCE_COUNTS)
    ]
    keys = [
        f.attname
        for f in model._meta.concrete_fields
        if f.attname not in counted and not f.primary_key
    ]
    rows = {}
    for row in model.objects.values(*keys, *counted).iterator(chunk_size=5000):
        counts = {c: Decimal(row[c]) for c in counted if row[c]}
        if counts:
            rows[tuple(row[k] for k in keys)] = counts
    return rows


def figures_differing_from_rebuild() -> list[str]:
    """The figure tables whose rows differ from a rebuild's; empty when all agree."""
    figure_models = _figure_models()
    with transaction.atomic():
        kept = {model: _stored(model) for model in figure_models}
        with acting_as("restore-check"):
            kpi.rebuild()
        differing = [m._meta.db_table for m in figure_models if _stored(m) != kept[m]]
        transaction.set_rollback(True)
    return differing
