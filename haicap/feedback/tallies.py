"""The feedback figures' queries: petitions and ratings of a period counted in one query, grouped
by what the caller asks (an agency, a unit, a category, a field...). What each count means is
``figures``'; who may read them is the caller's: a page passes ``Model.objects.restrict(user)``,
the index, the directive targets and the briefing pack the whole table (read province-wide, as
the other apps' figures are).
"""

import datetime as dt
from collections.abc import Hashable

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.service_index import span
from haicap.feedback.figures import PetitionCounts, SatisfactionCounts
from haicap.feedback.lifecycle import OPEN_STATES
from haicap.feedback.models import Petition, PetitionEvent, Rating

OPEN = sorted(state.value for state in OPEN_STATES)


def moments(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
    """The period read as [start, end): from the start of ``first`` to the end of ``last``, or
    to now when it is not over; ``None`` when it has not begun."""
    start, end = span(first, last, VIETNAM)
    now = clock.now()
    if start > now or end <= start:
        return None
    return start, min(end, now)


def _keyed(row: dict, keys: tuple[str, ...]) -> Hashable:
    return row[keys[0]] if len(keys) == 1 else tuple(row[k] for k in keys)


def _petition_counts(start: dt.datetime, end: dt.datetime) -> dict[str, Count]:
    answered = Q(first_answered_at__gte=start, first_answered_at__lt=end)
    by_due = Q(first_answered_at__lte=F("legal_due_at"))
    due = Q(legal_due_at__gte=start, legal_due_at__lt=end)
    open_at_end = Q(state_at_end__in=OPEN)
    return {
        "received": Count("pk", filter=Q(received_at__gte=start, received_at__lt=end)),
        "answered_on_time": Count("pk", filter=answered & by_due),
        "answered_late": Count("pk", filter=answered & Q(first_answered_at__gt=F("legal_due_at"))),
        "overdue": Count("pk", filter=open_at_end & Q(legal_due_at__lt=end)),
        "open_in_time": Count("pk", filter=open_at_end & Q(legal_due_at__gte=end)),
        "due": Count("pk", filter=due),
        "answered_by_due": Count("pk", filter=due & by_due),
    }


def count_petitions(
    petitions: QuerySet[Petition], start: dt.datetime, end: dt.datetime, *keys: str
) -> dict[Hashable, PetitionCounts]:
    """Each group's ``PetitionCounts`` for [start, end), in one query (keyed ``None`` without
    ``keys``). A petition is open at ``end`` when its last event before it left it received,
    assigned or in progress: a reopened one is open again, a past period reads as it was."""
    state_at_end = Subquery(
        PetitionEvent.objects.filter(petition=OuterRef("pk"), at__lt=end)
        .order_by("-seq")
        .values("state_after")[:1]
    )
    touched = petitions.filter(received_at__lt=end).filter(
        # only what a count can see: received, answered or due in the period, or not closed
        # before it began (so possibly open at its end); the rest of the history is skipped
        Q(received_at__gte=start)
        | Q(first_answered_at__isnull=True)
        | Q(first_answered_at__gte=start)
        | Q(legal_due_at__gte=start)
        | Q(closed_at__isnull=True)
        | Q(closed_at__gte=start)
    )
    counted = touched.alias(state_at_end=state_at_end)
    counts = _petition_counts(start, end)
    if not keys:
        found = counted.aggregate(**counts)
        return {None: PetitionCounts(**found)}
    rows = counted.values(*keys).annotate(**counts).order_by()
    return {
        _keyed(row, keys): PetitionCounts(**{name: row[name] for name in counts}) for row in rows
    }


def count_due(
    petitions: QuerySet[Petition], start: dt.datetime, end: dt.datetime, *keys: str
) -> dict[Hashable, tuple[int, int]]:
    """(answered by the legal deadline, due) of the petitions whose legal deadline fell in
    [start, end), by group, in one query: a group with none due is left out."""
    due = petitions.filter(legal_due_at__gte=start, legal_due_at__lt=end)
    counts = {
        "whole": Count("pk"),
        "part": Count("pk", filter=Q(first_answered_at__lte=F("legal_due_at"))),
    }
    if not keys:
        found = due.aggregate(**counts)
        return {None: (found["part"], found["whole"])} if found["whole"] else {}
    rows = due.values(*keys).annotate(**counts).order_by()
    return {_keyed(r, keys): (r["part"], r["whole"]) for r in rows if r["whole"]}


def count_ratings(
    ratings: QuerySet[Rating], start: dt.datetime, end: dt.datetime, *keys: str
) -> dict[Hashable, SatisfactionCounts]:
    """Each group's ratings given in [start, end) and how many are satisfied, in one query; a
    group with none is left out."""
    given = ratings.filter(rated_at__gte=start, rated_at__lt=end)
    counts = {"ratings": Count("pk"), "satisfied": Count("pk", filter=Q(satisfied=True))}
    if not keys:
        found = given.aggregate(**counts)
        return {None: SatisfactionCounts(**found)} if found["ratings"] else {}
    rows = given.values(*keys).annotate(**counts).order_by()
    return {
        _keyed(r, keys): SatisfactionCounts(r["ratings"], r["satisfied"])
        for r in rows
        if r["ratings"]
    }
