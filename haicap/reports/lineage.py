"""A commune's series across the 2025 reform (pure: no Django).

Before 1 July 2025 the commune did not exist: its predecessors reported. So that a chart does
not break at the merger, a period that ended before the reform takes the sum of the former
communes the commune replaced (the units' lineage). A period is the commune's own once it ends
on or after the reform day, as whoever must file it is decided by the units in force on its
last day: the year 2025 is filed by the new commune. A former commune divided between several
new communes cannot be apportioned without a rule nobody has set: it is left out of every
successor's sum and named, as is a former commune that filed nothing for the period, so a
partial sum is never passed off as a whole one.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from haicap.core.periods import Period


@dataclass(frozen=True)
class Former:
    unit_id: int
    successors: int  # how many current communes it went to (1: merged whole)


@dataclass(frozen=True)
class Point:
    start: dt.date  # the period's first day
    value: Decimal | None
    from_units: tuple[int, ...]  # whose reports the value adds up
    missing: tuple[int, ...] = ()  # former communes with no figure for the period
    divided: tuple[int, ...] = ()  # former communes split between several communes: left out

    @property
    def partial(self) -> bool:
        return bool(self.missing or self.divided)


def series(
    commune_id: int,
    formers: Sequence[Former],
    values: Mapping[tuple[int, dt.date], Decimal | None],
    periods: Sequence[Period],
    reform_day: dt.date,
) -> list[Point]:
    """The commune's value for each of ``periods``: its own report's for a period ending on or
    after ``reform_day``, its whole predecessors' sum for one that ended before. ``values``
    holds each unit's value by (unit id, period start); a unit absent from it filed nothing."""
    points = []
    for period in periods:
        start = period.start
        if period.end >= reform_day:
            value = values.get((commune_id, start))
            points.append(Point(start, value, (commune_id,) if value is not None else ()))
            continue
        whole = [f.unit_id for f in formers if f.successors == 1]
        divided = tuple(f.unit_id for f in formers if f.successors != 1)
        counted = tuple(u for u in whole if values.get((u, start)) is not None)
        missing = tuple(u for u in whole if values.get((u, start)) is None)
        total = sum((values[(u, start)] for u in counted), Decimal(0)) if counted else None
        points.append(Point(start, total, counted, missing, divided))
    return points
