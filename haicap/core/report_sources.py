"""Figures a commune report's cell can be pre-filled from, registered by the apps that hold them
(pure).

A report template says "this cell is the commune's on-time rate for the period" by naming a
source's stable ``key`` and its parameters (a field's code, a kind of equipment). The value and
the link to the records behind it come from the app that keeps the figure, which registers its
sources once, from its ``AppConfig.ready()``, as it registers its directive ``measures``: the
``reports`` app reads this registry and never imports the apps one by one, so a later app adds
its sources without editing the reader.

Most sources are a directive measure read for one commune and period (``from_measure``); a source
may also stand alone (a count no directive targets).
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from haicap.core.measures import Measure, Unit

# The parameters a template gives a source, by name: {"field": "HT"}. Values are strings.
Params = Mapping[str, str]

# (a commune's unit id, the template's parameters, first day, last day): the value, or None when
# there is nothing to read (no dossier received, no plan for the year).
Read = Callable[[int, Params, dt.date, dt.date], Decimal | None]

# (a commune's unit id, the parameters, first day, last day): the path of the page listing the
# records behind the value (their officers' page, scoped as always), or "" for none.
Records = Callable[[int, Params, dt.date, dt.date], str]


@dataclass(frozen=True)
class Param:
    name: str  # as templates write it: "field"
    label: str  # shown to people (translated by the registering app)
    required: bool = False


@dataclass(frozen=True)
class ReportSource:
    key: str  # stored in templates: never renamed once used
    label: str  # shown to people (the registering app gives it translated)
    unit: Unit
    read: Read
    records: Records
    params: tuple[Param, ...] = field(default=())

    def value(self, unit_id: int, params: Params, start: dt.date, end: dt.date) -> Decimal | None:
        return self.read(unit_id, params, start, end)

    def unknown_params(self, params: Params) -> list[str]:
        """The names in ``params`` this source does not take, sorted."""
        known = {p.name for p in self.params}
        return sorted(name for name in params if name not in known)

    def missing_params(self, params: Params) -> list[str]:
        """The required parameters ``params`` leaves out or empty, in the source's order."""
        return [p.name for p in self.params if p.required and not params.get(p.name)]


FIELD = "field"


def from_measure(measure: Measure, records: Records, *, field_label: str = "") -> ReportSource:
    """The source reading ``measure`` for one commune; one whose figure a field narrows takes
    the optional ``field`` parameter (a catalogue field's code)."""

    def read(unit_id: int, params: Params, start: dt.date, end: dt.date) -> Decimal | None:
        return measure.value(unit_id, params.get(FIELD) or None, start, end)

    takes = (Param(FIELD, field_label or FIELD),) if measure.reads_field else ()
    return ReportSource(
        key=measure.key,
        label=measure.label,
        unit=measure.unit,
        read=read,
        records=records,
        params=takes,
    )


class ReportSourceRegistry:
    def __init__(self) -> None:
        self._sources: dict[str, ReportSource] = {}

    def __repr__(self) -> str:
        return f"<ReportSourceRegistry: {', '.join(self._sources) or 'empty'}>"

    def register(self, source: ReportSource) -> ReportSource:
        """Register ``source`` once (again under its key: the first stays, so ``ready()`` may run
        twice); another source under its key is refused, since templates that name the key would
        silently change meaning."""
        have = self._sources.get(source.key)
        if have is not None and (have.label, have.unit, have.params) != (
            source.label,
            source.unit,
            source.params,
        ):
            raise ValueError(f"another report source is registered as {source.key!r}")
        self._sources.setdefault(source.key, source)
        return self._sources[source.key]

    def forget(self, source: ReportSource) -> None:
        """Unregister ``source`` (a test's own, once it has seen what it needed)."""
        if self._sources.get(source.key) is source:
            del self._sources[source.key]

    def get(self, key: str) -> ReportSource | None:
        return self._sources.get(key)

    def all(self) -> tuple[ReportSource, ...]:
        """Every source, by key."""
        return tuple(self._sources[key] for key in sorted(self._sources))


report_sources = ReportSourceRegistry()
