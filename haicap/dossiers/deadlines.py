"""What the worker does about deadlines: warn, mark overdue, escalate, draft apologies.

Every step is idempotent: a dossier is warned once, marked once, drafted for once, whatever
the number of sweeps or workers, and a sweep interrupted half-way is simply finished by the
next one. Rows are locked with SKIP LOCKED, so several workers share the work on PostgreSQL.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet

from haicap.accounts.models import Membership, User
from haicap.calendar.selectors import calendar_for
from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.roles import Role
from haicap.core.scoping import acting_body
from haicap.dossiers.models import (
    ApologyDraft,
    Dossier,
    DossierEvent,
    IntakeRequest,
    Notification,
    OnlineSubmission,
)
from haicap.dossiers.services import PIN_KEPT_FOR

WARN_WITHIN = Decimal(1)  # working days left when the assignee is warned
DRAFT_APOLOGY_WITHIN = Decimal(2)  # working days left when form 04 is drafted
PROPOSED_EXTENSION_DAYS = Decimal(2)
LOOKAHEAD = dt.timedelta(days=14)  # no legal time of 2 working days spans more calendar time


@dataclass
class SweepReport:
    warned: int = 0
    marked_overdue: int = 0
    apologies_drafted: int = 0


def _running() -> QuerySet[Dossier]:
    return Dossier.objects.filter(finished_at__isnull=True, paused_at__isnull=True)


def _lock(pk: int) -> Dossier | None:
    """The dossier locked for this worker, or ``None`` when another worker holds it."""
    return (
        Dossier.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("competent_agency__unit", "assignee")
        .filter(pk=pk)
        .first()
    )


def handlers_of(dossier: Dossier, roles: set[Role]) -> QuerySet[User]:
    """Active officers with one of ``roles`` where the dossier is handled: at any agency that
    acts as one with the handling agency (``core.scoping.acting_body``)."""
    agency = dossier.competent_agency
    body = acting_body(agency.pk, agency.unit_id, agency.unit.tier)
    members = Membership.objects.filter(
        **body.lookups("agency__"), role__in=[r.value for r in roles]
    )
    return User.objects.filter(is_active=True, memberships__in=members).distinct()


def _notify(
    users: QuerySet[User] | list[User], dossier: Dossier, kind: str, now: dt.datetime
) -> int:
    created = 0
    for user in users:
        _notification, made = Notification.objects.get_or_create(
            recipient=user, dossier=dossier, kind=kind, defaults={"created_at": now}
        )
        created += int(made)
    return created


def _event(dossier: Dossier, action: str, now: dt.datetime, data: dict) -> None:
    last = dossier.events.order_by("-seq").values_list("seq", flat=True).first() or 0
    DossierEvent.objects.create(
        dossier=dossier,
        seq=last + 1,
        at=now,
        actor=None,
        actor_label="worker",
        action=action,
        from_step=dossier.step,
        to_step=dossier.step,
        clock="keep",
        data=data,
    )


def sweep(now: dt.datetime | None = None) -> SweepReport:
    now = now or clock.now()
    report = SweepReport()
    # The PIN kept for retried intakes is not kept longer than a retry needs it.
    IntakeRequest.objects.filter(created_at__lt=now - PIN_KEPT_FOR).exclude(pin_sealed="").update(
        pin_sealed=""
    )
    OnlineSubmission.objects.filter(submitted_at__lt=now - PIN_KEPT_FOR).exclude(
        pin_sealed=""
    ).update(pin_sealed="")
    for pk in (
        _running().filter(due_at__lt=now, overdue_since__isnull=True).values_list("pk", flat=True)
    ):
        report.marked_overdue += _mark_overdue(pk, now)
    soon = _running().filter(due_at__gte=now, due_at__lt=now + LOOKAHEAD)
    for pk in soon.filter(Q(warned_at__isnull=True) | Q(apology_draft__isnull=True)).values_list(
        "pk", flat=True
    ):
        warned, drafted = _look_ahead(pk, now)
        report.warned += warned
        report.apologies_drafted += drafted
    return report


def _mark_overdue(pk: int, now: dt.datetime) -> int:
    with transaction.atomic():
        dossier = _lock(pk)
        if dossier is None or dossier.overdue_since or not dossier.is_open or dossier.is_paused:
            return 0
        if dossier.due_at >= now:
            return 0
        dossier.overdue_since = now
        dossier.save(update_fields=["overdue_since"])
        _event(dossier, "marked_overdue", now, {"due_at": dossier.due_at.isoformat()})
        if dossier.assignee:
            _notify([dossier.assignee], dossier, Notification.Kind.OVERDUE, now)
        _notify(handlers_of(dossier, {Role.LEADER}), dossier, Notification.Kind.ESCALATED, now)
        record_change("dossier.marked_overdue", dossier, after={"overdue_since": now})
        return 1


def _look_ahead(pk: int, now: dt.datetime) -> tuple[int, int]:
    with transaction.atomic():
        dossier = _lock(pk)
        if dossier is None or not dossier.is_open or dossier.is_paused:
            return 0, 0
        calendar = calendar_for(dossier.competent_agency.unit)
        left = calendar.elapsed(now, dossier.due_at)
        warned = drafted = 0
        if dossier.warned_at is None and left <= WARN_WITHIN:
            dossier.warned_at = now
            dossier.save(update_fields=["warned_at"])
            recipients = (
                [dossier.assignee] if dossier.assignee else handlers_of(dossier, {Role.SPECIALIST})
            )
            _notify(recipients, dossier, Notification.Kind.APPROACHING_DUE, now)
            _event(dossier, "warned_due_soon", now, {"working_days_left": str(left)})
            warned = 1
        already_rescheduled = dossier.events.filter(action="new_appointment").exists()
        has_draft = ApologyDraft.objects.filter(dossier=dossier).exists()
        # Form 04 must go out by the close of the last working day before the due date
        # (domain.md section 7, convention 7): a draft is useful from two working days ahead
        # until then, never later.
        in_window = left <= DRAFT_APOLOGY_WITHIN and now <= calendar.close_of_day_before(
            dossier.due_at
        )
        if in_window and not already_rescheduled and not has_draft:
            ApologyDraft.objects.create(
                dossier=dossier,
                agency=dossier.competent_agency,
                proposed_appointment_at=calendar.add(
                    dossier.due_at, PROPOSED_EXTENSION_DAYS, "working_days"
                ),
                created_at=now,
            )
            _notify(
                handlers_of(dossier, {Role.LEADER}), dossier, Notification.Kind.APOLOGY_DRAFTED, now
            )
            drafted = 1
        return warned, drafted


def run_sweep() -> str:
    """The scheduled job: one sweep under the worker's name in the audit log."""
    from haicap.core.context import acting_as

    with acting_as("worker"):
        report = sweep()
    return (
        f"{report.warned} warned, {report.marked_overdue} marked overdue, "
        f"{report.apologies_drafted} apology letters drafted"
    )
