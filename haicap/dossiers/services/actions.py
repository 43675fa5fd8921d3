"""Acting on a received dossier: every step, transfer, pause, return and result of its process."""

import datetime as dt

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.accounts.models import User
from haicap.accounts.services import require_writable
from haicap.calendar.selectors import calendar_for
from haicap.calendar.workdays import WorkCalendar
from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from haicap.core.masking import mask_citizen_id
from haicap.core.roles import Role
from haicap.core.scoping import acting_body, scope_of
from haicap.core.validators import check_text
from haicap.dossiers import applicant as applicant_rules
from haicap.dossiers import changes
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.delivery import Way, receiver_of, tracking_problem
from haicap.dossiers.models import (
    ApologyDraft,
    Dossier,
    DossierAccess,
    DossierDocument,
    DossierEvent,
    SignedResult,
)
from haicap.dossiers.selectors import template_of, visible_dossiers
from haicap.dossiers.services import results
from haicap.dossiers.services.events import append_event, known_history, read_history
from haicap.dossiers.services.moves import apply_move, worked_days
from haicap.dossiers.services.retries import check_retry, request_digest
from haicap.units.models import Agency
from haicap.workflow.engine import Action, Clock, Move, NotAllowed, Step, allowed_actions, take


def acting_roles(actor: User, dossier: Dossier) -> frozenset[str]:
    """The roles the actor holds where the dossier is.

    At the desk that received it; and where it is handled, by any agency that acts as one with
    the handling agency (``core.scoping.acting_body``: in a commune, any of its bodies; in the
    province, the department that handles it).
    """
    scope = scope_of(actor)
    if scope.read_only:
        return frozenset()
    # The desk that received it hands over and returns; it does not decide.
    roles = set(scope.roles_in(dossier.receiving_agency_id) & {Role.INTAKE_OFFICER})
    handling = dossier.competent_agency
    body = acting_body(handling.pk, handling.unit_id, handling.unit.tier)
    for membership in scope.memberships:
        if body.includes(membership.agency_id, membership.unit_id):
            roles.add(membership.role)
    return frozenset(roles)


def taken_actions(dossier: Dossier) -> list[str]:
    known = known_history(dossier)
    if known is not None:  # an action read the history already
        return [event.action for event in known]
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
    returned_via: str = "",
    tracking_number: str = "",
) -> Dossier:
    """Take ``action`` on the dossier ``code``; every rule of its template is checked.

    ``document_ids`` are papers already added to the dossier (``attach_document``) that the
    action uses: the draft result a specialist submits, the signed decision. Handing the result
    back (``return_result``) records how (``returned_via``: at the desk by default, by post or
    electronically) and, at the desk, ``collected_by``: the name and citizen ID number of who
    collected it, the applicant or the person form 01 names; by post, the item's
    ``tracking_number``. The event's time is when.
    """
    require_writable(actor)
    check_text("note", note, multiline=True)
    with transaction.atomic():
        dossier = (
            visible_dossiers(actor)
            .select_for_update(of=("self",))
            .select_related(
                "template", "procedure", "competent_agency__unit", "receiving_agency", "assignee"
            )
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
            # only a way other than the desk is fingerprinted: a retry sent before it was asked
            # still matches its first attempt
            **(
                {"returned_via": returned_via, "tracking_number": tracking_number.strip()}
                if returned_via and returned_via != Way.DESK
                else {}
            ),
        )
        if idempotency_key:
            history = read_history(dossier)  # read once: the key, the actions taken, the next seq
            earlier = next((e for e in history if e.idempotency_key == idempotency_key), None)
            if earlier is not None:
                check_retry(
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
        read_history(dossier)
        calendar = calendar_for(dossier.competent_agency.unit)
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
        hand_back = (
            _hand_back(dossier, collected_by, returned_via, tracking_number, now)
            if action == RETURN_RESULT
            else None
        )
        event_agency = _transfer(actor, dossier, target_agency) if move.action.transfers else None
        if action == "assign":
            _check_assignee(dossier, assignee, move.target)
        if action == "new_appointment":
            _check_reschedule(dossier, calendar, now, new_due_at)
        # Signed before anything changes: an agency that cannot sign changes nothing.
        signed = _signed_result(actor, dossier, move, now, note, document_ids or [])
        data = apply_move(
            dossier,
            calendar,
            move,
            now,
            target_agency=event_agency,
            assignee=assignee if action == "assign" else None,
            new_appointment_at=new_due_at if action == "new_appointment" else None,
        )
        if hand_back is not None:
            data.update(hand_back)
        if signed is not None:
            data["result_signed"] = results.event_record(signed)
        if event_agency is not None:
            DossierAccess.objects.get_or_create(dossier=dossier, agency=event_agency)
        if move.clock in (Clock.RESUME, Clock.RESTART):
            ApologyDraft.objects.filter(dossier=dossier).delete()  # it was for the old due moment
        dossier.save()
        event = append_event(
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
        if signed is not None:
            results.keep_result(dossier, actor, event, signed)
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
                **(_masked(hand_back) if hand_back else {}),
            },
        )
    return dossier


RETURN_RESULT = "return_result"


def _signed_result(
    actor: User, dossier: Dossier, move: Move, now: dt.datetime, note: str, document_ids: list[int]
) -> results.IssuedResult | None:
    """The electronic result, numbered and signed, when the move issues one (Decree 118/2025
    Art. 22)."""
    credentials = results.signing_credentials(dossier, move)
    if credentials is None:
        return None
    papers = results.result_papers(dossier, document_ids)
    return results.sign_result(dossier, actor, now, note, papers, credentials)


def _hand_back(
    dossier: Dossier, person: Applicant | None, way: str, tracking: str, now: dt.datetime
) -> dict:
    """What the return event records: the way and, at the desk, who collected the result (the
    applicant or the person form 01 names, checked by ID number); by post, the item's tracking
    number (Decree 118/2025, domain.md 1.8 and 7: the log book's "how it was received");
    electronically, only a result signed electronically, which the applicant downloads."""
    way = way or Way.DESK
    if way not in Way.__members__.values():
        raise InvalidInput(_("Hand the result back at the desk, by post or electronically."))
    if way == Way.POST:
        tracking = tracking.strip().upper()
        if problem := tracking_problem(tracking):
            raise InvalidInput(_(problem))
        return {"returned_via": way, "tracking_number": tracking}
    if way == Way.ELECTRONIC:
        # Handed back electronically is what the applicant downloads: the signed result, from
        # the portal's look-up (Decree 118/2025 Art. 22). Without one nothing reaches them.
        if not SignedResult.objects.filter(dossier=dossier).exists():
            raise InvalidInput(
                _(
                    "This dossier has no signed electronic result for the applicant to "
                    "download: hand the result back at the desk or by post."
                )
            )
        return {"returned_via": way}
    collector = _collector(person, now)
    receiver = receiver_of(
        collector["name"],
        collector["id_number"],
        applicant_name=dossier.applicant_name,
        applicant_id=dossier.applicant_id_number,
        authorised_name=dossier.authorised_name,
        authorised_id=dossier.authorised_id_number,
    )
    if receiver is None:
        raise InvalidInput(
            _(
                "The result is handed to the applicant or to the person authorised on the "
                "receipt slip; this citizen ID number is neither."
            )
        )
    return {"returned_via": way, "collected_by": collector, "receiver": receiver}


def _collector(person: Applicant | None, now: dt.datetime) -> dict[str, str]:
    """Who collects the result, checked: their name and citizen ID number."""
    name = (person.name if person else "").strip()
    id_number = (person.id_number if person else "").strip()
    check_text("collector_name", name)
    check_text("collector_id_number", id_number)
    if not name or not id_number:
        raise InvalidInput(_("Say who collects the result: their full name and citizen ID number."))
    if problem := applicant_rules.citizen_id_problem(id_number, now.date()):
        said = COLLECTOR_ID_PROBLEMS.get(problem)
        raise InvalidInput(
            str(said)
            if said
            else _("The citizen ID number of who collects the result: %(problem)s")
            % {"problem": _(problem)}
        )
    return {"name": name, "id_number": id_number}


# The pure rule's problems (``applicant.citizen_id_problem``) said of the collector's number in
# one sentence, so the message does not name the number twice.
COLLECTOR_ID_PROBLEMS = {
    "a citizen ID number has 12 digits": gettext_lazy(
        "The citizen ID number of who collects the result has 12 digits."
    ),
    "the first three digits are not a province of birth registration": gettext_lazy(
        "The first three digits of the citizen ID number of who collects the result are not a "
        "province of birth registration."
    ),
    "the birth year it encodes is in the future": gettext_lazy(
        "The citizen ID number of who collects the result encodes a birth year in the future."
    ),
}


def _masked(hand_back: dict) -> dict:
    """The audit log keeps the collector's ID masked; the dossier's event keeps it whole."""
    collector = hand_back.get("collected_by")
    if collector is None:
        return hand_back
    masked = {**collector, "id_number": mask_citizen_id(collector["id_number"])}
    return {**hand_back, "collected_by": masked}


def transfer_targets(actor: User, dossier: Dossier) -> QuerySet[Agency]:
    """The agencies the actor may send the dossier to: none unless they act on it; otherwise
    a current agency of the province that decides, or a current commune's agency of the kind
    that handles it now (a commune procedure stays with a People's Committee), never a desk and
    never where it already is. The desk offers exactly these; ``act`` accepts no other."""
    if not acting_roles(actor, dossier):
        return Agency.objects.none()
    handling = dossier.competent_agency
    same_kind_in_communes = Q(unit__tier="commune", kind=handling.kind)
    return (
        Agency.objects.filter(Q(unit__tier="province") | same_kind_in_communes)
        .filter(unit__valid_to=None, is_one_stop_desk=False)
        .exclude(pk=handling.pk)
        .select_related("unit")
        .order_by("unit__tier", "name")
    )


def transfer_target(
    actor: User, code: str, *, agency_id: int | None = None, agency_code: str | None = None
) -> Agency | None:
    """The agency a transfer of the dossier ``code`` names, by id (the desk) or code (the API),
    looked up among ``transfer_targets``; None when it names none. The agency handling it now
    is given back for ``act`` to say so; any other the rule excludes is refused as ``act``
    refuses it, whether it exists or not."""
    if agency_id is None and not agency_code:
        return None
    dossier = (
        visible_dossiers(actor).select_related("competent_agency__unit").filter(code=code).first()
    )
    if dossier is None:
        raise NotFound()
    handling = dossier.competent_agency
    if agency_id == handling.pk or agency_code == handling.code:
        return handling
    named = Q(pk=agency_id) if agency_id is not None else Q(code=agency_code)
    target = transfer_targets(actor, dossier).filter(named).first()
    if target is None:
        raise _not_a_target()
    return target


def _not_a_target() -> InvalidInput:
    return InvalidInput(_("A dossier goes to a current agency that decides, not to a desk."))


def _transfer(actor: User, dossier: Dossier, target: Agency | None) -> Agency:
    if target is None:
        raise InvalidInput(_("Choose the agency the dossier goes to."))
    if target.pk == dossier.competent_agency_id:
        raise InvalidInput(_("The dossier is already with this agency."))
    if not transfer_targets(actor, dossier).filter(pk=target.pk).exists():
        raise _not_a_target()
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
    """Form 04: an apology and one new appointment, until the close of the last working day
    before the day of the due moment.

    "Chậm nhất 01 ngày trước ngày hết hạn" (Lai Châu 88/2025 Art. 3(6), restating Decree 118;
    ``domain.md`` section 7, convention 7). The day counts, not 24 working hours: due Thursday
    10:00, the apology may go out until Wednesday 17:30. Only one per dossier: the template
    marks the action ``once``.
    """
    if new_due_at is not None and new_due_at.tzinfo is None:
        raise InvalidInput(_("Give the new appointment with its time zone."))
    if new_due_at is None or new_due_at <= dossier.due_at:
        raise InvalidInput(_("The new appointment must be later than the current due moment."))
    last_moment = calendar.close_of_day_before(dossier.due_at)
    if now > last_moment:
        raise InvalidInput(
            _(
                "An apology and new appointment are given by the close of the last working day "
                "before the due date, here %(moment)s."
            )
            % {"moment": f"{last_moment.astimezone(calendar.zone):%H:%M %d/%m/%Y}"}
        )


def open_actions(
    actor: User, dossier: Dossier, calendar: WorkCalendar | None = None
) -> list[Action]:
    """The actions the actor may take on the dossier now (what the desk shows as buttons)."""
    calendar = calendar or calendar_for(dossier.competent_agency.unit)
    return allowed_actions(
        template_of(dossier),
        dossier.step,
        acting_roles(actor, dossier),
        taken_actions(dossier),
        worked_days(dossier, calendar, clock.now()),
    )


def _claim_documents(dossier: Dossier, document_ids: list[int], event: DossierEvent) -> int:
    """Attach the dossier's loose papers named by the action to its event."""
    if not document_ids:
        return 0
    loose = DossierDocument.objects.filter(dossier=dossier, event__isnull=True, pk__in=document_ids)
    if loose.count() != len(set(document_ids)):
        raise InvalidInput(_("Some documents are not papers of this dossier waiting to be used."))
    return loose.update(event=event)
