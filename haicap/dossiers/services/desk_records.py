"""What a desk gives an applicant at intake instead of receiving a dossier.

Decree 118/2025 Art. 11 and its restatement in provincial 2025 procedures (domain.md 1.3 and
7): an incomplete dossier gets one written guidance of everything to complete (form 02 as used
at the desk); an ineligible one gets a refusal to receive with its reasons (form 03, signed by
the applicant and the receiving officer, Circular 03/2025 Annex I). Neither creates a dossier,
so neither is in the "received" figures; both are their own numbered records of the desk,
counted per unit and period (``haicap.dossiers.measures``).
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.accounts.services import require_writable
from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.errors import Conflict, InvalidInput, PermissionDenied
from haicap.core.masking import mask_citizen_id, mask_phone
from haicap.core.roles import Role
from haicap.core.scoping import scope_of
from haicap.core.validators import check_text
from haicap.dossiers import applicant as applicant_rules
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.models import DeskRecord
from haicap.dossiers.services.retries import check_retry, request_digest
from haicap.units.models import Agency

AUDIT_ACTIONS = {
    DeskRecord.Kind.GUIDANCE: "intake.guidance_given",
    DeskRecord.Kind.REFUSAL: "intake.refused",
}


def record_at_intake(
    actor: User,
    *,
    kind: str,
    desk: Agency,
    applicant: Applicant,
    content: str,
    procedure: Procedure | None = None,
    request: str = "",
    idempotency_key: str = "",
) -> DeskRecord:
    """Record guidance (``kind="guidance"``: what to complete) or a refusal to receive
    (``kind="refusal"``: the reasons) given at ``desk``, numbered in the desk's year.

    ``request`` is what the applicant asked for when no procedure of the catalogue fits (a
    refusal because the matter is not an administrative procedure of this desk).
    """
    require_writable(actor)
    if kind not in DeskRecord.Kind.values:
        raise InvalidInput(_("Unknown kind of record."))
    content, request = content.strip(), request.strip()
    check_text("content", content, multiline=True)
    check_text("request", request)
    digest = request_digest(
        kind=kind,
        desk=desk.pk,
        applicant=applicant,
        content=content,
        procedure=procedure.pk if procedure else None,
        request=request,
    )
    if idempotency_key:
        earlier = DeskRecord.objects.filter(officer=actor, idempotency_key=idempotency_key).first()
        if earlier is not None:
            check_retry(
                earlier.request_digest,
                digest,
                _("The Idempotency-Key %(key)s was already used for another record.")
                % {"key": idempotency_key},
            )
            return earlier
    if not desk.is_one_stop_desk:
        raise InvalidInput(_("Guidance and refusals are given at a one-stop desk."))
    if Role.INTAKE_OFFICER not in scope_of(actor).roles_in(desk.pk):
        raise PermissionDenied(_("You are not an intake officer of this desk."))
    if not content:
        raise InvalidInput(
            _("Write what the applicant must complete.")
            if kind == DeskRecord.Kind.GUIDANCE
            else _("Write the reasons for refusing to receive the dossier.")
        )
    if procedure is None and not request:
        raise InvalidInput(_("Choose the procedure, or say what the applicant asked for."))
    now = clock.now()
    problems = applicant_rules.problems(applicant, now.date())
    if problems:
        raise InvalidInput("; ".join(f"{field}: {message}" for field, message in problems.items()))
    try:
        with transaction.atomic():
            record = _create(
                actor,
                kind,
                desk,
                applicant,
                content,
                procedure,
                request,
                now,
                idempotency_key,
                digest,
            )
            record_change(
                AUDIT_ACTIONS[kind],
                record,
                actor=actor,
                after={
                    "desk": desk.code,
                    "number": record.number,
                    "procedure": procedure.national_code if procedure else request,
                    "applicant": applicant.name,
                    "id_number": mask_citizen_id(applicant.id_number),
                    "phone": mask_phone(applicant.phone),
                    "content": content,
                },
            )
    except IntegrityError as clash:
        raise Conflict(_("The record could not be numbered; send it again.")) from clash
    return record


def _create(
    actor: User,
    kind: str,
    desk: Agency,
    applicant: Applicant,
    content: str,
    procedure: Procedure | None,
    request: str,
    now: dt.datetime,
    key: str,
    digest: str,
) -> DeskRecord:
    """The record with the desk's next number of its kind in the year (the desk's row is locked,
    so two officers of one desk never share a number)."""
    Agency.objects.select_for_update().filter(pk=desk.pk).first()
    year = now.astimezone(VIETNAM).year
    last = DeskRecord.objects.filter(desk=desk, kind=kind, at_year=year).aggregate(Max("number"))
    return DeskRecord.objects.create(
        kind=kind,
        desk=desk,
        number=(last["number__max"] or 0) + 1,
        procedure=procedure,
        request=(request or (procedure.name if procedure else ""))[:300],
        content=content,
        officer=actor,
        at=now,
        at_year=year,
        idempotency_key=key,
        request_digest=digest if key else "",
        **DeskRecord.columns(applicant),
    )
