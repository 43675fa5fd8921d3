"""The staffing figures a directive's target can be bound to (``haicap.core.measures``):
"land officers at xã Bạch Hà ≥ 2", "the province's gap in health officers ≤ 3".

A target names a field of the catalogue (``DirectiveTarget.field``); a staff field is found by
its catalogue field, or else by a code equal to the catalogue code. A target with no field
counts every staff field: so is a field with no catalogue field of its own (IT) counted, in the
commune's total. For the whole province (no commune) the communes' figures are added up.

A target's value is the standing on the period's last day, or today while the period runs;
before the period begins there is nothing to measure. Read province-wide: the value is the same
whoever looks at it.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from haicap.core.measures import Measure, Unit
from haicap.staffing.norms import Standing
from haicap.staffing.standings import province_standings, today


def standings_for(
    unit_id: int | None, field_code: str | None, start: dt.date, end: dt.date
) -> list[Standing] | None:
    """The standings the target adds up (None: nothing to measure)."""
    now = today()
    if start > now or end < start:
        return None
    found = province_standings(min(end, now), None if unit_id is None else [unit_id])
    if not found.communes:
        return None  # not a current commune
    codes = {
        f.code
        for f in found.fields
        if field_code is None
        or f.code == field_code
        or (f.catalog_field is not None and f.catalog_field.code == field_code)
    }
    standings = [s for (_unit, code), s in found.cells.items() if code in codes]
    return standings or None


def _sum_of(figure: Callable[[Standing], int]) -> Callable:
    def compute(unit_id, field_code, start, end) -> Decimal | None:
        standings = standings_for(unit_id, field_code, start, end)
        return None if standings is None else Decimal(sum(figure(s) for s in standings))

    return compute


OFFICERS = Measure(
    key="staffing.officers",
    label=_("Officers in the field (their own, and seconded in, less those seconded out)"),
    unit=Unit.COUNT,
    higher_is_better=True,
    compute=_sum_of(lambda s: s.filled),
)
GAP = Measure(
    key="staffing.gap",
    label=_("Officers lacking against the norm (the staffing gap)"),
    unit=Unit.COUNT,
    higher_is_better=False,
    compute=_sum_of(lambda s: s.gap),
)
MEASURES = (OFFICERS, GAP)
