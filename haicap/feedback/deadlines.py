"""What the worker does about petitions' deadlines: warn before, escalate after, close what the
sender left unanswered.

- An open petition within ``WARN_WITHIN`` working days of its legal deadline: the officer in
  charge is warned (with none, the officers of the body holding it), once per holding agency:
  a ``WARNED`` event whose ``to_agency`` is that agency.
- An open petition past its legal deadline: the leaders of the agency holding it
  (``handling.leaders_of``) are told, once per holding agency: an ``ESCALATED`` event. A
  petition transferred after its warning or escalation is warned or escalated anew at the
  agency receiving it.
- An answered petition the sender neither accepted nor reopened within
  ``lifecycle.ACCEPT_WITHIN_WORKING_DAYS`` working days of the answer: closed (a ``CLOSED``
  event, audited).

Idempotent: each step is taken under the petition's row lock (SKIP LOCKED: a second worker
passes it by), after checking that its event for the holding agency is not there yet; notices
are unique per recipient, petition, kind and round (the agency's turn). However often it runs,
and however many run at once, nothing is sent or written twice.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from haicap.calendar.selectors import calendar_for
from haicap.calendar.workdays import WORKING_DAYS
from haicap.core import clock
from haicap.core.audit import record_change
from haicap.feedback import lifecycle
from haicap.feedback.lifecycle import OPEN_STATES, Action, State
from haicap.feedback.models import Petition, PetitionEvent, PetitionNotification
from haicap.feedback.permissions import HANDLERS
from haicap.feedback.services.common import add_event, notify
from haicap.feedback.services.handling import body_staff, leaders_of

WARN_WITHIN = Decimal(2)  # working days left when the officer in charge is warned
# WARN_WITHIN working days never span more calendar time than this, Tết's week off included.
LOOKAHEAD = dt.timedelta(days=21)
UNCHALLENGED_NOTE = "unchallenged"  # the desk shows it in the reader's language
WORKER = "worker"


@dataclass
class DeadlineReport:
    warned: int = 0  # petitions
    escalated: int = 0
    closed: int = 0


def _open() -> QuerySet[Petition]:
    return Petition.objects.filter(state__in=[s.value for s in OPEN_STATES])


def _lock(pk: int) -> Petition | None:
    """The petition locked for this worker, or None when another worker holds it."""
    return (
        Petition.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("agency__unit", "handler")
        .filter(pk=pk)
        .first()
    )


def _done_here(kind: str) -> Exists:
    """The petition already has this worker event for the agency holding it now."""
    return Exists(
        PetitionEvent.objects.filter(
            petition=OuterRef("pk"), kind=kind, to_agency_id=OuterRef("agency_id")
        )
    )


def _has(petition: Petition, kind: str) -> bool:
    return petition.events.filter(kind=kind, to_agency_id=petition.agency_id).exists()


def _round(petition: Petition, kind: str) -> int:
    """A warning or escalation at a second agency is a new notice (a leader of both gets it)."""
    return petition.events.filter(kind=kind).count() + 1


def _warn(pk: int, now: dt.datetime) -> int:
    with transaction.atomic():
        petition = _lock(pk)
        if petition is None or not petition.is_open or petition.legal_due_at < now:
            return 0
        if _has(petition, PetitionEvent.Kind.WARNED):
            return 0
        left = calendar_for(petition.agency.unit).elapsed(now, petition.legal_due_at)
        if left > WARN_WITHIN:
            return 0
        if petition.handler is not None and petition.handler.is_active:
            recipients = [petition.handler]
        else:
            recipients = list(body_staff(petition.agency, [r.value for r in HANDLERS]))
        sent = notify(
            recipients,
            petition,
            PetitionNotification.Kind.DUE_SOON,
            _round(petition, PetitionEvent.Kind.WARNED),
            at=now,
        )
        add_event(
            petition,
            PetitionEvent.Kind.WARNED,
            actor_label=WORKER,
            to_agency_id=petition.agency_id,
            at=now,
        )
        record_change(
            "petition.warned",
            petition,
            after={"working_days_left": str(left), "recipients": sent},
        )
        return 1


def _escalate(pk: int, now: dt.datetime) -> int:
    with transaction.atomic():
        petition = _lock(pk)
        if petition is None or not petition.is_open or petition.legal_due_at >= now:
            return 0
        if _has(petition, PetitionEvent.Kind.ESCALATED):
            return 0
        sent = notify(
            leaders_of(petition.agency),
            petition,
            PetitionNotification.Kind.OVERDUE,
            _round(petition, PetitionEvent.Kind.ESCALATED),
            at=now,
        )
        add_event(
            petition,
            PetitionEvent.Kind.ESCALATED,
            actor_label=WORKER,
            to_agency_id=petition.agency_id,
            at=now,
        )
        record_change(
            "petition.escalated",
            petition,
            after={"legal_due_at": petition.legal_due_at, "recipients": sent},
        )
        return 1


def _close_unchallenged(pk: int, now: dt.datetime) -> int:
    with transaction.atomic():
        petition = _lock(pk)
        if petition is None or petition.state != State.ANSWERED or petition.answered_at is None:
            return 0
        calendar = calendar_for(petition.agency.unit)
        limit = calendar.add(
            petition.answered_at, lifecycle.ACCEPT_WITHIN_WORKING_DAYS, WORKING_DAYS
        )
        if limit > now:
            return 0
        petition.state = lifecycle.next_state(
            State(petition.state), Action.CLOSE, reopened=petition.reopened
        )
        petition.closed_at = now
        petition.version += 1
        petition.save(update_fields=["state", "closed_at", "version"])
        add_event(
            petition, PetitionEvent.Kind.CLOSED, actor_label=WORKER, note=UNCHALLENGED_NOTE, at=now
        )
        record_change(
            "petition.closed",
            petition,
            after={
                "reason": UNCHALLENGED_NOTE,
                "answered_at": petition.answered_at,
                "limit": limit,
            },
        )
        return 1


def run_deadlines(now: dt.datetime | None = None) -> DeadlineReport:
    now = now or clock.now()
    report = DeadlineReport()
    for pk in (
        _open()
        .filter(legal_due_at__lt=now)
        .exclude(_done_here(PetitionEvent.Kind.ESCALATED))
        .values_list("pk", flat=True)
    ):
        report.escalated += _escalate(pk, now)
    for pk in (
        _open()
        .filter(legal_due_at__gte=now, legal_due_at__lt=now + LOOKAHEAD)
        .exclude(_done_here(PetitionEvent.Kind.WARNED))
        .values_list("pk", flat=True)
    ):
        report.warned += _warn(pk, now)
    # ACCEPT_WITHIN_WORKING_DAYS working days take at least that many calendar days
    settled = now - dt.timedelta(days=lifecycle.ACCEPT_WITHIN_WORKING_DAYS)
    for pk in Petition.objects.filter(state=State.ANSWERED, answered_at__lte=settled).values_list(
        "pk", flat=True
    ):
        report.closed += _close_unchallenged(pk, now)
    return report


def run_warnings() -> str:
    """The scheduled job: one round under the worker's name in the audit log."""
    from haicap.core.context import acting_as

    with acting_as(WORKER):
        report = run_deadlines()
    return (
        f"{report.warned} warned of petitions due soon, {report.escalated} escalated past "
        f"their legal deadline, {report.closed} closed unchallenged after their answer"
    )
