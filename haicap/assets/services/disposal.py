"""Surplus offices' disposal plans ("phương án xử lý trụ sở dôi dư"), followed as directives are.

Finance sets a plan for an office (land and buildings) marked surplus: what it becomes (reuse,
transfer, sale, demolition), by when, which agency is responsible. The responsible agency (or
Finance) reports progress, a new row each time, never an edit; Finance closes the plan with its
outcome. Its status is the directives' rule (``haicap.core.task_status``).
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.accounts.services import require_writable
from haicap.assets.models import (
    Asset,
    Category,
    Disposal,
    DisposalPlan,
    DisposalUpdate,
    Movement,
)
from haicap.assets.permissions import arranges_assets, require
from haicap.assets.services.takeover import receives_assets
from haicap.assets.takeover_document import DISPOSAL_WORDS
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.audit import record_change, snapshot
from haicap.core.errors import Conflict, InvalidInput, PermissionDenied
from haicap.core.models import AuditRecord
from haicap.core.scoping import scope_of
from haicap.core.task_status import Outcome
from haicap.core.validators import check_text
from haicap.dossiers.services.retries import earlier_request, request_digest
from haicap.units.models import Agency

# What a surplus office may become (liquidation is for movables, not for an office).
OFFICE_METHODS = (Disposal.REUSE, Disposal.TRANSFER, Disposal.SALE, Disposal.DEMOLITION)
# Closed as done, these leave the province without the office: its movement out is recorded.
DISPOSING = (Disposal.SALE, Disposal.DEMOLITION)
PLAN_CREATED = "disposal_plan.created"
PROGRESS_POSTED = "disposal_plan.progress"


def _today() -> dt.date:
    return clock.now().astimezone(VIETNAM).date()


def _check_day(label: str, day: dt.date) -> None:
    if day > _today():
        raise InvalidInput(_("%(what)s cannot be a day still to come.") % {"what": label})


def create_plan(
    actor: User,
    office: Asset,
    *,
    method: str,
    deadline: dt.date,
    responsible: Agency,
    decision: str = "",
    idempotency_key: str = "",
) -> DisposalPlan:
    """A disposal plan for a surplus office (a land-and-buildings asset marked surplus): what
    it becomes, by ``deadline``, under ``responsible``'s charge. A retry with the same
    ``idempotency_key`` returns the plan it made."""
    require_writable(actor)
    require(arranges_assets(actor))
    check_text("decision", decision)
    check_text("idempotency_key", idempotency_key)
    key = idempotency_key.strip()
    digest = request_digest(
        office=office.pk,
        method=method,
        deadline=deadline.isoformat(),
        responsible=responsible.pk,
        decision=decision.strip(),
    )
    if key and (earlier := _earlier(PLAN_CREATED, actor, key, digest)) is not None:
        return DisposalPlan.objects.get(pk=earlier)
    if method not in OFFICE_METHODS:
        raise InvalidInput(_("A surplus office is reused, transferred, sold or demolished."))
    if not receives_assets(responsible):
        raise InvalidInput(
            _("The responsible agency must be a current commune's or the province's.")
        )
    try:
        with transaction.atomic():
            office = Asset.objects.select_for_update().get(pk=office.pk)
            if office.kind.category != Category.LAND_BUILDING:
                raise InvalidInput(
                    _("%(asset)s is not an office: only land and buildings have disposal plans.")
                    % {"asset": office}
                )
            if office.status != Asset.Status.SURPLUS:
                raise InvalidInput(
                    _("%(asset)s is not marked surplus: only surplus offices have disposal plans.")
                    % {"asset": office}
                )
            if DisposalPlan.objects.filter(office=office).exists():
                raise Conflict(_("%(asset)s already has a disposal plan.") % {"asset": office})
            plan = DisposalPlan.objects.create(
                office=office,
                method=method,
                deadline=deadline,
                responsible=responsible,
                decision=decision.strip(),
            )
            fields = ["office", "method", "deadline", "responsible", "decision"]
            extra = {"idempotency_key": key, "request_digest": digest} if key else {}
            after = {**snapshot(plan, fields), **extra}
            record_change(PLAN_CREATED, plan, actor=actor, after=after)
    except IntegrityError:
        raise Conflict(_("%(asset)s already has a disposal plan.") % {"asset": office}) from None
    return plan


def plan_made_with(actor: User, idempotency_key: str) -> DisposalPlan | None:
    """The plan ``actor`` made with ``idempotency_key``, if any: a form sent twice finds it,
    though its office is no longer one without a plan."""
    key = idempotency_key.strip()
    if not key or actor.pk is None:
        return None
    earlier = (
        AuditRecord.objects.filter(
            action=PLAN_CREATED, actor_id=actor.pk, after__idempotency_key=key
        )
        .order_by("-id")
        .first()
    )
    return DisposalPlan.objects.filter(pk=int(earlier.object_id)).first() if earlier else None


def reports_progress(actor: User, plan: DisposalPlan) -> bool:
    """Finance, or someone working for the responsible agency (a commune's bodies as one), not
    only reading."""
    scope = scope_of(actor)
    if scope.read_only:
        return False
    if arranges_assets(actor):
        return True
    agency = plan.responsible
    return any(body.includes(agency.pk, agency.unit_id) for body in scope.bodies())


def _earlier(action: str, actor: User, key: str, digest: str) -> int | None:
    """The id of what an earlier request with ``key`` made (its audit record keeps the key):
    the plan's for a plan made, the update's for progress."""
    earlier = earlier_request(action, actor.pk, key, digest)
    if earlier is None:
        return None
    return int(earlier.after["update"] if action == PROGRESS_POSTED else earlier.object_id)


def post_progress(
    actor: User,
    plan: DisposalPlan,
    *,
    text: str,
    on: dt.date | None = None,
    idempotency_key: str = "",
) -> DisposalUpdate:
    """Report progress on an open plan, as of ``on`` (today by default): a new row each time.
    A retry with the same ``idempotency_key`` returns the update it made."""
    require_writable(actor)
    check_text("text", text, multiline=True)
    check_text("idempotency_key", idempotency_key)
    if not text.strip():
        raise InvalidInput(_("Say what was done."))
    on = on or _today()
    _check_day(_("The progress's date"), on)
    key = idempotency_key.strip()
    digest = request_digest(plan=plan.pk, text=text.strip(), on=on.isoformat())
    with transaction.atomic():
        plan = DisposalPlan.objects.select_for_update().get(pk=plan.pk)
        if key and (earlier := _earlier(PROGRESS_POSTED, actor, key, digest)) is not None:
            return DisposalUpdate.objects.get(pk=earlier)
        if not reports_progress(actor, plan):
            raise PermissionDenied(
                _("Progress is reported by the responsible agency or the Department of Finance.")
            )
        if plan.closed_on is not None:
            raise Conflict(_("The disposal plan is closed."))
        update = DisposalUpdate.objects.create(plan=plan, text=text.strip(), on=on, by=actor)
        extra = {"idempotency_key": key, "request_digest": digest} if key else {}
        record_change(
            PROGRESS_POSTED,
            plan,
            actor=actor,
            after={"update": update.pk, "text": update.text, "on": on, **extra},
        )
    return update


def close_plan(
    actor: User, plan: DisposalPlan, *, outcome: Outcome, on: dt.date | None = None
) -> DisposalPlan:
    """Finance closes the plan on ``on`` (today by default) with its ``outcome``. A sale or a
    demolition done takes the office out of the register's use (a movement records it); a reuse
    done puts it back in use."""
    require_writable(actor)
    require(arranges_assets(actor))
    outcome = Outcome(outcome)
    on = on or _today()
    _check_day(_("The closing date"), on)
    with transaction.atomic():
        plan = DisposalPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.closed_on is not None:
            raise Conflict(_("The disposal plan is closed."))
        plan.closed_on, plan.outcome = on, outcome.value
        plan.save(update_fields=["closed_on", "outcome"])
        after = snapshot(plan, ["closed_on", "outcome"])
        if outcome == Outcome.ACHIEVED:
            after["office"] = _carry_out(actor, plan, on)
        record_change("disposal_plan.closed", plan, actor=actor, after=after)
    return plan


def _carry_out(actor: User, plan: DisposalPlan, on: dt.date) -> str:
    """What a plan done does to its office; its status afterwards."""
    office = Asset.objects.select_for_update().get(pk=plan.office_id)
    if plan.method in DISPOSING:
        Movement.objects.create(
            asset=office,
            kind=Movement.Kind.DISPOSED,
            from_agency_id=office.holder_id,
            on=on,
            decision=plan.decision,
            note=DISPOSAL_WORDS[plan.method],
            recorded_by=actor,
        )
        office.status = Asset.Status.DISPOSED
    elif plan.method == Disposal.REUSE:
        office.status = Asset.Status.IN_USE
    office.save(update_fields=["status"])
    return office.status
