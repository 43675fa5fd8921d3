"""The feedback figures a commune report's cell can be pre-filled from
(``haicap.core.report_sources``): the directive measures read for the commune (satisfaction,
petitions answered by their legal deadline, petitions overdue) and two counts no directive
targets, the petitions received and answered in the period. A commune's figure is that of its
bodies, each count going to the body that answers for it, as the figures page counts it
(``tallies``).

Each links to the records behind it: the figures page for the period, whose tables give the
commune's line (the reader sees the petitions their scope allows); for the petitions overdue,
the desk's queue of the commune's petitions past their legal deadline.
"""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haicap.core.measures import Unit
from haicap.core.report_sources import Params, ReportSource, from_measure
from haicap.feedback import tallies
from haicap.feedback.figures import PetitionCounts
from haicap.feedback.measures import (
    PETITIONS_ANSWERED_ON_TIME,
    PETITIONS_OVERDUE,
    SATISFACTION_RATE,
)
from haicap.feedback.models import Petition

FIELD_LABEL = _("Field (the code of a catalogue field; every field when empty)")


def figures_page(unit_id: int, params: Params, start: dt.date, end: dt.date) -> str:
    """The figures page for the period (its "from … to …" choice)."""
    query = {"kind": "range", "start": start.isoformat(), "end": end.isoformat()}
    return f"{reverse('desk:feedback:figures')}?{urlencode(query)}"


def overdue_queue(unit_id: int, params: Params, start: dt.date, end: dt.date) -> str:
    """The queue of the commune's petitions past their legal deadline (a reader of one commune
    has no commune filter: the queue is theirs)."""
    query = {"commune": str(unit_id), "overdue": "on"}
    return f"{reverse('desk:feedback:queue')}?{urlencode(query)}"


def _counts(unit_id: int, start: dt.date, end: dt.date, role: str) -> PetitionCounts | None:
    moments = tallies.moments(start, end)
    if moments is None:
        return None
    found = tallies.count_petitions(Petition.objects.all(), *moments, tallies.UNIT, roles=(role,))
    return found.get(unit_id, PetitionCounts())


def received(unit_id: int, params: Params, start: dt.date, end: dt.date) -> Decimal | None:
    counts = _counts(unit_id, start, end, "received")
    return None if counts is None else Decimal(counts.received)


def answered(unit_id: int, params: Params, start: dt.date, end: dt.date) -> Decimal | None:
    """Petitions whose answer, sent in the period, stands at its end (on time or late)."""
    counts = _counts(unit_id, start, end, "answers")
    return None if counts is None else Decimal(counts.answered_on_time + counts.answered_late)


SOURCES = (
    ReportSource(
        key="feedback.petitions_received",
        label=_("Petitions received in the period"),
        unit=Unit.COUNT,
        read=received,
        records=figures_page,
    ),
    ReportSource(
        key="feedback.petitions_answered",
        label=_("Petitions answered in the period"),
        unit=Unit.COUNT,
        read=answered,
        records=figures_page,
    ),
    from_measure(SATISFACTION_RATE, figures_page, field_label=FIELD_LABEL),
    from_measure(PETITIONS_ANSWERED_ON_TIME, figures_page),
    from_measure(PETITIONS_OVERDUE, overdue_queue),
)
