"""Receiving a filing of the national portal into the dossier engine, exactly once.

The webhook and the queue pull both call ``receive_filing``. Its key is the filing's national
id: the ``InboundDossier`` row for ``(source, national_id)`` is inserted first, in the same
transaction as the dossier, under a unique constraint. A second delivery finds the row and gets
the first answer; a concurrent one waits on the constraint, fails, rolls back and then reads the
winner's row. A refused filing is recorded too, so sending it again gets the same refusal.

The dossier is received by a service account (``dvcqg`` by default) that holds the intake role at
the desk the portal names; it is created, and the role granted, on first use through the
accounts services, so both are in the audit log.
"""

import contextlib
import datetime as dt
import hashlib
import json
import logging
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.accounts.models import User
from haicap.accounts.services import create_staff_user, grant_membership
from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.errors import Conflict, DomainError, InvalidInput
from haicap.core.roles import Role
from haicap.core.scoping import scope_of
from haicap.core.validators import check_text
from haicap.dossiers import services as dossier_services
from haicap.dossiers.models import Dossier
from haicap.exchange.inbound import parsing
from haicap.exchange.inbound.http import setting
from haicap.exchange.messages import NATIONAL_PORTAL
from haicap.exchange.models import CodeMapping, InboundDossier, InboundRepeat
from haicap.exchange.services import require_operator
from haicap.units.models import AdministrativeUnit, Agency

SOURCE = NATIONAL_PORTAL
logger = logging.getLogger(__name__)
SERVICE_ACCOUNT_NAME = "Cổng Dịch vụ công quốc gia"


class ServiceAccountDisabled(DomainError):
    code = "service_account_disabled"
    status = 503
    title = gettext_lazy("The national portal's account is disabled")


@dataclass(frozen=True)
class Outcome:
    """What became of a filing; ``first_time`` is false for a delivery already dealt with."""

    record: InboundDossier
    first_time: bool
    # A later delivery under the same national id with other content, held for an operator.
    held: InboundRepeat | None = None

    @property
    def received(self) -> bool:
        return self.held is None and self.record.status == InboundDossier.Status.RECEIVED


@dataclass(frozen=True)
class Destination:
    procedure: Procedure
    desk: Agency
    unit: AdministrativeUnit | None


def recorded(national_id: str, source: str = SOURCE) -> InboundDossier | None:
    return (
        InboundDossier.objects.select_related("dossier")
        .filter(source=source, national_id=national_id)
        .first()
    )


def receive_filing(message: object) -> Outcome:
    """Receive one filing (the decoded JSON message); the same answer however often it comes.

    A problem with the filing is a recorded refusal, returned as an ``Outcome``. Raises
    ``InvalidInput`` for a message without a usable national id (nothing can be recorded for
    it), and ``ServiceAccountDisabled`` or ``Conflict`` when haicap cannot take it now (nothing
    is recorded; the sender tries again).
    """
    now = clock.now()
    try:
        reading = parsing.read_filing(message, timezone.localdate(now))
    except parsing.Unreadable as error:
        raise InvalidInput(_("The message cannot be read: %(why)s.") % {"why": error}) from error
    payload = dict(message)  # type: ignore[call-overload]  # read_filing checked it
    earlier = recorded(reading.national_id)
    if earlier is not None:
        return _again(earlier, payload)
    if reading.filing is None:
        return _refuse(reading.national_id, payload, parsing.describe(reading.problems))
    destination, problems = _destination(reading.filing)
    if destination is None:
        return _refuse(reading.national_id, payload, parsing.describe(problems))
    received_at = parsing.time_of_receipt(reading.filing.submitted_at, now)
    if received_at is None:
        return _refuse(
            reading.national_id, payload, parsing.describe({"submitted_at": "is in the future"})
        )
    account = service_account(destination.desk)
    return _receive(reading.filing, destination, account, received_at, payload)


def _again(first: InboundDossier, payload: dict) -> Outcome:
    """A delivery under a national id already recorded: the first answer when it is the same
    filing, a hold for an operator when its content differs."""
    if payload_digest(first.payload) == payload_digest(payload):
        return Outcome(first, first_time=False)
    return Outcome(first, first_time=False, held=_hold(first, payload))


def payload_digest(payload: dict) -> str:
    """The fingerprint of a message's content, whatever the order of its keys."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _hold(first: InboundDossier, payload: dict) -> InboundRepeat:
    """Keep a differing repeat for an operator, once however often it is sent."""
    digest = payload_digest(payload)
    try:
        with transaction.atomic():
            held = InboundRepeat.objects.create(
                source=first.source,
                national_id=first.national_id,
                first=first,
                payload=payload,
                payload_digest=digest,
                arrived_at=clock.now(),
            )
            record_change("inbound.held", held, after={"national_id": first.national_id})
    except IntegrityError:
        held = InboundRepeat.objects.get(first=first, payload_digest=digest)
    logger.warning(
        "national filing %s sent again with other content: held for an operator",
        first.national_id,
    )
    return held


def settle_repeat(actor: User, repeat: InboundRepeat, settlement: str) -> InboundRepeat:
    """An operator says what was done about a held repeat (it stays on record)."""
    require_operator(actor)
    settlement = settlement.strip()
    check_text("settlement", settlement, multiline=True)
    if not settlement:
        raise InvalidInput(_("Say what was done about this filing."))
    with transaction.atomic():
        repeat = InboundRepeat.objects.select_for_update().get(pk=repeat.pk)
        if repeat.settled_at is not None:
            raise Conflict(_("This filing was already settled."))
        repeat.settled_at = clock.now()
        repeat.settled_by = actor
        repeat.settlement = settlement
        repeat.save(update_fields=["settled_at", "settled_by", "settlement"])
        record_change(
            "inbound.repeat_settled",
            repeat,
            actor=actor,
            after={"national_id": repeat.national_id, "settlement": settlement},
        )
    return repeat


def _refusal_text(problems: str) -> str:
    return _("The filing cannot be received: %(problems)s") % {"problems": problems}


def _refuse(national_id: str, payload: dict, problems: str) -> Outcome:
    try:
        with transaction.atomic():
            row = InboundDossier.objects.create(
                source=SOURCE,
                national_id=national_id,
                payload=payload,
                status=InboundDossier.Status.REFUSED,
                reason=_refusal_text(problems),
                received_at=clock.now(),
            )
            record_change("inbound.refused", row, after={"national_id": national_id})
    except IntegrityError:
        return _first_answer(national_id, payload)
    return Outcome(row, first_time=True)


def _receive(
    filing: parsing.Filing,
    destination: Destination,
    account: User,
    received_at: dt.datetime,
    payload: dict,
) -> Outcome:
    try:
        with transaction.atomic():
            # The claim comes first: a concurrent delivery of the same filing waits here.
            row = InboundDossier.objects.create(
                source=SOURCE,
                national_id=filing.national_id,
                payload=payload,
                status=InboundDossier.Status.RECEIVED,
                received_at=clock.now(),
            )
            try:
                with transaction.atomic():
                    received = dossier_services.receive(
                        account,
                        procedure=destination.procedure,
                        receiving_agency=destination.desk,
                        applicant=filing.applicant,
                        channel=Dossier.Channel.ONLINE,
                        competent_unit=destination.unit,
                        received_at=received_at,
                        backdate_reason=f"nộp qua Cổng DVCQG {filing.national_id}",
                    )
            except InvalidInput as refusal:
                row.status = InboundDossier.Status.REFUSED
                row.reason = _refusal_text(refusal.detail)
                row.save(update_fields=["status", "reason"])
                record_change("inbound.refused", row, after={"national_id": filing.national_id})
                return Outcome(row, first_time=True)
            row.dossier = received.dossier
            row.save(update_fields=["dossier"])
            record_change(
                "inbound.received",
                row,
                actor=account,
                after={"national_id": filing.national_id, "dossier": received.dossier.code},
            )
    except IntegrityError:
        return _first_answer(filing.national_id, payload)
    return Outcome(row, first_time=True)


def _first_answer(national_id: str, payload: dict) -> Outcome:
    """After losing the race on the unique constraint: the winner's row, as for any later
    delivery (held for an operator if its content differs from ours)."""
    earlier = recorded(national_id)
    if earlier is None:  # the constraint was not ours: a real error
        raise Conflict(_("The filing could not be recorded; send it again."))
    return _again(earlier, payload)


# --- where the filing goes ------------------------------------------------------------------


def local_code(kind: str, national_code: str) -> str | None:
    """The local code of a national one: its mapping if the province made one, else itself.

    ``None`` when several local codes share the national one (the mapping is ambiguous).
    """
    found = list(
        CodeMapping.objects.filter(target=SOURCE, kind=kind, national_code=national_code)
        .order_by("local_code")
        .values_list("local_code", flat=True)[:2]
    )
    if len(found) > 1:
        return None
    return found[0] if found else national_code


def _destination(filing: parsing.Filing) -> tuple[Destination | None, dict[str, str]]:
    problems: dict[str, str] = {}
    ambiguous = _("several local codes are mapped to %(code)s")

    procedure = None
    code = local_code(CodeMapping.Kind.PROCEDURE, filing.procedure_code)
    if code is None:
        problems["procedure_code"] = ambiguous % {"code": filing.procedure_code}
    else:
        procedure = (
            Procedure.objects.select_related("provincial_agency__unit")
            .filter(national_code=code)
            .first()
        )
        if procedure is None:
            problems["procedure_code"] = _("no procedure has the code %(code)s") % {"code": code}

    desk = None
    code = local_code(CodeMapping.Kind.AGENCY, filing.agency_code)
    if code is None:
        problems["agency_code"] = ambiguous % {"code": filing.agency_code}
    else:
        desk = Agency.objects.select_related("unit").filter(code=code).first()
        if desk is None:
            problems["agency_code"] = _("no agency has the code %(code)s") % {"code": code}
        elif not desk.is_one_stop_desk:
            problems["agency_code"] = _("%(agency)s is not a one-stop desk") % {"agency": desk}

    unit = None
    if filing.unit_code:
        code = local_code(CodeMapping.Kind.UNIT, filing.unit_code)
        if code is None:
            problems["unit_code"] = ambiguous % {"code": filing.unit_code}
        else:
            unit = AdministrativeUnit.objects.filter(code=code, valid_to=None).first()
            if unit is None:
                problems["unit_code"] = _("no current unit has the code %(code)s") % {"code": code}

    if problems or procedure is None or desk is None:
        return None, problems
    return Destination(procedure, desk, unit), {}


# --- the portal's service account -----------------------------------------------------------


def service_account(desk: Agency) -> User:
    """The account dossiers from the portal are received by, an intake officer of ``desk``.

    It has no usable password: nobody signs in with it. Disabling it stops intake from the
    portal (deliveries are then answered 503 and retried by the sender).
    """
    username = setting("HAICAP_NATIONAL_SERVICE_ACCOUNT", "dvcqg") or "dvcqg"
    user = User.objects.filter(username=username).first()
    if user is None:
        try:
            with transaction.atomic():
                user = create_staff_user(
                    None,
                    username=username,
                    full_name=SERVICE_ACCOUNT_NAME,
                    password=secrets.token_urlsafe(32),
                )
                user.set_unusable_password()
                user.save(update_fields=["password"])
        except (Conflict, IntegrityError):  # created at the same moment by another delivery
            user = User.objects.get(username=username)
    if not user.is_active:
        raise ServiceAccountDisabled(
            _("The account %(name)s that receives the national portal's filings is disabled.")
            % {"name": username}
        )
    if Role.INTAKE_OFFICER not in scope_of(user).roles_in(desk.pk):
        with contextlib.suppress(Conflict):  # granted at the same moment by another delivery
            grant_membership(None, user, desk, Role.INTAKE_OFFICER)
        user.forget_scope()
    return user
