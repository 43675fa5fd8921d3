"""Handling a petition at the agency: assign, begin, set the step deadline, transfer, answer;
and the sender's word on the answer: reopen (once) or accept.

Every move locks the petition's row, checks the lifecycle (``lifecycle``) and appends an event.
The legal deadline is never touched here: a transfer, a reassignment or a reopening leaves it
where receipt set it, so lateness is never hidden.
"""

import datetime as dt
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from haicap.accounts.models import Membership, User
from haicap.accounts.services import require_writable
from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from haicap.core.scoping import acting_body
from haicap.core.validators import check_text
from haicap.dossiers.attachments import checked_papers, paper_fields
from haicap.feedback import lifecycle, permissions
from haicap.feedback.lifecycle import Action, State
from haicap.feedback.models import (
    Answer,
    AnswerAttachment,
    Petition,
    PetitionEvent,
    PetitionNotification,
)
from haicap.feedback.redaction import redact
from haicap.feedback.services.common import add_event, hold, notify
from haicap.units.kinds import AgencyKind, Tier
from haicap.units.models import Agency

# Where a petition may be transferred: a provincial agency in force (not a one-stop desk), or
# the People's Committee of a commune in force (a commune answers as one body, so never one of
# its offices). ``selectors.transfer_agencies`` offers these; ``transfer`` refuses the others.
TRANSFER_TARGETS = Q(unit__valid_to__isnull=True, is_one_stop_desk=False) & (
    Q(unit__tier=Tier.PROVINCE)
    | Q(unit__tier=Tier.COMMUNE, kind=AgencyKind.COMMUNE_PEOPLES_COMMITTEE)
)

MIN_REASON = 10
MAX_ANSWER = 10000

REFUSALS = {
    Action.ASSIGN: lambda: _("This petition can no longer be assigned."),
    Action.START: lambda: _("Only an assigned petition can be begun."),
    Action.TRANSFER: lambda: _("Only an open petition can be transferred."),
    Action.ANSWER: lambda: _("This petition cannot be answered now."),
    Action.REOPEN: lambda: _("This petition cannot be reopened."),
    Action.ACCEPT: lambda: _("Only an answered petition can be accepted."),
    Action.CLOSE: lambda: _("Only an answered petition can be closed."),
}


def _locked(actor: User | None, code: str, *, visible: bool = True) -> Petition:
    petitions = Petition.objects.restrict(actor) if visible else Petition.objects.all()
    petition = (
        petitions.select_for_update(of=("self",))
        .select_related("agency__unit", "category")
        .filter(code=code)
        .first()
    )
    if petition is None:
        raise NotFound(_("No petition has this code."))
    return petition


def _check_version(petition: Petition, version: int | None) -> None:
    if version is not None and version != petition.version:
        raise Conflict(_("Someone changed this petition while you were looking at it; look again."))


def _move(petition: Petition, action: Action) -> None:
    try:
        petition.state = lifecycle.next_state(
            State(petition.state), action, reopened=petition.reopened
        )
    except lifecycle.Refused as refusal:
        raise Conflict(REFUSALS[action]()) from refusal
    petition.version += 1


def body_staff(agency: Agency, roles: Sequence[str] | None = None):
    body = acting_body(agency.pk, agency.unit_id, agency.unit.tier)
    members = Membership.objects.filter(**body.lookups("agency__"))
    if roles is not None:
        members = members.filter(role__in=list(roles))
    return User.objects.filter(is_active=True, memberships__in=members).distinct()


def leaders_of(agency: Agency):
    """Who answers for the agency: its leaders (a commune's as one), else all its staff."""
    leaders = body_staff(agency, ["leader"])
    return (
        leaders
        if leaders.exists()
        else body_staff(agency, ["leader", "specialist", "agency_admin", "intake_officer"])
    )


def assign(actor: User, code: str, handler: User, version: int | None = None) -> Petition:
    """Name the officer in charge: a leader names any of the body's officers; an officer may
    take it for themselves."""
    require_writable(actor)
    with transaction.atomic():
        petition = _locked(actor, code)
        _check_version(petition, version)
        own = handler.pk == actor.pk
        if not (
            permissions.may_assign(actor, petition)
            or (own and permissions.may_handle(actor, petition))
        ):
            raise PermissionDenied(
                _("Only a leader of the agency assigns its petitions to others.")
            )
        if not permissions.may_handle(handler, petition):
            raise InvalidInput(
                _("Officer: %(name)s does not work for the agency handling it.")
                % {"name": str(handler)}
            )
        _move(petition, Action.ASSIGN)
        petition.handler = handler
        petition.save(update_fields=["state", "handler", "version"])
        add_event(
            petition,
            PetitionEvent.Kind.ASSIGNED,
            actor=actor,
            note=str(handler),
        )
        if not own:
            rounds = petition.events.filter(kind=PetitionEvent.Kind.ASSIGNED).count()
            notify([handler], petition, PetitionNotification.Kind.ASSIGNED, rounds)
        record_change("petition.assigned", petition, actor=actor, after={"handler": handler.pk})
    return petition


def start(actor: User, code: str, version: int | None = None) -> Petition:
    require_writable(actor)
    with transaction.atomic():
        petition = _locked(actor, code)
        _check_version(petition, version)
        if petition.handler_id != actor.pk:
            raise PermissionDenied(_("Only the officer in charge begins work on it."))
        _move(petition, Action.START)
        petition.save(update_fields=["state", "version"])
        add_event(petition, PetitionEvent.Kind.STARTED, actor=actor)
        record_change("petition.started", petition, actor=actor)
    return petition


def set_step_deadline(
    actor: User, code: str, due: dt.datetime, version: int | None = None
) -> Petition:
    """The handler's own deadline for the step at hand; it may move, the legal one may not."""
    require_writable(actor)
    with transaction.atomic():
        petition = _locked(actor, code)
        _check_version(petition, version)
        if not permissions.may_answer(actor, petition):
            raise PermissionDenied(
                _("Only the officer in charge or a leader sets its step deadline.")
            )
        if not petition.is_open:
            raise Conflict(_("This petition is no longer open."))
        if due <= clock.now():
            raise InvalidInput(_("Step deadline: choose a moment in the future."))
        petition.step_due_at = due
        petition.version += 1
        petition.save(update_fields=["step_due_at", "version"])
        add_event(petition, PetitionEvent.Kind.STEP_DEADLINE, actor=actor, note=due.isoformat())
        record_change("petition.step_deadline", petition, actor=actor, after={"step_due_at": due})
    return petition


def transfer(
    actor: User, code: str, to: Agency, reason: str, version: int | None = None
) -> Petition:
    """Not competent: send it to the competent agency with the reason. It is received there
    anew (nobody in charge, no step deadline) with the same legal deadline."""
    require_writable(actor)
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise InvalidInput(
            _("Reason: say in at least %(n)s characters why it goes elsewhere.") % {"n": MIN_REASON}
        )
    check_text(_("Reason"), reason, multiline=True)
    with transaction.atomic():
        petition = _locked(actor, code)
        _check_version(petition, version)
        if not permissions.may_handle(actor, petition):
            raise PermissionDenied(_("Only the agency handling it transfers it."))
        if to.unit.valid_to is not None:
            raise InvalidInput(_("Agency: %(agency)s is no longer in force.") % {"agency": to.name})
        here = acting_body(petition.agency_id, petition.agency.unit_id, petition.agency.unit.tier)
        if here.includes(to.pk, to.unit_id):
            raise InvalidInput(_("Agency: choose an agency other than the one handling it."))
        if not Agency.objects.filter(TRANSFER_TARGETS, pk=to.pk).exists():
            raise InvalidInput(
                _(
                    "Agency: %(agency)s does not take transferred petitions; choose a provincial "
                    "agency or a commune's People's Committee."
                )
                % {"agency": to.name}
            )
        _move(petition, Action.TRANSFER)
        before = petition.agency_id
        petition.agency, petition.handler, petition.step_due_at = to, None, None
        petition.save(update_fields=["state", "agency", "handler", "step_due_at", "version"])
        hold(petition, to.pk)
        add_event(
            petition,
            PetitionEvent.Kind.TRANSFERRED,
            actor=actor,
            from_agency_id=before,
            to_agency_id=to.pk,
            note=reason,
        )
        rounds = petition.events.filter(kind=PetitionEvent.Kind.TRANSFERRED).count()
        notify(leaders_of(to), petition, PetitionNotification.Kind.TRANSFERRED, rounds)
        record_change(
            "petition.transferred", petition, actor=actor, after={"from": before, "to": to.pk}
        )
    return petition


def answer(
    actor: User,
    code: str,
    text: str,
    public_text: str | None = None,
    attachments: Sequence[UploadedFile] = (),
    version: int | None = None,
) -> Answer:
    """Send the answer. When the sender agreed to publication, ``public_text`` (by default the
    answer) with personal data removed (``redaction.redact``) is what the public page shows.
    A second answer, after the sender reopened it, is final and closes the petition."""
    require_writable(actor)
    text = text.strip()
    if len(text) < MIN_REASON:
        raise InvalidInput(_("Answer: write at least %(n)s characters.") % {"n": MIN_REASON})
    if len(text) > MAX_ANSWER:
        raise InvalidInput(_("Answer: write at most %(n)s characters.") % {"n": MAX_ANSWER})
    check_text(_("Answer"), text, multiline=True)
    papers = checked_papers(attachments)
    with transaction.atomic():
        petition = _locked(actor, code)
        _check_version(petition, version)
        if not permissions.may_answer(actor, petition):
            raise PermissionDenied(_("Only the officer in charge or a leader answers it."))
        final = lifecycle.answer_is_final(petition.reopened)
        _move(petition, Action.ANSWER)
        now = clock.now()
        published = ""
        if petition.publish_consent:
            # The officer's own wording is kept, but never with the sender's personal data.
            published = redact((public_text or "").strip() or text, petition.sender_details)
            check_text(_("Answer as published"), published, multiline=True)
        reply = Answer.objects.create(
            petition=petition,
            text=text,
            public_text=published,
            answered_by=actor,
            agency=petition.agency,
            answered_at=now,
            on_time=now <= petition.legal_due_at,
        )
        for upload, kind, sha256 in papers:
            paper = AnswerAttachment(answer=reply, **paper_fields(upload, kind, sha256))
            paper.file.save(f"{paper.token}{kind.extension}", upload, save=False)
            paper.save()
        petition.answered_at = now
        petition.first_answered_at = petition.first_answered_at or now
        fields = ["state", "version", "answered_at", "first_answered_at"]
        add_event(petition, PetitionEvent.Kind.ANSWERED, actor=actor, at=now)
        if final:
            _move(petition, Action.CLOSE)
            petition.closed_at = now
            fields.append("closed_at")
        petition.save(update_fields=fields)
        if final:
            add_event(petition, PetitionEvent.Kind.CLOSED, actor=actor, note="final answer", at=now)
        record_change("petition.answered", petition, actor=actor, after={"on_time": reply.on_time})
    return reply


def reopen(petition_code: str, reason: str) -> Petition:
    """The sender says the answer did not resolve it (once; the look-up proved the PIN)."""
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise InvalidInput(
            _("Say in at least %(n)s characters what is still not resolved.") % {"n": MIN_REASON}
        )
    check_text(_("What is not resolved"), reason, multiline=True)
    with transaction.atomic():
        petition = _locked(None, petition_code, visible=False)
        _move(petition, Action.REOPEN)
        petition.reopened = True
        petition.save(update_fields=["state", "version", "reopened"])
        add_event(petition, PetitionEvent.Kind.REOPENED, actor_label="sender", note=reason)
        people = list(leaders_of(petition.agency))
        if petition.handler is not None:
            people.append(petition.handler)
        notify({u.pk: u for u in people}.values(), petition, PetitionNotification.Kind.REOPENED)
        record_change("petition.reopened", petition)
    return petition


def accept(petition_code: str) -> Petition:
    """The sender says the answer resolved it: closed."""
    with transaction.atomic():
        petition = _locked(None, petition_code, visible=False)
        _move(petition, Action.ACCEPT)
        petition.closed_at = clock.now()
        petition.save(update_fields=["state", "version", "closed_at"])
        add_event(petition, PetitionEvent.Kind.ACCEPTED, actor_label="sender")
        record_change("petition.accepted", petition)
    return petition
