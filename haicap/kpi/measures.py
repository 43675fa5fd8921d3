"""The service figures a directive's target can be bound to (``haicap.core.measures``).

Read province-wide (``indicators(None, ...)``): a target's value is the same whoever looks at
it, a department's officer or the commune's own.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.measures import Measure, Unit
from haicap.kpi.indicators import Totals
from haicap.kpi.selectors import Slice, indicators
from haicap.units.models import AdministrativeUnit

HUNDREDTHS = Decimal("0.01")


def totals(
    unit_id: int | None, field_code: str | None, start: dt.date, end: dt.date
) -> Totals | None:
    """The figures of a commune (or the province) and field from ``start`` to ``end``, so far:
    a period that has not begun has none, and one not yet over is read up to today."""
    today = clock.now().astimezone(VIETNAM).date()
    if start > today or end < start:
        return None
    unit_code = None
    if unit_id is not None:
        unit_code = (
            AdministrativeUnit.objects.filter(pk=unit_id).values_list("code", flat=True).first()
        )
        if not unit_code:
            return None  # the figures know a commune by its code
    where = Slice(unit_code=unit_code, field_code=field_code)
    return indicators(None, start, min(end, today), where=where)[None]


def _percent(rate: Callable[[Totals], Decimal | None]) -> Callable:
    def compute(unit_id, field_code, start, end) -> Decimal | None:
        found = totals(unit_id, field_code, start, end)
        share = rate(found) if found is not None else None
        return None if share is None else (share * 100).quantize(HUNDREDTHS)

    return compute


def _count(count: Callable[[Totals], int]) -> Callable:
    def compute(unit_id, field_code, start, end) -> Decimal | None:
        found = totals(unit_id, field_code, start, end)
        return None if found is None else Decimal(count(found))

    return compute


ONLINE_INTAKE_RATE = Measure(
    key="kpi.online_intake_rate",
    label=_("Online intake rate"),
    unit=Unit.PERCENT,
    higher_is_better=True,
    compute=_percent(lambda t: t.online_rate),
)
ON_TIME_RATE = Measure(
    key="kpi.on_time_rate",
    label=_("On-time rate"),
    unit=Unit.PERCENT,
    higher_is_better=True,
    compute=_percent(lambda t: t.on_time_rate),
)
OPEN_BACKLOG = Measure(
    key="kpi.open_backlog",
    label=_("Dossiers in progress at the end of the period"),
    unit=Unit.COUNT,
    higher_is_better=False,
    compute=_count(lambda t: t.in_progress_at_end),
)
OVERDUE_OPEN = Measure(
    key="kpi.overdue_open",
    label=_("Overdue dossiers in progress at the end of the period"),
    unit=Unit.COUNT,
    higher_is_better=False,
    compute=_count(lambda t: t.overdue_at_end),
)
MEASURES = (ONLINE_INTAKE_RATE, ON_TIME_RATE, OPEN_BACKLOG, OVERDUE_OPEN)
