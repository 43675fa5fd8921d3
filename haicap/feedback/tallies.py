"""The feedback figures' queries: petitions and ratings of a period counted in a few queries,
grouped by what the caller asks (an agency, a unit, a category, a field...). What each count
means is ``figures``'; who may read them is the caller's: a page passes
``Model.objects.restrict(user)``, the index, the directive targets and the briefing pack the whole
table (read province-wide, as the other apps' figures are).

Which agency a petition's figures go to (``AGENCY``, or its unit with ``UNIT``): the agency that
did the work, or let the time pass, answers for it (haicap's convention 7: in a chain, the agency
that caused a delay answers for it), as the history says who held it when (the RECEIVED event's
and the TRANSFERRED events' ``to_agency``), so a later transfer never moves a closed period's
figures:

- *received*: the agency that received it (its first holder);
- *answered on time* / *late*: the agency that sent the answer that stands (``Answer.agency``);
- *overdue* / *open within the deadline*: the agency holding it at the end of the period;
- *due* / *answered by the deadline*: the agency holding it when its legal deadline fell.

So a petition received at A, left past its deadline there and transferred to B afterwards counts
received at A, due at A and not answered by the deadline there; overdue at A for the periods that
end while A holds it and at B for those that end after the transfer.
"""

import datetime as dt
from collections.abc import Hashable, Iterable

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.service_index import span
from haicap.feedback.figures import PetitionCounts, SatisfactionCounts
from haicap.feedback.lifecycle import OPEN_STATES, State
from haicap.feedback.models import Answer, Petition, PetitionEvent, Rating

OPEN = sorted(state.value for state in OPEN_STATES)
SETTLED = [State.ANSWERED.value, State.CLOSED.value]  # an answer stands
AGENCY = "agency"  # group by the agency that answers for each count
UNIT = "unit"  # by that agency's unit
ROLES = ("received", "answers", "open", "due")


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


def state_at(end: dt.datetime) -> Subquery:
    """A petition's state just before ``end``, as its last event then left it: a reopened one
    is open again, a past period reads as it was."""
    return Subquery(
        PetitionEvent.objects.filter(petition=OuterRef("pk"), at__lt=end)
        .order_by("-seq")
        .values("state_after")[:1]
    )


def open_at(petitions: QuerySet[Petition], end: dt.datetime) -> QuerySet[Petition]:
    """The petitions open just before ``end`` (received, assigned or in progress)."""
    return (
        petitions.filter(received_at__lt=end)
        .alias(state_at_end=state_at(end))
        .filter(state_at_end__in=OPEN)
    )


def holder_at(end: dt.datetime, by: str = AGENCY) -> Subquery:
    """The agency (or with ``UNIT`` its unit) holding the petition just before ``end``."""
    return _holder({"at__lt": end}, by)


def _holder(when: dict, by: str, *, first: bool = False) -> Subquery:
    events = PetitionEvent.objects.filter(petition=OuterRef("pk"), to_agency__isnull=False, **when)
    field = "to_agency__unit_id" if by == UNIT else "to_agency_id"
    return Subquery(events.order_by("seq" if first else "-seq").values(field)[:1])


def _answer(end: dt.datetime, field: str) -> Subquery:
    """The last answer sent before ``end``: it stands when the petition is not open again."""
    answers = Answer.objects.filter(petition=OuterRef("pk"), answered_at__lt=end)
    return Subquery(answers.order_by("-answered_at", "-pk").values(field)[:1])


def _role_keys(end: dt.datetime, by: str) -> dict[str, Subquery]:
    """Who answers for each role's counts (the module's docstring)."""
    return {
        "received": _holder({"kind": PetitionEvent.Kind.RECEIVED}, by, first=True),
        "answers": _answer(end, "agency__unit_id" if by == UNIT else "agency_id"),
        "open": holder_at(end, by),
        "due": _holder({"at__lte": OuterRef("legal_due_at")}, by),
    }


def _petition_counts(start: dt.datetime, end: dt.datetime) -> dict[str, dict[str, Count]]:
    """Each role's counts. A petition is judged by its state at the end of the period: an
    answer counts only while it stands (not once the sender reopened it and it is open again),
    and then the last one sent; an open petition has none."""
    stands = Q(state_at_end__in=SETTLED, answer_at__isnull=False)
    answered = stands & Q(answer_at__gte=start, answer_at__lt=end)
    by_due = stands & Q(answer_at__lte=F("legal_due_at"))
    due = Q(legal_due_at__gte=start, legal_due_at__lt=end)
    open_at_end = Q(state_at_end__in=OPEN)
    return {
        "received": {
            "received": Count("pk", filter=Q(received_at__gte=start, received_at__lt=end))
        },
        "answers": {
            "answered_on_time": Count("pk", filter=answered & by_due),
            "answered_late": Count("pk", filter=answered & Q(answer_at__gt=F("legal_due_at"))),
        },
        "open": {
            "overdue": Count("pk", filter=open_at_end & Q(legal_due_at__lt=end)),
            "open_in_time": Count("pk", filter=open_at_end & Q(legal_due_at__gte=end)),
        },
        "due": {
            "due": Count("pk", filter=due),
            "answered_by_due": Count("pk", filter=due & by_due),
        },
    }


def count_petitions(
    petitions: QuerySet[Petition],
    start: dt.datetime,
    end: dt.datetime,
    by: str | None = None,
    roles: Iterable[str] = ROLES,
) -> dict[Hashable, PetitionCounts]:
    """Each group's ``PetitionCounts`` for [start, end), keyed ``None`` without ``by``. ``by``
    is ``AGENCY`` or ``UNIT`` (each count goes to the agency that answers for it: one query a
    role), or a field of the petition such as ``category_id`` (one query). ``roles`` narrows
    what is counted (the rest is 0)."""
    touched = petitions.filter(received_at__lt=end).filter(
        # only what a count can see: received, answered or due in the period, or not closed
        # before it began (so possibly open at its end); the rest of the history is skipped
        Q(received_at__gte=start)
        | Q(answered_at__isnull=True)
        | Q(answered_at__gte=start)
        | Q(legal_due_at__gte=start)
        | Q(closed_at__isnull=True)
        | Q(closed_at__gte=start)
    )
    counted = touched.alias(state_at_end=state_at(end), answer_at=_answer(end, "answered_at"))
    per_role = _petition_counts(start, end)
    wanted = [role for role in ROLES if role in set(roles)]
    if by not in (AGENCY, UNIT):
        counts = {name: c for role in wanted for name, c in per_role[role].items()}
        if by is None:
            return {None: PetitionCounts(**counted.aggregate(**counts))}
        rows = counted.values(by).annotate(**counts).order_by()
        return {row[by]: PetitionCounts(**{n: row[n] for n in counts}) for row in rows}
    keys = _role_keys(end, by)
    found: dict[Hashable, dict[str, int]] = {}
    for role in wanted:
        counts = per_role[role]
        rows = counted.annotate(group=keys[role]).values("group").annotate(**counts).order_by()
        for row in rows:
            if any(row[n] for n in counts):
                found.setdefault(row["group"], {}).update({n: row[n] for n in counts})
    return {group: PetitionCounts(**numbers) for group, numbers in found.items()}


def count_due(
    petitions: QuerySet[Petition], start: dt.datetime, end: dt.datetime, by: str | None = None
) -> dict[Hashable, tuple[int, int]]:
    """(answered by the legal deadline, due) of the petitions whose legal deadline fell in
    [start, end), by group (``count_petitions``' ``by``): a group with none due is left out."""
    found = count_petitions(petitions, start, end, by, roles=("due",))
    return {k: (c.answered_by_due, c.due) for k, c in found.items() if c.due}


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
