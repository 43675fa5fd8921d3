"""What the worker does about deadlines: warn, mark overdue, escalate, draft apologies; flag
online filings the desk left past its time limit; close dossiers whose supplement never came.

Every step is idempotent: a dossier is warned once, marked once, drafted for once, whatever
the number of sweeps or workers, and a sweep interrupted half-way is simply finished by the
next one. Rows are locked with SKIP LOCKED, so several workers share the work on PostgreSQL.

A sweep runs every minute over every open dossier, so it costs in proportion to what it does,
not to what is open: a running dossier looked at with nothing to do keeps when something could
next be due for it (``look_again_at``: its warning, its apology window, its due moment) and the
due moment that was worked out for (``looked_for_due_at``); it is not read again before then
unless its due moment moved (an extension, a pause and resumption, a restart). Each candidate
query reads a partial index, and only a dossier with something to do now is locked.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from haicap.accounts.models import Membership, User
from haicap.calendar.selectors import calendar_for, calendars_for_units
from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.roles import Role
from haicap.core.scoping import acting_body
from haicap.dossiers import changes
from haicap.dossiers.models import (
    ApologyDraft,
    Dossier,
    DossierEvent,
    IntakeRequest,
    Notification,
    OnlineSubmission,
)
from haicap.dossiers.outlook import outlook
from haicap.dossiers.selectors import template_of
from haicap.dossiers.services import PIN_KEPT_FOR, apply_move
from haicap.dossiers.services.moves import SUPPLEMENT_LAPSED, lapse_move
from haicap.units.models import Agency

PROPOSED_EXTENSION_DAYS = Decimal(2)
LOOKAHEAD = dt.timedelta(days=14)  # no legal time of 2 working days spans more calendar time


@dataclass
class SweepReport:
    warned: int = 0
    marked_overdue: int = 0
    apologies_drafted: int = 0
    late_reviews: int = 0
    closed_unsupplemented: int = 0


def _running() -> QuerySet[Dossier]:
    return Dossier.objects.filter(finished_at__isnull=True, paused_at__isnull=True)


def forget_outlooks(**_signal: object) -> None:
    """A declared day off, a make-up working day or new office hours move working time, so the
    moments kept for the sweep may come earlier: every running dossier is looked at afresh by
    the next sweep (connected to the calendar's saves and deletions in ``apps.ready``)."""
    _running().filter(looked_for_due_at__isnull=False).update(looked_for_due_at=None)


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


def _event(
    dossier: Dossier,
    action: str,
    now: dt.datetime,
    data: dict,
    *,
    from_step: str | None = None,
    clock_effect: str = "keep",
    note: str = "",
) -> DossierEvent:
    last = dossier.events.order_by("-seq").values_list("seq", flat=True).first() or 0
    return DossierEvent.objects.create(
        dossier=dossier,
        seq=last + 1,
        at=now,
        actor=None,
        actor_label="worker",
        action=action,
        from_step=dossier.step if from_step is None else from_step,
        to_step=dossier.step,
        clock=clock_effect,
        note=note,
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
    unmarked = _running().filter(overdue_since__isnull=True, due_at__lt=now)
    for pk in unmarked.order_by("due_at").values_list("pk", flat=True):
        report.marked_overdue += _mark_overdue(pk, now)
    for pk in _due_to_look_at(now):
        warned, drafted = _look_ahead(pk, now)
        report.warned += warned
        report.apologies_drafted += drafted
    report.late_reviews = _flag_late_reviews(now)
    report.closed_unsupplemented = _close_lapsed_supplements(now)
    return report


def _unlooked() -> Q:
    """Running dossiers not looked at for their present due moment (the same condition as the
    partial index ``dossier_running_unlooked``, which serves it)."""
    return Q(looked_for_due_at__isnull=True) | ~Q(looked_for_due_at=F("due_at"))


def _due_to_look_at(now: dt.datetime) -> list[int]:
    """The running dossiers with a warning or a draft due now; the others are told when to be
    looked at again, without a lock: what is written is checked against the due moment it was
    worked out for, and a later state (warned, drafted) can only make it early, never late."""
    running = _running()
    # Far from due: nothing falls due before LOOKAHEAD ahead of it, whatever the calendar.
    running.filter(_unlooked(), due_at__gte=now + LOOKAHEAD).update(
        looked_for_due_at=F("due_at"), look_again_at=F("due_at") - LOOKAHEAD
    )
    # Past due: no warning or draft any more (the overdue marking has its own query).
    running.filter(_unlooked(), due_at__lt=now).update(
        looked_for_due_at=F("due_at"), look_again_at=None
    )
    running.filter(look_again_at__lte=now, due_at__lt=now).update(look_again_at=None)
    window = Q(due_at__gte=now, due_at__lt=now + LOOKAHEAD)
    fields = ("pk", "due_at", "warned_at", "competent_agency__unit_id", "drafted", "rescheduled")
    drafted = Exists(ApologyDraft.objects.filter(dossier=OuterRef("pk")))
    rescheduled = Exists(
        DossierEvent.objects.filter(dossier=OuterRef("pk"), action="new_appointment")
    )
    rows = {}
    for query in (
        running.filter(window, _unlooked()),
        running.filter(window, look_again_at__lte=now),
    ):
        query = query.annotate(drafted=drafted, rescheduled=rescheduled).order_by()
        for row in query.values_list(*fields):
            rows[row[0]] = row
    if not rows:
        return []
    calendars = calendars_for_units({row[3] for row in rows.values()})
    due_now: list[int] = []
    quiet: list[Dossier] = []
    for pk, due_at, warned_at, unit_id, has_draft, has_appointment in rows.values():
        calendar = calendars.get(unit_id) or calendars[None]
        seen = outlook(
            calendar,
            now,
            due_at,
            warned=warned_at is not None,
            may_draft=not (has_draft or has_appointment),
        )
        if seen.warn or seen.draft:
            due_now.append(pk)
        else:
            quiet.append(Dossier(pk=pk, look_again_at=seen.look_again_at, looked_for_due_at=due_at))
    Dossier.objects.bulk_update(quiet, ["look_again_at", "looked_for_due_at"], batch_size=500)
    return sorted(due_now)


def _flag_late_reviews(now: dt.datetime) -> int:
    """Online filings the desk has neither accepted nor returned within its time limit
    (``settings.ONLINE_REVIEW_LIMIT_WORKING_HOURS``, haicap's convention: no national limit was
    found) are flagged once, audited, and listed first on the desk's queue."""
    hours = Decimal(settings.ONLINE_REVIEW_LIMIT_WORKING_HOURS)
    # working time never runs faster than the wall clock: younger filings cannot be late yet
    waiting = list(
        OnlineSubmission.objects.filter(
            status=OnlineSubmission.Status.PENDING,
            review_overdue_since__isnull=True,
            submitted_at__lte=now - dt.timedelta(hours=int(hours)),
        ).values_list("pk", "submitted_at", "desk__unit_id")
    )
    if not waiting:
        return 0
    # Only a filing past its limit is locked: one waiting over a weekend is read, not locked.
    calendars = calendars_for_units({unit_id for _pk, _at, unit_id in waiting})
    candidates = [
        pk
        for pk, submitted_at, unit_id in waiting
        if (calendars.get(unit_id) or calendars[None]).add(submitted_at, hours, "working_hours")
        < now
    ]
    flagged = 0
    for pk in candidates:
        with transaction.atomic():
            submission = (
                OnlineSubmission.objects.select_for_update(skip_locked=True)
                .select_related("desk__unit")
                .filter(pk=pk, status=OnlineSubmission.Status.PENDING)
                .first()
            )
            if submission is None or submission.review_overdue_since is not None:
                continue
            limit = calendar_for(submission.desk.unit).add(
                submission.submitted_at, hours, "working_hours"
            )
            if limit >= now:
                continue
            submission.review_overdue_since = limit
            submission.save(update_fields=["review_overdue_since"])
            record_change(
                "submission.review_overdue",
                submission,
                after={"limit": limit, "working_hours": str(hours)},
            )
            flagged += 1
    return flagged


def _close_lapsed_supplements(now: dt.datetime) -> int:
    """Close the dossiers whose supplement, asked for once, never came within
    ``settings.SUPPLEMENT_WAIT_LIMIT_DAYS`` calendar days of the request (haicap's convention; no
    general rule was found): processing stops (form 05 tells the applicant why), the desk is
    notified to hand the notice over, and the change goes to the figures and the national
    portal like any other. Idempotent: a closed dossier is no longer waiting."""
    days = settings.SUPPLEMENT_WAIT_LIMIT_DAYS
    last = DossierEvent.objects.filter(dossier=OuterRef("pk")).exclude(action__in=_NOT_A_STEP)
    last = last.order_by("-seq")
    waiting = list(
        Dossier.objects.filter(
            finished_at__isnull=True, paused_at__lte=now - dt.timedelta(days=days)
        )
        .annotate(
            asked=Subquery(last.values("action")[:1]), asked_at=Subquery(last.values("at")[:1])
        )
        .filter(asked="request_supplement")
        .values_list("pk", "asked_at", "competent_agency__unit_id")
    )
    if not waiting:
        return 0
    # Only a dossier past its limit is locked; one waiting for a fee is not a candidate at all.
    calendars = calendars_for_units({unit_id for _pk, _at, unit_id in waiting})
    candidates = [
        pk
        for pk, asked_at, unit_id in waiting
        if (calendars.get(unit_id) or calendars[None]).add(asked_at, Decimal(days), "calendar_days")
        < now
    ]
    return sum(_close_if_lapsed(pk, now, days) for pk in candidates)


# The worker's own events, which neither pause nor resume a dossier.
_NOT_A_STEP = ("warned_due_soon", "marked_overdue")


def _close_if_lapsed(pk: int, now: dt.datetime, days: int) -> int:
    with transaction.atomic():
        dossier = _lock(pk)
        if dossier is None or not dossier.is_open or not dossier.is_paused:
            return 0
        asked = dossier.events.exclude(action__in=_NOT_A_STEP).order_by("-seq").first()
        if asked is None or asked.action != "request_supplement":
            return 0  # waiting for a fee, not for papers
        calendar = calendar_for(dossier.competent_agency.unit)
        if calendar.add(asked.at, Decimal(days), "calendar_days") >= now:
            return 0
        move = lapse_move(template_of(dossier), dossier.step)
        if move is None:
            return 0
        before = changes.state_of(dossier)
        from_step = dossier.step
        data = apply_move(dossier, calendar, move, now)
        dossier.save()
        data |= {"requested_at": asked.at.isoformat(), "limit_days": days}
        note = f"Không bổ sung hồ sơ trong {days} ngày kể từ khi được yêu cầu."
        event = _event(
            dossier,
            SUPPLEMENT_LAPSED,
            now,
            data,
            from_step=from_step,
            clock_effect=move.clock,
            note=note,
        )
        changes.publish(changes.DossierChange(dossier, event, before, changes.state_of(dossier)))
        desk = Agency.objects.filter(pk=dossier.receiving_agency_id)
        officers = User.objects.filter(
            is_active=True,
            memberships__agency__in=desk,
            memberships__role=Role.INTAKE_OFFICER.value,
        ).distinct()
        _notify(officers, dossier, Notification.Kind.SUPPLEMENT_LAPSED, now)
        record_change(
            "dossier.closed_unsupplemented",
            dossier,
            after={"step": dossier.step, "outcome": dossier.outcome, **data},
        )
        return 1


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
        already_rescheduled = dossier.events.filter(action="new_appointment").exists()
        has_draft = ApologyDraft.objects.filter(dossier=dossier).exists()
        may_draft = not (already_rescheduled or has_draft)
        was_warned = dossier.warned_at is not None
        seen = outlook(calendar, now, dossier.due_at, warned=was_warned, may_draft=may_draft)
        if seen.warn:
            dossier.warned_at = now
            recipients = (
                [dossier.assignee] if dossier.assignee else handlers_of(dossier, {Role.SPECIALIST})
            )
            _notify(recipients, dossier, Notification.Kind.APPROACHING_DUE, now)
            left = calendar.elapsed(now, dossier.due_at)
            _event(dossier, "warned_due_soon", now, {"working_days_left": str(left)})
        if seen.draft:
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
        after = outlook(
            calendar,
            now,
            dossier.due_at,
            warned=was_warned or seen.warn,
            may_draft=may_draft and not seen.draft,
        )
        dossier.look_again_at = after.look_again_at
        dossier.looked_for_due_at = dossier.due_at
        dossier.save(update_fields=["warned_at", "look_again_at", "looked_for_due_at"])
        return int(seen.warn), int(seen.draft)


def run_sweep() -> str:
    """The scheduled job: one sweep under the worker's name in the audit log."""
    from haicap.core.context import acting_as

    with acting_as("worker"):
        report = sweep()
    return (
        f"{report.warned} warned, {report.marked_overdue} marked overdue, "
        f"{report.apologies_drafted} apology letters drafted, "
        f"{report.late_reviews} online filings past the desk's time limit, "
        f"{report.closed_unsupplemented} closed for a supplement that never came"
    )
