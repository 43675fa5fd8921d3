"""Online submissions: a citizen files, and a desk officer accepts or returns the filing."""

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.accounts.services import locked_counter, require_writable
from haicap.catalog.models import Procedure
from haicap.core import clock, sealing
from haicap.core.audit import record_change
from haicap.core.errors import Conflict, InvalidInput, NotFound, Throttled
from haicap.core.validators import check_text
from haicap.dossiers import applicant as applicant_rules
from haicap.dossiers import uploads as uploads_rules
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.codes import new_pin, pin_digest
from haicap.dossiers.delivery import Choice as ResultChoice
from haicap.dossiers.models import Dossier, DossierDocument, OnlineSubmission, SubmissionDocument
from haicap.dossiers.services.documents import inspect_upload
from haicap.dossiers.services.intake import competent_agency, delivery_problem, receive
from haicap.dossiers.services.pins import PIN_KEPT_FOR, PIN_PURPOSE, pin_key
from haicap.dossiers.services.retries import check_retry, request_digest
from haicap.dossiers.upload_refusals import refusal_message
from haicap.units.models import AdministrativeUnit, Agency

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
    result_delivery: str = Dossier.Delivery.DESK,
) -> Submitted:
    """A citizen files a dossier online, with its papers; a desk officer will accept or return it.

    ``result_delivery`` is where the citizen chooses to receive the result (Decree 118/2025:
    at the desk, by post or electronically); it goes onto the dossier on acceptance.

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
    if problem := delivery_problem(ResultChoice(result_delivery), applicant, now.date()):
        raise InvalidInput(problem)
    competent_agency(procedure, desk, competent_unit)  # a commune procedure names its commune
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
            **({"result_delivery": result_delivery} if result_delivery != "desk" else {}),
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
                pin_hash=pin_digest(pin_key(), pin),
                procedure=procedure,
                desk=desk,
                competent_unit=competent_unit,
                **OnlineSubmission.columns(applicant),
                result_delivery=result_delivery,
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
    check_retry(
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
        OnlineSubmission.objects.restrict(actor)
        .select_for_update(of=("self",))
        .select_related("procedure", "desk__unit", "competent_unit")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
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
            delivery=ResultChoice(submission.result_delivery),
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
