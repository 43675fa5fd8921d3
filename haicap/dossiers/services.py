"""Writes to dossiers: receiving one, and every later action on it.

Each function validates, locks the dossier row, checks its version, moves it through its pinned
process template, appends an event and an audit record, all in one transaction.
"""

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.accounts.models import LoginThrottle, User
from haicap.accounts.roles import Role
from haicap.accounts.selectors import scope_for
from haicap.accounts.services import locked_counter, require_writable
from haicap.calendar.selectors import calendar_for
from haicap.calendar.workdays import WorkCalendar
from haicap.catalog.models import Procedure, ProcessTemplate
from haicap.core import clock, sealing
from haicap.core.audit import record_change
from haicap.core.errors import (
    Conflict,
    IdempotencyKeyReused,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Throttled,
)
from haicap.core.masking import mask_citizen_id
from haicap.core.text import search_key
from haicap.core.validators import check_text
from haicap.dossiers import applicant as applicant_rules
from haicap.dossiers import changes, codes, receipt_time
from haicap.dossiers import uploads as uploads_rules
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.codes import dossier_code, new_pin, pin_digest
from haicap.dossiers.models import (
    ApologyDraft,
    DailySequence,
    Dossier,
    DossierAccess,
    DossierDocument,
    DossierEvent,
    IntakeRequest,
    OnlineSubmission,
    SubmissionDocument,
)
from haicap.dossiers.remaining import HOURS_PER_WORKING_DAY
from haicap.dossiers.selectors import template_of, visible_dossiers
from haicap.dossiers.timeliness import Timeliness, classify, shift_by_pause
from haicap.dossiers.upload_refusals import refusal_message
from haicap.units.models import AdministrativeUnit, Agency
from haicap.workflow.definition import from_definition
from haicap.workflow.engine import (
    Action,
    Clock,
    Move,
    NotAllowed,
    Step,
    StepKind,
    Template,
    allowed_actions,
    take,
)

MAX_BACKDATE = dt.timedelta(days=30)  # paper taken while the system was down, entered later
PIN_PURPOSE = "intake-pin"
PIN_KEPT_FOR = dt.timedelta(hours=24)  # a retried intake reprints its slip within a day
# A refusal is a decision and is judged for timeliness like a result; a withdrawal is not.
RESOLVED_OUTCOMES = {"refused"}


@dataclass(frozen=True)
class Received:
    dossier: Dossier
    pin: str  # shown once, on the receipt slip
    calendar: WorkCalendar | None = None  # the competent agency's, when this intake built it


def _calendar(agency: Agency) -> WorkCalendar:
    return calendar_for(agency.unit)


def _competent_agency(
    procedure: Procedure, receiving: Agency, unit: AdministrativeUnit | None
) -> Agency:
    if procedure.tier == "province":
        if procedure.provincial_agency is None:
            raise InvalidInput(_("The procedure names no competent provincial agency."))
        return procedure.provincial_agency
    unit = unit or (receiving.unit if receiving.unit.tier == "commune" else None)
    if unit is None:
        raise InvalidInput(_("Choose the commune whose People's Committee decides this dossier."))
    agency = (
        Agency.objects.select_related("unit")
        .filter(unit=unit, kind=procedure.agency_kind, unit__valid_to=None)
        .first()
    )
    if agency is None:
        raise InvalidInput(
            _("%(unit)s has no agency that decides this procedure.") % {"unit": unit}
        )
    return agency


class ReceiptTimeRefused(InvalidInput):
    code = "receipt_time_refused"
    title = gettext_lazy("The time of receipt cannot be taken")


def _template_in_force(
    procedure: Procedure, desk: Agency, received_at: dt.datetime, now: dt.datetime
) -> ProcessTemplate:
    """The process-template version a dossier received at ``received_at`` pins.

    The time of receipt is checked first (``receipt_time``): a dossier cannot be dated before its
    desk existed, before its procedure had a version in force, too far back or in the future.
    """
    pinned = None
    if received_at.tzinfo is not None:
        pinned = (
            ProcessTemplate.objects.filter(
                code=procedure.template_code, published_at__lte=received_at
            )
            .order_by("-version")
            .first()
        )
    desk_since = desk.unit.valid_from
    found = receipt_time.problem(
        received_at,
        now,
        max_back=MAX_BACKDATE,
        desk_since=_start_of(desk_since) if desk_since else None,
        procedure_since=pinned.published_at if pinned else None,
    )
    if found is None and pinned is not None:
        return pinned
    if (
        found is receipt_time.Problem.BEFORE_THE_PROCEDURE
        and not ProcessTemplate.objects.filter(code=procedure.template_code).exists()
    ):
        raise InvalidInput(_("The procedure's process template is not published."))
    raise ReceiptTimeRefused(_receipt_time_message(found, desk, procedure))


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _receipt_time_message(
    found: receipt_time.Problem | None, desk: Agency, procedure: Procedure
) -> str:
    Problem = receipt_time.Problem
    if found is Problem.NO_TIME_ZONE:
        return _("Give the time of receipt with its time zone.")
    if found is Problem.IN_THE_FUTURE:
        return _("The time of receipt cannot be in the future.")
    if found is Problem.TOO_FAR_BACK:
        return _("A receipt can be entered at most %(days)d days late.") % {
            "days": MAX_BACKDATE.days
        }
    if found is Problem.BEFORE_THE_DESK:
        return _("%(desk)s did not exist before %(day)s.") % {
            "desk": desk,
            "day": desk.unit.valid_from.strftime("%d/%m/%Y"),
        }
    return _("The procedure %(code)s had no process in force at that time.") % {
        "code": procedure.national_code
    }


def _next_number(agency: Agency, day: dt.date) -> int:
    """The agency's next daily number, under a row lock so two desks never share one."""
    for _attempt in range(3):
        sequence = DailySequence.objects.select_for_update().filter(agency=agency, day=day).first()
        if sequence is None:
            try:
                with transaction.atomic():
                    DailySequence.objects.create(agency=agency, day=day, last=1)
                return 1
            except IntegrityError:
                continue  # another desk created today's row first; lock it and go on
        sequence.last += 1
        sequence.save(update_fields=["last"])
        return sequence.last
    raise Conflict(_("The dossier number could not be given out; try again."))


def receive(
    actor: User,
    *,
    procedure: Procedure,
    receiving_agency: Agency,
    applicant: Applicant,
    channel: str = Dossier.Channel.DESK,
    competent_unit: AdministrativeUnit | None = None,
    received_at: dt.datetime | None = None,
    backdate_reason: str = "",
    idempotency_key: str = "",
    pin_hash: str = "",
) -> Received:
    """Receive a complete dossier at a one-stop desk and start its legal clock.

    ``pin_hash`` keeps the PIN an applicant already holds (an accepted online submission); the
    returned PIN is then empty, since only the applicant knows it.
    """
    require_writable(actor)
    check_text("backdate_reason", backdate_reason)
    digest = request_digest(
        procedure=procedure.pk,
        desk=receiving_agency.pk,
        applicant=applicant,
        channel=channel,
        competent_unit=competent_unit.pk if competent_unit else None,
        received_at=received_at.isoformat() if received_at else None,
        backdate_reason=backdate_reason.strip(),
    )
    if idempotency_key:
        earlier = _earlier_intake(actor, idempotency_key, digest)
        if earlier is not None:
            return earlier
    if not receiving_agency.is_one_stop_desk:
        raise InvalidInput(_("Dossiers are received at a one-stop desk."))
    if Role.INTAKE_OFFICER not in scope_for(actor).roles_in(receiving_agency.pk):
        raise PermissionDenied(_("You are not an intake officer of this desk."))
    if not procedure.is_active:
        raise InvalidInput(_("This procedure is no longer in use."))
    if channel not in Dossier.Channel.values:
        raise InvalidInput(_("Unknown channel."))
    now = clock.now()
    problems = applicant_rules.problems(applicant, now.date())
    if problems:
        raise InvalidInput("; ".join(f"{field}: {message}" for field, message in problems.items()))
    if received_at is None:
        received_at = now
    elif not backdate_reason.strip():
        raise InvalidInput(_("Say why the time of receipt is earlier than now."))
    competent = _competent_agency(procedure, receiving_agency, competent_unit)
    pinned = _template_in_force(procedure, receiving_agency, received_at, now)
    template = from_definition(pinned.code, pinned.name, pinned.definition)
    calendar = _calendar(competent)
    try:
        return _record_receipt(
            actor,
            procedure,
            receiving_agency,
            applicant,
            channel,
            competent,
            pinned,
            template,
            calendar,
            received_at,
            backdate_reason,
            idempotency_key,
            pin_hash,
            digest,
        )
    except IntegrityError:
        # A retry that raced its first attempt: both passed the check above, the first won.
        earlier = _earlier_intake(actor, idempotency_key, digest) if idempotency_key else None
        if earlier is not None:
            return earlier
        raise


def request_digest(**request: object) -> str:
    """A fingerprint of what a request asked for, to tell a retry from another request."""
    canonical = json.dumps(
        {k: asdict(v) if isinstance(v, Applicant) else v for k, v in request.items()},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_retry(recorded: str, digest: str, refusal: str) -> None:
    """An Idempotency-Key sent again must come with the request it first came with; one recorded
    before fingerprints were kept ("") is taken as before."""
    if recorded and recorded != digest:
        raise IdempotencyKeyReused(refusal)


def _earlier_intake(actor: User, key: str, digest: str) -> Received | None:
    earlier = IntakeRequest.objects.filter(user=actor, key=key).select_related("dossier").first()
    if earlier is None:
        return None
    _check_retry(
        earlier.request_digest,
        digest,
        _("The Idempotency-Key %(key)s was already used for another dossier.") % {"key": key},
    )
    pin = sealing.unseal(PIN_PURPOSE, earlier.pin_sealed, PIN_KEPT_FOR) or ""
    return Received(earlier.dossier, pin=pin)


def _record_receipt(
    actor: User,
    procedure: Procedure,
    receiving_agency: Agency,
    applicant: Applicant,
    channel: str,
    competent: Agency,
    pinned: ProcessTemplate,
    template: Template,
    calendar: WorkCalendar,
    received_at: dt.datetime,
    backdate_reason: str,
    idempotency_key: str,
    pin_hash: str,
    digest: str,
) -> Received:
    start_step = template.step(template.start)
    clock_start = calendar.clock_start(received_at, procedure.cutoff)
    due_at = calendar.add(
        received_at, procedure.legal_amount, procedure.legal_unit, procedure.cutoff
    )
    with transaction.atomic():
        local_day = received_at.astimezone(calendar.zone).date()
        number = _next_number(receiving_agency, local_day)
        pin = "" if pin_hash else new_pin()
        code = dossier_code(receiving_agency.code, local_day, number)
        dossier = Dossier.objects.create(
            code=code,
            pin_hash=pin_hash or pin_digest(_pin_key(), pin),
            procedure=procedure,
            template=pinned,
            channel=channel,
            receiving_agency=receiving_agency,
            competent_agency=competent,
            **Dossier.columns(applicant),
            applicant_search=search_key(applicant.name),
            legal_amount=procedure.legal_amount,
            legal_unit=procedure.legal_unit,
            cutoff=procedure.cutoff,
            step=start_step.code,
            step_kind=start_step.kind,
            received_at=received_at,
            clock_started_at=clock_start,
            due_at=due_at,
            step_started_at=clock_start,
            step_due_at=step_due(
                calendar, start_step, clock_start, procedure.legal_amount, procedure.legal_unit
            ),
        )
        DossierAccess.objects.bulk_create(
            [DossierAccess(dossier=dossier, agency=a) for a in {receiving_agency, competent}]
        )
        data = {"backdate_reason": backdate_reason.strip()} if backdate_reason.strip() else {}
        event = _append_event(
            dossier, actor, "receive", "", start_step.code, Clock.KEEP, "", None, data, "", seq=1
        )
        changes.publish(changes.DossierChange(dossier, event, None, changes.state_of(dossier)))
        if idempotency_key:
            IntakeRequest.objects.create(
                key=idempotency_key,
                user=actor,
                dossier=dossier,
                request_digest=digest,
                pin_sealed=sealing.seal(PIN_PURPOSE, pin) if pin else "",
            )
        record_change(
            "dossier.received",
            dossier,
            actor=actor,
            after={
                "code": dossier.code,
                "procedure": procedure.national_code,
                "received_at": received_at,
                "due_at": due_at,
                **data,
            },
        )
    return Received(dossier, pin, calendar)


def step_due(
    calendar: WorkCalendar, step: Step, started: dt.datetime, legal_amount: Decimal, legal_unit: str
) -> dt.datetime | None:
    """A work step's own budget: its share of the legal time, counted from when it starts."""
    if step.kind is not StepKind.WORK or step.share == 0:
        return None
    if legal_unit == "calendar_days":
        return calendar.add(started, (legal_amount * step.share).to_integral_value(), legal_unit)
    return calendar.add(started, legal_amount * step.share, legal_unit)


def _append_event(
    dossier: Dossier,
    actor: User | None,
    action: str,
    from_step: str,
    to_step: str,
    clock_effect: Clock,
    note: str,
    agency: Agency | None,
    data: dict,
    idempotency_key: str,
    seq: int | None = None,
    digest: str = "",
) -> DossierEvent:
    if seq is None:  # a receipt knows it is the first; a later action asks
        seq = (dossier.events.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    return DossierEvent.objects.create(
        dossier=dossier,
        seq=seq,
        at=clock.now(),
        actor=actor,
        actor_label=actor.get_username() if actor else "system",
        action=action,
        from_step=from_step,
        to_step=to_step,
        clock=clock_effect,
        note=note,
        agency=agency,
        data=data,
        idempotency_key=idempotency_key,
        request_digest=digest if idempotency_key else "",
    )


def acting_roles(actor: User, dossier: Dossier) -> frozenset[str]:
    """The roles the actor holds where the dossier is.

    At the desk that received it; and where it is handled: in a commune, any of the commune's
    bodies (its People's Committee decides, its offices prepare: a commune of a few officers
    works as one), in the province, the department that handles it.
    """
    scope = scope_for(actor)
    if scope.read_only:
        return frozenset()
    # The desk that received it hands over and returns; it does not decide.
    roles = set(scope.roles_in(dossier.receiving_agency_id) & {Role.INTAKE_OFFICER})
    handling = dossier.competent_agency
    for membership in scope.memberships:
        if membership.agency_id == handling.pk or (
            handling.unit.tier == "commune" and membership.unit_id == handling.unit_id
        ):
            roles.add(membership.role)
    return frozenset(roles)


def taken_actions(dossier: Dossier) -> list[str]:
    return list(dossier.events.values_list("action", flat=True))


def act(
    actor: User,
    code: str,
    action: str,
    *,
    expected_version: int | None = None,
    note: str = "",
    target_agency: Agency | None = None,
    assignee: User | None = None,
    new_due_at: dt.datetime | None = None,
    idempotency_key: str = "",
    document_ids: list[int] | None = None,
    collected_by: Applicant | None = None,
) -> Dossier:
    """Take ``action`` on the dossier ``code``; every rule of its template is checked.

    ``document_ids`` are papers already added to the dossier (``attach_document``) that the
    action uses: the draft result a specialist submits, the signed decision. Handing the result
    back (``return_result``) records ``collected_by``: the name and citizen ID number of who
    collected it (the event's time is when).
    """
    require_writable(actor)
    check_text("note", note, multiline=True)
    with transaction.atomic():
        dossier = (
            visible_dossiers(actor)
            .select_for_update(of=("self",))
            .select_related("template", "procedure", "competent_agency__unit", "receiving_agency")
            .filter(code=code)
            .first()
        )
        if dossier is None:
            raise NotFound()
        digest = request_digest(
            actor=actor.pk,
            action=action,
            note=note.strip(),
            target_agency=target_agency.pk if target_agency else None,
            assignee=assignee.pk if assignee else None,
            new_due_at=new_due_at.isoformat() if new_due_at else None,
            documents=sorted(document_ids or []),
            collected_by=collected_by,
        )
        if idempotency_key:
            earlier = dossier.events.filter(idempotency_key=idempotency_key).first()
            if earlier is not None:
                _check_retry(
                    earlier.request_digest,
                    digest,
                    _("The Idempotency-Key %(key)s was already used for another action.")
                    % {"key": idempotency_key},
                )
                return dossier  # a retry of an action already taken
        if expected_version is not None and expected_version != dossier.version:
            raise Conflict(
                _("The dossier was changed by someone else (version %(now)d, not %(seen)d).")
                % {"now": dossier.version, "seen": expected_version}
            )
        calendar = _calendar(dossier.competent_agency)
        now = clock.now()
        before = changes.state_of(dossier)
        template = template_of(dossier)
        if action not in {a.code for a in template.actions}:  # a misspelt name, not a refusal
            raise InvalidInput(
                _("The dossier's process has no action named %(action)s.") % {"action": action}
            )
        try:
            move = take(
                template,
                dossier.step,
                action,
                acting_roles(actor, dossier),
                taken_actions(dossier),
                worked_days(dossier, calendar, now),
            )
        except NotAllowed as error:
            raise PermissionDenied(
                _("You cannot take the action %(action)s on this dossier now.") % {"action": action}
            ) from error
        note = note.strip()
        if move.action.needs_note and not note:
            raise InvalidInput(_("This action needs a note that says why."))
        if move.action.needs_document and not document_ids:
            raise InvalidInput(_("This action needs a document: add the paper, then name it."))
        collector = _collector(collected_by, now) if action == RETURN_RESULT else None
        event_agency = _transfer(dossier, target_agency) if move.action.transfers else None
        if action == "assign":
            _check_assignee(dossier, assignee, move.target)
        if action == "new_appointment":
            _check_reschedule(dossier, calendar, now, new_due_at)
        data = apply_move(
            dossier,
            calendar,
            move,
            now,
            target_agency=event_agency,
            assignee=assignee if action == "assign" else None,
            new_appointment_at=new_due_at if action == "new_appointment" else None,
        )
        if collector is not None:
            data["collected_by"] = collector
        if event_agency is not None:
            DossierAccess.objects.get_or_create(dossier=dossier, agency=event_agency)
        if move.clock in (Clock.RESUME, Clock.RESTART):
            ApologyDraft.objects.filter(dossier=dossier).delete()  # it was for the old due moment
        dossier.save()
        event = _append_event(
            dossier,
            actor,
            action,
            move.action.source,
            move.target.code,
            move.clock,
            note,
            event_agency,
            data,
            idempotency_key,
            digest=digest,
        )
        _claim_documents(dossier, document_ids or [], event)
        changes.publish(changes.DossierChange(dossier, event, before, changes.state_of(dossier)))
        record_change(
            f"dossier.{action}",
            dossier,
            actor=actor,
            after={
                "step": dossier.step,
                "version": dossier.version,
                "due_at": dossier.due_at,
                **data,
                **({"collected_by": _masked(collector)} if collector else {}),
            },
        )
    return dossier


RETURN_RESULT = "return_result"


def _collector(person: Applicant | None, now: dt.datetime) -> dict[str, str]:
    """Who collects the result, checked: their name and citizen ID number."""
    name = (person.name if person else "").strip()
    id_number = (person.id_number if person else "").strip()
    check_text("collector_name", name)
    check_text("collector_id_number", id_number)
    if not name or not id_number:
        raise InvalidInput(_("Say who collects the result: their full name and citizen ID number."))
    if problem := applicant_rules.citizen_id_problem(id_number, now.date()):
        raise InvalidInput(
            _("The citizen ID number of who collects the result: %(problem)s")
            % {"problem": _(problem)}
        )
    return {"name": name, "id_number": id_number}


def _masked(collector: dict[str, str]) -> dict[str, str]:
    """The audit log keeps the collector's ID masked; the dossier's event keeps it whole."""
    return {**collector, "id_number": mask_citizen_id(collector["id_number"])}


def apply_move(
    dossier: Dossier,
    calendar: WorkCalendar,
    move: Move,
    now: dt.datetime,
    *,
    target_agency: Agency | None = None,
    assignee: User | None = None,
    new_appointment_at: dt.datetime | None = None,
) -> dict:
    """The state a move leaves the dossier in, and what its event records.

    No database work and no checks: ``act`` checks first, and rebuilding a dossier from its
    events replays the same function, so the two cannot drift apart.
    """
    data: dict = {}
    if move.action.transfers:
        data["from_agency"] = dossier.competent_agency_id
        dossier.competent_agency = target_agency
        dossier.assignee = None  # the receiving agency assigns its own officer
    if assignee is not None:
        dossier.assignee = assignee
        data["assignee"] = assignee.get_username()
    if new_appointment_at is not None:
        data.update(
            {
                "due_at": dossier.due_at.isoformat(),
                "new_appointment_at": new_appointment_at.isoformat(),
            }
        )
        dossier.appointment_at = new_appointment_at
        dossier.late_agency = dossier.competent_agency
    _apply_clock(dossier, calendar, move.clock, now)
    if move.clock is Clock.STOP and (
        move.target.kind is StepKind.DONE or move.target.outcome in RESOLVED_OUTCOMES
    ):
        dossier.timeliness = classify(now, dossier.due_at, calendar.zone)
        dossier.worked_days = used_legal_time(dossier, calendar, now)
        if dossier.timeliness == Timeliness.LATE and dossier.late_agency_id is None:
            dossier.late_agency = dossier.competent_agency
    if move.target.code != dossier.step:
        if dossier.step_kind == StepKind.WORK and dossier.step_due_at is not None:
            # which step made a dossier late: each work step is judged against its budget
            data["step_timeliness"] = classify(now, dossier.step_due_at, calendar.zone)
        dossier.step, dossier.step_kind = move.target.code, move.target.kind
        if move.target.kind is StepKind.WAITING:
            pass  # the step's budget waits with the clock; it is shifted on resuming
        elif move.clock is not Clock.RESUME:
            dossier.step_started_at = now
            dossier.step_due_at = step_due(
                calendar, move.target, now, dossier.legal_amount, dossier.legal_unit
            )
        if move.target.kind is not StepKind.WORK:
            dossier.assignee = None
    if move.target.kind is StepKind.TERMINAL:
        dossier.outcome = move.target.outcome
    dossier.version += 1
    return data


def used_legal_time(dossier: Dossier, calendar: WorkCalendar, now: dt.datetime) -> Decimal:
    """Working days of the legal time used by ``now``, pauses left out.

    A pause moves the due moment by the paused working time, and a restart moves it by the whole
    legal time, so the legal time less what remains to the due moment is the time used (more
    than the legal time when late). A period in calendar days has no budget in working days; it
    is measured from the clock's start.
    """
    if dossier.legal_unit == "calendar_days":
        used = calendar.elapsed(dossier.clock_started_at, now)
    else:
        per_day = HOURS_PER_WORKING_DAY if dossier.legal_unit == "working_hours" else 1
        used = dossier.legal_amount / per_day - calendar.elapsed(now, dossier.due_at)
    return max(used, Decimal(0)).quantize(Decimal("0.001"))


def _transfer(dossier: Dossier, target: Agency | None) -> Agency:
    if target is None:
        raise InvalidInput(_("Choose the agency the dossier goes to."))
    if target.pk == dossier.competent_agency_id:
        raise InvalidInput(_("The dossier is already with this agency."))
    if target.unit.valid_to is not None or target.is_one_stop_desk:
        raise InvalidInput(_("A dossier goes to a current agency that decides, not to a desk."))
    return target


def _check_assignee(dossier: Dossier, assignee: User | None, step: Step) -> User:
    if assignee is None:
        raise InvalidInput(_("Choose the officer the dossier is assigned to."))
    if not acting_roles(assignee, dossier) & step.roles:
        raise InvalidInput(
            _("%(name)s does not work at this step in %(agency)s.")
            % {"name": assignee, "agency": dossier.competent_agency}
        )
    return assignee


def _check_reschedule(
    dossier: Dossier, calendar: WorkCalendar, now: dt.datetime, new_due_at: dt.datetime | None
) -> None:
    """Form 04: an apology and one new appointment, one working day or more before it is due."""
    if new_due_at is not None and new_due_at.tzinfo is None:
        raise InvalidInput(_("Give the new appointment with its time zone."))
    if new_due_at is None or new_due_at <= dossier.due_at:
        raise InvalidInput(_("The new appointment must be later than the current due moment."))
    if calendar.elapsed(now, dossier.due_at) < 1:
        raise InvalidInput(
            _(
                "An apology and new appointment are given at least one working day before "
                "the due moment."
            )
        )


def _apply_clock(dossier: Dossier, calendar: WorkCalendar, effect: Clock, now: dt.datetime) -> None:
    if effect is Clock.PAUSE:
        dossier.paused_at = now
    elif effect is Clock.RESUME:
        # The clock goes on where it stopped: every deadline moves by the paused working time,
        # so a dossier that was already late stays late.
        dossier.due_at = shift_by_pause(calendar, dossier.due_at, dossier.paused_at, now)
        if dossier.step_due_at is not None:
            dossier.step_due_at = shift_by_pause(
                calendar, dossier.step_due_at, dossier.paused_at, now
            )
        dossier.paused_at = None
        _forget_deadline_notices(dossier)
    elif effect is Clock.RESTART:
        # The complete dossier has arrived: the whole legal time starts again from zero.
        dossier.clock_started_at = calendar.clock_start(now, dossier.cutoff)
        dossier.due_at = calendar.add(now, dossier.legal_amount, dossier.legal_unit, dossier.cutoff)
        dossier.paused_at = None
        _forget_deadline_notices(dossier)
    elif effect is Clock.STOP:
        dossier.paused_at = None
        dossier.finished_at = now


def _forget_deadline_notices(dossier: Dossier) -> None:
    """A new due moment needs its own warning and overdue marking (and apology draft)."""
    dossier.warned_at = None
    dossier.overdue_since = None


def worked_days(dossier: Dossier, calendar: WorkCalendar, now: dt.datetime) -> Decimal:
    """Working days since the clock (re)started, not counting a pause in progress."""
    until = dossier.paused_at or now
    return calendar.elapsed(dossier.clock_started_at, max(until, dossier.clock_started_at))


def open_actions(
    actor: User, dossier: Dossier, calendar: WorkCalendar | None = None
) -> list[Action]:
    """The actions the actor may take on the dossier now (what the desk shows as buttons)."""
    calendar = calendar or _calendar(dossier.competent_agency)
    return allowed_actions(
        template_of(dossier),
        dossier.step,
        acting_roles(actor, dossier),
        taken_actions(dossier),
        worked_days(dossier, calendar, clock.now()),
    )


# --- the public look-up ------------------------------------------------------------------------

PIN_ATTEMPTS_PER_DOSSIER = 5
PIN_ATTEMPTS_PER_ADDRESS = 30
PIN_WINDOW = dt.timedelta(minutes=15)


class _Attempt:
    def __init__(self, counters: list[LoginThrottle]) -> None:
        self.counters = counters

    def failed(self) -> None:
        for counter in self.counters:
            counter.failures += 1
            counter.save(update_fields=["failures", "window_started_at"])


@contextmanager
def _pin_attempts(subject: str, ip: str | None) -> Iterator[_Attempt]:
    """Count PIN attempts per subject (a dossier or submission) and per address; refuse when
    either has had too many wrong ones in the window."""
    limits = {f"pin:{subject}": PIN_ATTEMPTS_PER_DOSSIER}
    if ip:
        limits[f"pin-ip:{ip}"] = PIN_ATTEMPTS_PER_ADDRESS
    now = clock.now()
    with transaction.atomic():
        counters = [locked_counter(key, PIN_WINDOW, now) for key in limits]
        if any(c.failures >= limits[c.key] for c in counters):
            raise Throttled(_("Too many wrong attempts. Wait 15 minutes and try again."))
        yield _Attempt(counters)


def look_up(code: str, pin: str, ip: str | None) -> Dossier:
    """The dossier behind a receipt code and PIN, for its applicant.

    A wrong code and a wrong PIN give the same answer, so the look-up does not tell whether a
    code exists; both count against the code and the address, and too many wait a while.
    """
    with _pin_attempts(code[:80], ip) as attempt:
        dossier = (
            Dossier.objects.select_related("procedure", "competent_agency")
            .filter(code=code)
            .first()
        )
        if dossier is not None and pin_matches(dossier, pin):
            return dossier
        attempt.failed()
    raise NotFound(_("No dossier matches this code and PIN."))


def _pin_key() -> bytes:
    return hashlib.sha256(f"haicap-dossier-pin:{settings.SECRET_KEY}".encode()).digest()


def pin_matches(dossier: Dossier, pin: str) -> bool:
    return pin.isdigit() and codes.pin_matches(_pin_key(), pin, dossier.pin_hash)


def may_reissue_pin(actor: User, dossier: Dossier) -> bool:
    """Slips are reprinted by the intake officers of the desk that received the dossier."""
    scope = scope_for(actor)
    return not scope.read_only and Role.INTAKE_OFFICER in scope.roles_in(
        dossier.receiving_agency_id
    )


def reissue_pin(actor: User, code: str) -> tuple[Dossier, str]:
    """A new look-up PIN for a reprinted receipt slip; the old PIN stops working.

    The PIN is shown once, at intake. A slip lost or reprinted later carries a new PIN, issued by
    an intake officer of the desk that received the dossier, and the reissue is in the audit log
    (without the PIN). A retried intake no longer returns the old one.
    """
    require_writable(actor)
    with transaction.atomic():
        dossier = (
            visible_dossiers(actor)
            .select_for_update(of=("self",))
            .select_related("receiving_agency")
            .filter(code=code)
            .first()
        )
        if dossier is None:
            raise NotFound()
        if not may_reissue_pin(actor, dossier):
            raise PermissionDenied(
                _("Only an intake officer of the receiving desk reprints the slip.")
            )
        pin = new_pin()
        dossier.pin_hash = pin_digest(_pin_key(), pin)
        dossier.save(update_fields=["pin_hash"])
        IntakeRequest.objects.filter(dossier=dossier).update(pin_sealed="")
        record_change("dossier.pin_reissued", dossier, actor=actor, after={"code": dossier.code})
    return dossier, pin


# --- online submissions ------------------------------------------------------------------------

SUBMISSION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
MAX_SUBMISSION_PAPERS = 10  # a dossier's papers; more is a flood, not a filing


@dataclass(frozen=True)
class Submitted:
    submission: OnlineSubmission
    pin: str


class AlreadyFiled(Conflict):
    """The form's one-time token already filed a submission; nothing more was filed."""

    def __init__(self, submission: OnlineSubmission) -> None:
        super().__init__(_("This form was already sent."))
        self.submission = submission


def submit_online(
    *,
    procedure: Procedure,
    desk: Agency,
    applicant: Applicant,
    competent_unit: AdministrativeUnit | None = None,
    uploads: Sequence[UploadedFile] = (),
    filing_token: str | None = None,
    idempotency_key: str = "",
) -> Submitted:
    """A citizen files a dossier online, with its papers; a desk officer will accept or return it.

    Every paper is checked before anything is written, so one refused file keeps them all out.
    The form's one-time token is consumed in the same transaction: a second filing with it
    raises ``AlreadyFiled``. An API client's ``idempotency_key`` works the same way, except that
    a retry of the same request gets the first submission back, with its PIN within a day, and
    the key sent with another request is refused (``IdempotencyKeyReused``). The caller counts
    the attempt first (``count_filing_attempt``).
    """
    if procedure.online_level == Procedure.OnlineLevel.NONE or not procedure.is_active:
        raise InvalidInput(_("This procedure cannot be filed online."))
    if not desk.is_one_stop_desk or desk.unit.valid_to is not None:
        raise InvalidInput(_("Choose a one-stop desk of the province."))
    now = clock.now()
    problems = applicant_rules.problems(applicant, now.date())
    if problems:
        raise InvalidInput("; ".join(f"{field}: {message}" for field, message in problems.items()))
    _competent_agency(procedure, desk, competent_unit)  # a commune procedure names its commune
    checked = _checked_papers(uploads)
    digest = ""
    if idempotency_key:
        filing_token = api_filing_token(idempotency_key)
        digest = request_digest(
            procedure=procedure.pk,
            desk=desk.pk,
            applicant=applicant,
            competent_unit=competent_unit.pk if competent_unit else None,
            papers=[sha256 for _kind, sha256 in checked],
        )
        earlier = OnlineSubmission.objects.filter(filing_token=filing_token).first()
        if earlier is not None:
            return _filed_before(earlier, idempotency_key, digest)
    pin = new_pin()
    kept: list[SubmissionDocument] = []
    try:
        with transaction.atomic():
            submission = OnlineSubmission.objects.create(
                reference="TT-" + "".join(secrets.choice(SUBMISSION_ALPHABET) for _ in range(10)),
                pin_hash=pin_digest(_pin_key(), pin),
                procedure=procedure,
                desk=desk,
                competent_unit=competent_unit,
                **OnlineSubmission.columns(applicant),
                submitted_at=now,
                filing_token=filing_token,
                request_digest=digest,
                pin_sealed=sealing.seal(PIN_PURPOSE, pin) if idempotency_key else "",
                repeat_of=_recent_filing(procedure, desk, applicant, now),
            )
            for upload, (kind, sha256) in zip(uploads, checked, strict=True):
                kept.append(_keep_submission_paper(submission, upload, kind, sha256, now))
            record_change(
                "submission.filed",
                submission,
                after={
                    "reference": submission.reference,
                    "procedure": procedure.national_code,
                    "documents": [paper.sha256 for paper in kept],
                    "repeat_of": submission.repeat_of and submission.repeat_of.reference,
                },
            )
    except BaseException as failure:
        for paper in kept:  # the rows rolled back; their files must not linger on disk
            paper.file.delete(save=False)
        if isinstance(failure, IntegrityError) and filing_token:
            # The same form sent twice at once: the other request filed it first.
            earlier = OnlineSubmission.objects.filter(filing_token=filing_token).first()
            if earlier is not None and idempotency_key:
                return _filed_before(earlier, idempotency_key, digest)
            if earlier is not None:
                raise AlreadyFiled(earlier) from failure
        raise
    return Submitted(submission, pin)


def api_filing_token(idempotency_key: str) -> str:
    """The one-time token of an API filing: its key's hash, apart from the portal's tokens."""
    return "api-" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:60]


def _filed_before(earlier: OnlineSubmission, key: str, digest: str) -> Submitted:
    _check_retry(
        earlier.request_digest,
        digest,
        _("The Idempotency-Key %(key)s was already used for another filing.") % {"key": key},
    )
    return Submitted(earlier, sealing.unseal(PIN_PURPOSE, earlier.pin_sealed, PIN_KEPT_FOR) or "")


def _recent_filing(
    procedure: Procedure, desk: Agency, applicant: Applicant, now: dt.datetime
) -> OnlineSubmission | None:
    """The latest earlier filing of the procedure at the same desk by the same applicant
    (citizen ID number, or enterprise code when there is none) within
    ``ONLINE_REPEAT_WINDOW_MINUTES``: the desk is told the new one may repeat it. Only its own
    desk's filings: another commune's are not its officers' to see. Two filings committed at the
    same instant may both go unflagged; the flag is a hint to the desk, not a guard."""
    same_applicant = (
        {"applicant_id_number": applicant.id_number}
        if applicant.id_number
        else {"business_code": applicant.business_code}
    )
    if not any(same_applicant.values()):
        return None
    since = now - dt.timedelta(minutes=settings.ONLINE_REPEAT_WINDOW_MINUTES)
    return (
        OnlineSubmission.objects.filter(
            procedure=procedure,
            desk=desk,
            submitted_at__gte=since,
            submitted_at__lte=now,
            **same_applicant,
        )
        .order_by("-submitted_at", "-pk")
        .first()
    )


def _checked_papers(uploads: Sequence[UploadedFile]) -> list[tuple[uploads_rules.Kind, str]]:
    if len(uploads) > MAX_SUBMISSION_PAPERS:
        raise InvalidInput(
            _("At most %(count)d files can be sent with a dossier.")
            % {"count": MAX_SUBMISSION_PAPERS}
        )
    checked = []
    for upload in uploads:
        try:
            checked.append(inspect_upload(upload))
        except uploads_rules.RefusedUpload as error:
            raise InvalidInput(refusal_message(upload.name or "", error)) from error
    return checked


def _keep_submission_paper(
    submission: OnlineSubmission,
    upload: UploadedFile,
    kind: uploads_rules.Kind,
    sha256: str,
    now: dt.datetime,
) -> SubmissionDocument:
    paper = SubmissionDocument(
        submission=submission,
        token=secrets.token_hex(16),
        name=(upload.name or kind.extension.lstrip(".")).strip()[:200],
        content_type=kind.content_type,
        extension=kind.extension,
        size=upload.size,
        sha256=sha256,
        uploaded_at=now,
    )
    paper.file.save(f"upload{kind.extension}", upload, save=False)
    paper.save()
    return paper


def _pending_submission(actor: User, submission_id: int) -> OnlineSubmission:
    submission = (
        OnlineSubmission.objects.select_for_update(of=("self",))
        .select_related("procedure", "desk__unit", "competent_unit")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or Role.INTAKE_OFFICER not in scope_for(actor).roles_in(
        submission.desk_id
    ):
        raise NotFound()
    if submission.status != OnlineSubmission.Status.PENDING:
        raise Conflict(_("This submission was already dealt with."))
    return submission


def accept_submission(actor: User, submission_id: int) -> Dossier:
    """The desk accepts a complete online submission: it becomes a dossier received when filed."""
    require_writable(actor)
    with transaction.atomic():
        submission = _pending_submission(actor, submission_id)
        received = receive(
            actor,
            procedure=submission.procedure,
            receiving_agency=submission.desk,
            applicant=submission.applicant,
            channel=Dossier.Channel.ONLINE,
            competent_unit=submission.competent_unit,
            # The clock runs from the filing (after hours: from the next session), not from
            # the moment an officer got to it.
            received_at=submission.submitted_at,
            backdate_reason=f"nộp trực tuyến {submission.reference}",
            pin_hash=submission.pin_hash,
        )
        papers = _carry_over_papers(submission, received.dossier)
        submission.status = OnlineSubmission.Status.ACCEPTED
        submission.reviewed_by, submission.reviewed_at = actor, clock.now()
        submission.dossier = received.dossier
        submission.save()
        record_change(
            "submission.accepted",
            submission,
            actor=actor,
            after={"dossier": received.dossier.code, "documents": papers},
        )
    return received.dossier


def _carry_over_papers(submission: OnlineSubmission, dossier: Dossier) -> int:
    """The papers filed online become the dossier's, as filed: the same stored file and checksum.

    They belong to the receipt event, so no later action can claim one as its own paper.
    """
    receipt = dossier.events.get(seq=1)
    papers = [
        DossierDocument(
            dossier=dossier,
            event=receipt,
            token=secrets.token_hex(16),
            name=paper.name,
            content_type=paper.content_type,
            extension=paper.extension,
            size=paper.size,
            sha256=paper.sha256,
            file=paper.file.name,
            uploaded_by=None,
            uploaded_at=paper.uploaded_at,
        )
        for paper in submission.documents.all()
    ]
    DossierDocument.objects.bulk_create(papers)
    return len(papers)


def return_submission(actor: User, submission_id: int, note: str) -> OnlineSubmission:
    """The desk returns an incomplete online submission, saying what to complete."""
    require_writable(actor)
    note = note.strip()
    check_text("note", note, multiline=True)
    if not note:
        raise InvalidInput(_("Say what the applicant must complete."))
    with transaction.atomic():
        submission = _pending_submission(actor, submission_id)
        submission.status = OnlineSubmission.Status.RETURNED
        submission.review_note = note
        submission.reviewed_by, submission.reviewed_at = actor, clock.now()
        submission.save()
        record_change("submission.returned", submission, actor=actor, after={"note": note})
    return submission


def look_up_submission(reference: str, pin: str, ip: str | None) -> OnlineSubmission:
    """A citizen checks an online submission; throttled and as tight-lipped as ``look_up``."""
    with _pin_attempts(f"sub:{reference[:80]}", ip) as attempt:
        submission = (
            OnlineSubmission.objects.select_related("procedure", "dossier")
            .filter(reference=reference)
            .first()
        )
        if (
            submission is not None
            and pin.isdigit()
            and codes.pin_matches(_pin_key(), pin, submission.pin_hash)
        ):
            return submission
        attempt.failed()
    raise NotFound(_("No submission matches this reference and PIN."))


SUBMISSIONS_PER_ADDRESS_PER_HOUR = 20


def count_filing_attempt(ip: str | None) -> None:
    """An address may try to file a few dossiers an hour; more looks like a machine flooding
    the desk. Every attempt counts, refused or not, in its own transaction, before the filing
    is even read: invalid attempts must not be free."""
    if not ip:
        return
    with transaction.atomic():
        counter = locked_counter(f"submit-ip:{ip}", dt.timedelta(hours=1), clock.now())
        if counter.failures >= SUBMISSIONS_PER_ADDRESS_PER_HOUR:
            raise Throttled(_("Too many filings from this address; try again in an hour."))
        counter.failures += 1
        counter.save(update_fields=["failures", "window_started_at"])


# --- documents ---------------------------------------------------------------------------------


def attach_document(actor: User, code: str, name: str, upload: UploadedFile) -> DossierDocument:
    """Keep a paper of the dossier; an action that needs a document names it afterwards."""
    require_writable(actor)
    dossier = visible_dossiers(actor).filter(code=code).first()
    if dossier is None:
        raise NotFound()
    if not acting_roles(actor, dossier):
        raise PermissionDenied(_("Only officers handling the dossier add papers to it."))
    name = name.strip() or upload.name or ""
    check_text("name", name)
    if not name:
        raise InvalidInput(_("Give the paper a name."))
    try:
        kind, sha256 = inspect_upload(upload)
    except uploads_rules.RefusedUpload as error:
        raise InvalidInput(refusal_message(upload.name or name, error)) from error
    with transaction.atomic():
        document = DossierDocument(
            dossier=dossier,
            token=secrets.token_hex(16),
            name=name[:200],
            content_type=kind.content_type,
            extension=kind.extension,
            size=upload.size,
            sha256=sha256,
            uploaded_by=actor,
            uploaded_at=clock.now(),
        )
        document.file.save(f"upload{kind.extension}", upload, save=False)
        document.save()
        record_change(
            "dossier.document_added",
            document,
            actor=actor,
            after={"dossier": dossier.code, "name": document.name, "sha256": document.sha256},
        )
    return document


def inspect_upload(upload: UploadedFile) -> tuple[uploads_rules.Kind, str]:
    """An uploaded paper's kind (read from its first bytes) and SHA-256; refuses what may not
    be kept."""
    head = upload.read(16)
    upload.seek(0)
    kind = uploads_rules.kind_of(head, upload.size or 0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return kind, digest.hexdigest()


def _claim_documents(dossier: Dossier, document_ids: list[int], event: DossierEvent) -> int:
    """Attach the dossier's loose papers named by the action to its event."""
    if not document_ids:
        return 0
    loose = DossierDocument.objects.filter(dossier=dossier, event__isnull=True, pk__in=document_ids)
    if loose.count() != len(set(document_ids)):
        raise InvalidInput(_("Some documents are not papers of this dossier waiting to be used."))
    return loose.update(event=event)
