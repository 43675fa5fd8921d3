"""Figures a directive's target can be bound to, registered by the apps that compute them (pure).

A directive may say "online intake in xã Văn Hiến ≥ 40 % in the quarter". The oversight app
stores which figure (a ``Measure``'s stable ``key``), where, for which field and period, the
comparison and the threshold; the value itself comes from the app that keeps the figure, which
registers its measures once, from its ``AppConfig.ready()`` (``kpi`` does). The reader asks
this registry and never imports the apps one by one, so a later app adds its measures without
editing the reader. Like ``channels``: explicit objects, and no names in strings beyond the key
a directive stores.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Unit(StrEnum):
    PERCENT = "%"  # a share, from 0 to 100
    COUNT = "count"


class Comparison(StrEnum):
    AT_LEAST = ">="
    AT_MOST = "<="
    EQUAL = "="


# (a commune's unit id, or None for the whole province; a field's code or None; first day,
# last day): the value, or None when there is nothing to measure (no dossier received).
Compute = Callable[[int | None, str | None, dt.date, dt.date], Decimal | None]


@dataclass(frozen=True)
class Measure:
    key: str  # stored on directives: never renamed once used
    label: str  # shown to people (the registering app gives it translated)
    unit: Unit
    higher_is_better: bool
    compute: Compute
    # Whether a target's field narrows the figure (the catalogue's fields: dossiers are filed
    # under them); a measure that reads none refuses a target naming one, rather than ignore it.
    reads_field: bool = True
    # Whether the period must lie within one calendar year (a figure measured against one
    # year's plan): a period across years would silently measure its last year only.
    within_one_year: bool = False

    def value(
        self, unit_id: int | None, field_code: str | None, start: dt.date, end: dt.date
    ) -> Decimal | None:
        return self.compute(unit_id, field_code, start, end)


def met(value: Decimal | None, comparison: Comparison, threshold: Decimal) -> bool:
    """Whether ``value`` meets the target; a value that cannot be measured meets nothing."""
    if value is None:
        return False
    if comparison == Comparison.AT_LEAST:
        return value >= threshold
    if comparison == Comparison.AT_MOST:
        return value <= threshold
    return value == threshold


class MeasureRegistry:
    def __init__(self) -> None:
        self._measures: dict[str, Measure] = {}

    def __repr__(self) -> str:
        return f"<MeasureRegistry: {', '.join(self._measures) or 'empty'}>"

    def register(self, measure: Measure) -> Measure:
        """Register ``measure`` (once, however often); another measure under its key is refused,
        since directives that store the key would silently change meaning."""
        have = self._measures.get(measure.key)
        if have is not None and have != measure:
            raise ValueError(f"another measure is registered as {measure.key!r}")
        self._measures[measure.key] = measure
        return measure

    def forget(self, measure: Measure) -> None:
        """Unregister ``measure`` (a test's own, once it has seen what it needed)."""
        if self._measures.get(measure.key) == measure:
            del self._measures[measure.key]

    def get(self, key: str) -> Measure | None:
        return self._measures.get(key)

    def all(self) -> tuple[Measure, ...]:
        """Every measure, in the order they registered."""
        return tuple(self._measures.values())


measures = MeasureRegistry()
