"""The feedback figures a directive's target can be bound to (``haicap.core.measures``): "xã Văn
Hiến answers at least 95 % of petitions on time this quarter", "at most 2 overdue petitions".

Read province-wide, like the other apps' measures: a target's value is the same whoever looks.
A commune's figure is that of the agencies of its unit (its People's Committee and offices),
each count going to the agency that answers for it (``tallies``); ``None`` for the province.
A period not over is read up to now; one not begun has no value.

- ``feedback.satisfaction_rate``: satisfied ratings / ratings given in the period (%); a field
  narrows it to the ratings of dossiers of that field (a petition has none);
- ``feedback.petitions_answered_on_time``: petitions answered by their legal deadline /
  petitions whose legal deadline fell in the period (%), as the index counts it;
- ``feedback.petitions_overdue``: petitions open at the end of the period (now, when it is not
  over) past their legal deadline. Lower is better.
"""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from haicap.core.measures import Measure, Unit
from haicap.feedback import tallies
from haicap.feedback.figures import HUNDREDTH, PetitionCounts, percent
from haicap.feedback.models import Petition, Rating


def satisfaction_rate(
    unit_id: int | None, field_code: str | None, start: dt.date, end: dt.date
) -> Decimal | None:
    moments = tallies.moments(start, end)
    if moments is None:
        return None
    ratings = Rating.objects.all()
    if unit_id is not None:
        ratings = ratings.filter(unit_id=unit_id)
    if field_code is not None:
        ratings = ratings.filter(field_code=field_code)
    found = tallies.count_ratings(ratings, *moments).get(None)
    return None if found is None else percent(found.satisfied, found.ratings, HUNDREDTH)


def answered_on_time(
    unit_id: int | None, field_code: str | None, start: dt.date, end: dt.date
) -> Decimal | None:
    moments = tallies.moments(start, end)
    if moments is None:
        return None
    by = None if unit_id is None else tallies.UNIT
    found = tallies.count_due(Petition.objects.all(), *moments, by).get(unit_id)
    return None if found is None else percent(*found, HUNDREDTH)


def overdue(
    unit_id: int | None, field_code: str | None, start: dt.date, end: dt.date
) -> Decimal | None:
    moments = tallies.moments(start, end)
    if moments is None:
        return None
    by = None if unit_id is None else tallies.UNIT
    found = tallies.count_petitions(Petition.objects.all(), *moments, by, roles=("open",))
    return Decimal(found.get(unit_id, PetitionCounts()).overdue)


SATISFACTION_RATE = Measure(
    key="feedback.satisfaction_rate",
    label=_("Satisfaction rate of citizens' ratings"),
    unit=Unit.PERCENT,
    higher_is_better=True,
    compute=satisfaction_rate,
)
PETITIONS_ANSWERED_ON_TIME = Measure(
    key="feedback.petitions_answered_on_time",
    label=_("Petitions answered by their legal deadline"),
    unit=Unit.PERCENT,
    higher_is_better=True,
    compute=answered_on_time,
    reads_field=False,
)
PETITIONS_OVERDUE = Measure(
    key="feedback.petitions_overdue",
    label=_("Petitions open past their legal deadline at the end of the period"),
    unit=Unit.COUNT,
    higher_is_better=False,
    compute=overdue,
    reads_field=False,
)
MEASURES = (SATISFACTION_RATE, PETITIONS_ANSWERED_ON_TIME, PETITIONS_OVERDUE)
