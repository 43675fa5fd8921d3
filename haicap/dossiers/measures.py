"""The desk's intake figures a directive's target can be bound to (``haicap.core.measures``).

Guidance to complete a dossier (form 02 at the desk) and refusals to receive (form 03) are not
dossiers and are not in the "received" figures, but provinces report how many each desk gave
(domain.md 7, duty 5). Read province-wide, like ``kpi.measures``: a target's value is the same
whoever looks at it. A commune's figure is what the desks of that commune gave.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.measures import Measure, Unit
from haicap.dossiers.models import DeskRecord


def count_given(
    kind: str, unit_id: int | None, field_code: str | None, start: dt.date, end: dt.date
) -> Decimal | None:
    """How many records of ``kind`` the desks of ``unit_id`` (all desks when None) gave for
    procedures of ``field_code`` (any, and none, when None) from ``start`` to ``end``, so far: a
    period that has not begun has none."""
    today = clock.now().astimezone(VIETNAM).date()
    if start > today or end < start:
        return None
    first = dt.datetime.combine(start, dt.time(0), tzinfo=VIETNAM)
    after = dt.datetime.combine(min(end, today) + dt.timedelta(days=1), dt.time(0), tzinfo=VIETNAM)
    records = DeskRecord.objects.filter(kind=kind, at__gte=first, at__lt=after)
    if unit_id is not None:
        records = records.filter(desk__unit_id=unit_id)
    if field_code is not None:
        records = records.filter(procedure__field__code=field_code)
    return Decimal(records.count())


def _counting(kind: str) -> Callable:
    def compute(unit_id, field_code, start, end) -> Decimal | None:
        return count_given(kind, unit_id, field_code, start, end)

    return compute


INTAKE_GUIDANCE = Measure(
    key="dossiers.intake_guidance",
    label=_("Guidance to complete given at the desk (form 02)"),
    unit=Unit.COUNT,
    higher_is_better=False,
    compute=_counting(DeskRecord.Kind.GUIDANCE),
)
INTAKE_REFUSALS = Measure(
    key="dossiers.intake_refusals",
    label=_("Dossiers refused at the desk (form 03)"),
    unit=Unit.COUNT,
    higher_is_better=False,
    compute=_counting(DeskRecord.Kind.REFUSAL),
)
MEASURES = (INTAKE_GUIDANCE, INTAKE_REFUSALS)
