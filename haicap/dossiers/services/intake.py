"""Receiving a dossier at a one-stop desk: its number, its competent agency, the process
version it pins and the start of its legal clock."""

import datetime as dt
from dataclasses import asdict, dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.accounts.models import User
from haicap.accounts.services import require_writable
from haicap.calendar.selectors import calendar_for
from haicap.calendar.workdays import WorkCalendar
from haicap.catalog.compiled import compiled
from haicap.catalog.models import Procedure, ProcessTemplate
from haicap.core import clock, sealing
from haicap.core.audit import record_change
from haicap.core.errors import InvalidInput, PermissionDenied
from haicap.core.masking import mask_citizen_id
from haicap.core.roles import Role
from haicap.core.scoping import scope_of
from haicap.core.text import search_key
from haicap.core.validators import check_text
from haicap.dossiers import applicant as applicant_rules
from haicap.dossiers import changes, receipt_time
from haicap.dossiers import delivery as delivery_rules
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.codes import dossier_code, new_pin, pin_digest
from haicap.dossiers.delivery import Choice as ResultChoice
from haicap.dossiers.models import (
    DailySequence,
    Dossier,
    DossierAccess,
    IntakeRequest,
    LogBookSequence,
    ResultNumberSequence,
)
from haicap.dossiers.services.events import append_event, keep_history
from haicap.dossiers.services.moves import step_due
from haicap.dossiers.services.pins import PIN_KEPT_FOR, PIN_PURPOSE, pin_key
from haicap.dossiers.services.retries import check_retry, request_digest
from haicap.units.models import AdministrativeUnit, Agency
from haicap.workflow.engine import Clock, Template

MAX_BACKDATE = dt.timedelta(days=30)  # paper taken while the system was down, entered later


@dataclass(frozen=True)
class Received:
    dossier: Dossier
    pin: str  # shown once, on the receipt slip
    calendar: WorkCalendar | None = None  # the competent agency's, when this intake built it


def competent_agency(
    procedure: Procedure, receiving: Agency, unit: AdministrativeUnit | None
) -> Agency:
    """The agency that decides a dossier of ``procedure``: the province's named one, or the
    agency of its kind in ``unit`` (the receiving desk's own commune when none is named)."""
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
            capfirst(_("%(unit)s has no agency that decides this procedure.") % {"unit": unit})
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
    return _next_in(DailySequence, agency=agency, day=day)


def _next_log_number(agency: Agency, year: int) -> int:
    """The desk's next log-book number in the year (form 07: one running number a year).

    The number is given when the dossier is entered, and never changes: form 01 prints it
    ("Vào sổ theo dõi hồ sơ, số") and the applicant keeps that paper. So the numbers follow the
    order of entry, which is the order of receipt for every dossier received at the desk as it
    happens; a dossier entered later with an earlier time of receipt (an online filing accepted
    the next morning, a receipt recorded late with its reason) takes the next free number, as a
    line written at the foot of a paper book would. The book lists dossiers by time of receipt,
    so such a line shows a higher number among lower ones; renumbering the others instead would
    make the slips they hold wrong.
    """
    return _next_in(LogBookSequence, agency=agency, year=year)


def _next_in(
    model: type[DailySequence] | type[LogBookSequence] | type[ResultNumberSequence], **key: object
) -> int:
    """The sequence's next number: one statement that makes the row or adds one to it, and
    holds its row lock until the transaction ends, so two desks never share a number."""
    table = model._meta.db_table
    columns = [model._meta.get_field(name).column for name in key]
    values = [getattr(value, "pk", value) for value in key.values()]
    named = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({named}, last) VALUES ({', '.join(['%s'] * len(values))}, 1) "  # noqa: S608 (model names)
            f"ON CONFLICT ({named}) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            values,
        )
        return cursor.fetchone()[0]


def delivery_problem(choice: ResultChoice, applicant: Applicant, today: dt.date) -> str:
    """What is wrong with the applicant's choice of how to receive the result, in one line."""
    problems = delivery_rules.choice_problems(
        choice, applicant.address, applicant.email, applicant.id_number, today
    )
    return "; ".join(f"{field}: {_(message)}" for field, message in problems.items())


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
    delivery: ResultChoice | None = None,
) -> Received:
    """Receive a complete dossier at a one-stop desk and start its legal clock.

    ``pin_hash`` keeps the PIN an applicant already holds (an accepted online submission); the
    returned PIN is then empty, since only the applicant knows it. ``delivery`` is how the
    applicant receives the result (at the desk, one set, nobody authorised, when not given);
    the dossier is entered in the desk's log book with the next number of the year.
    """
    require_writable(actor)
    check_text("backdate_reason", backdate_reason)
    delivery = delivery or ResultChoice()
    delivery = ResultChoice(
        delivery.way,
        delivery.sets,
        delivery.authorised_name.strip(),
        delivery.authorised_id_number.strip(),
    )
    digest = request_digest(
        procedure=procedure.pk,
        desk=receiving_agency.pk,
        applicant=applicant,
        channel=channel,
        competent_unit=competent_unit.pk if competent_unit else None,
        received_at=received_at.isoformat() if received_at else None,
        backdate_reason=backdate_reason.strip(),
        # only a choice other than the default is part of the fingerprint, so the retry of a
        # request sent before the choice was asked still matches its first attempt
        **({"delivery": asdict(delivery)} if delivery != ResultChoice() else {}),
    )
    if idempotency_key:
        earlier = _earlier_intake(actor, idempotency_key, digest)
        if earlier is not None:
            return earlier
    if not receiving_agency.is_one_stop_desk:
        raise InvalidInput(_("Dossiers are received at a one-stop desk."))
    if Role.INTAKE_OFFICER not in scope_of(actor).roles_in(receiving_agency.pk):
        raise PermissionDenied(_("You are not an intake officer of this desk."))
    if not procedure.is_active:
        raise InvalidInput(_("This procedure is no longer in use."))
    if channel not in Dossier.Channel.values:
        raise InvalidInput(_("Unknown channel."))
    now = clock.now()
    problems = applicant_rules.problems(applicant, now.date())
    if problems:
        raise InvalidInput("; ".join(f"{field}: {message}" for field, message in problems.items()))
    if problem := delivery_problem(delivery, applicant, now.date()):
        raise InvalidInput(problem)
    if received_at is None:
        received_at = now
    elif not backdate_reason.strip():
        raise InvalidInput(_("Say why the time of receipt is earlier than now."))
    competent = competent_agency(procedure, receiving_agency, competent_unit)
    pinned = _template_in_force(procedure, receiving_agency, received_at, now)
    template = compiled(pinned)
    calendar = calendar_for(competent.unit)
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
            delivery,
        )
    except IntegrityError:
        # A retry that raced its first attempt: both passed the check above, the first won.
        earlier = _earlier_intake(actor, idempotency_key, digest) if idempotency_key else None
        if earlier is not None:
            return earlier
        raise


def _earlier_intake(actor: User, key: str, digest: str) -> Received | None:
    earlier = IntakeRequest.objects.filter(user=actor, key=key).select_related("dossier").first()
    if earlier is None:
        return None
    check_retry(
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
    delivery: ResultChoice,
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
        # The receiving desk's code, not the resolving agency's. Circular 03/2025 Art. 13 read
        # with the clause Circular 04/2025 adds from 25/1/2026 is read by one source as naming
        # the resolving agency (domain.md 7: confidence L, the amended text itself not found).
        # Until that reading is confirmed haicap keeps convention 8: the code is given where the
        # applicant stands, once, and a dossier later transferred to another agency or tier
        # keeps it, so the slip the applicant holds stays valid for the look-up.
        code = dossier_code(receiving_agency.code, local_day, number)
        dossier = Dossier.objects.create(
            code=code,
            pin_hash=pin_hash or pin_digest(pin_key(), pin),
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
            result_delivery=delivery.way,
            result_sets=delivery.sets,
            log_year=local_day.year,
            log_number=_next_log_number(receiving_agency, local_day.year),
            authorised_name=delivery.authorised_name,
            authorised_id_number=delivery.authorised_id_number,
        )
        DossierAccess.objects.bulk_create(
            [DossierAccess(dossier=dossier, agency=a) for a in {receiving_agency, competent}]
        )
        data = {"backdate_reason": backdate_reason.strip()} if backdate_reason.strip() else {}
        event = append_event(
            dossier, actor, "receive", "", start_step.code, Clock.KEEP, "", None, data, "", seq=1
        )
        keep_history(dossier, [event])  # its whole history: the answer reads no events
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
                "result_delivery": delivery.way,
                "result_sets": delivery.sets,
                "log_number": f"{dossier.log_number}/{dossier.log_year}",
                **(
                    {"authorised_id_number": mask_citizen_id(delivery.authorised_id_number)}
                    if delivery.authorised_id_number
                    else {}
                ),
                **data,
            },
        )
    return Received(dossier, pin, calendar)
