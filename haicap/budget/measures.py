"""The disbursement rate a directive's target can be bound to (``haicap.core.measures``):
"xã Bạch Hà disburses at least 60 % of its 2025 capital by 30 September".

``budget.disbursement_rate``: what the projects a commune invests in (or every project of the
province, for no commune) disbursed from January through the month read (``months.month_read``:
the last month of the period's last year ended within the period, by yesterday), as a share of
the annual plan of that year in force at that month's end. Higher is better. There is nothing to
measure before a month of the period is over, where there is no annual plan or nothing planned,
or at a unit that is not a current commune. A target names no field (capital has sectors of its
own, not the catalogue's fields) and a period within one calendar year (it is read against that
year's plan): ``reads_field`` and ``within_one_year`` say so, and the target's checks refuse
others. Read province-wide: the value is the same whoever looks.
"""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from haicap.budget import months, rates
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.measures import Measure, Unit
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit


def _is_current_commune(unit_id: int) -> bool:
    return AdministrativeUnit.objects.filter(
        pk=unit_id, tier=Tier.COMMUNE, valid_to__isnull=True
    ).exists()


def disbursement_rate(
    unit_id: int | None, field_code: str | None, start: dt.date, end: dt.date
) -> Decimal | None:
    today = clock.now().astimezone(VIETNAM).date()
    read = months.month_read(start, end, today)
    if read is None:
        return None
    year, month = read
    if unit_id is not None and not _is_current_commune(unit_id):
        return None  # a target names a current commune, or the province
    return rates.rate_for(unit_id, year, month)


DISBURSEMENT_RATE = Measure(
    key="budget.disbursement_rate",
    label=_("Share of the year's public-investment capital plan disbursed"),
    unit=Unit.PERCENT,
    higher_is_better=True,
    compute=disbursement_rate,
    reads_field=False,
    within_one_year=True,
)
MEASURES = (DISBURSEMENT_RATE,)
