"""How much work a commune has in each field, told by the app that counts it (pure).

Staffing norms derived from the workload need each commune's dossiers per field, which the
indicators app keeps. Apps on one layer do not import each other: the indicators app registers
its source here once, from its ``AppConfig.ready()``, and staffing asks this registry.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldWorkload:
    received: int  # dossiers received in the period
    overdue_open: int  # dossiers in progress and past due at the period's end


# (first day, last day): each (unit id, catalogue field code)'s workload; units or fields with
# none may be left out.
Source = Callable[[dt.date, dt.date], Mapping[tuple[int, str], FieldWorkload]]


class WorkloadRegistry:
    def __init__(self) -> None:
        self._source: Source | None = None

    def __repr__(self) -> str:
        return f"<WorkloadRegistry: {'a source' if self._source else 'no source'}>"

    def register(self, source: Source) -> Source:
        """Register the one source (again, the same: no change); another is refused."""
        if self._source is not None and self._source != source:
            raise ValueError("another workload source is registered")
        self._source = source
        return source

    def forget(self, source: Source) -> None:
        if self._source == source:
            self._source = None

    def by_unit_and_field(
        self, start: dt.date, end: dt.date
    ) -> Mapping[tuple[int, str], FieldWorkload]:
        """The registered source's answer; none registered: no workload anywhere."""
        return {} if self._source is None else self._source(start, end)


workload = WorkloadRegistry()
