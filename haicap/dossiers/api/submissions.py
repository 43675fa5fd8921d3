"""Online submissions: a citizen files and follows one; a desk accepts or returns it."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.throttling import BaseThrottle

from haicap.core.api import BODY_ERRORS, LocalDateTime, MultiLine, RecordId, SingleLine, errors
from haicap.core.errors import InvalidInput, Throttled
from haicap.core.masking import mask_citizen_id
from haicap.core.middleware import client_ip
from haicap.dossiers import selectors, services
from haicap.dossiers.api.dossiers import DossierDetail, detail
from haicap.dossiers.api.inputs import (
    ApplicantIn,
    IdempotencyKey,
    PinIn,
    current_unit,
    procedure_by_code,
)
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.models import Dossier
from haicap.dossiers.models import OnlineSubmission as Submission
from haicap.units.selectors import public_desk

router = Router()
public_router = Router()  # no credentials: the citizen's filing and follow-up


class SubmissionIn(Schema):
    procedure_code: SingleLine = Field(min_length=1, max_length=40)
    desk_code: SingleLine = Field(
        min_length=1, max_length=40, description="the one-stop desk that will receive it"
    )
    competent_unit_code: SingleLine | None = Field(None, min_length=1, max_length=10)
    applicant: ApplicantIn
    result_delivery: Dossier.Delivery = Field(
        Dossier.Delivery.DESK, description="how the applicant receives the result"
    )


class SubmissionOut(Schema):
    reference: str
    procedure_name: str
    status: str
    submitted_at: LocalDateTime
    review_note: str
    dossier_code: str | None


class SubmittedOut(SubmissionOut):
    pin: str = Field(description="keep it: with the reference it follows the dossier")


class ReturnIn(Schema):
    note: MultiLine = Field(max_length=4000, description="what the applicant must complete")


class PendingSubmission(Schema):
    id: int
    reference: str
    procedure_code: str
    procedure_name: str
    desk_code: str
    applicant_name: str
    applicant_id_number: str
    submitted_at: LocalDateTime
    repeat_of: str | None = Field(
        description="the reference of the same applicant's filing of the same procedure a few "
        "minutes before, which this one may repeat"
    )


def _submission_out(submission: Submission, pin: str | None = None) -> SubmissionOut:
    fields = {
        "reference": submission.reference,
        "procedure_name": submission.procedure.name,
        "status": submission.status,
        "submitted_at": submission.submitted_at,
        "review_note": submission.review_note,
        "dossier_code": submission.dossier.code if submission.dossier else None,
    }
    return SubmittedOut(**fields, pin=pin) if pin is not None else SubmissionOut(**fields)


class FilingAttempts(BaseThrottle):
    """Counts every public filing from an address, valid or not: ninja runs throttles before it
    reads the body, so a malformed filing counts as much as a good one."""

    def allow_request(self, request: HttpRequest) -> bool:
        try:
            services.count_filing_attempt(client_ip(request))
        except Throttled:
            return False
        return True


@public_router.post(
    "/public/submissions",
    operation_id="haicap_dossiers_api_submit",
    auth=None,
    throttle=FilingAttempts(),
    response={201: SubmittedOut, **errors(*BODY_ERRORS, 429)},
    summary="A citizen files a dossier online",
    description=(
        "With an `Idempotency-Key`, a retry of the same request files nothing more and answers "
        "the first submission (with its PIN for a day); the key sent with another request is "
        "422 `idempotency_key_reused`."
    ),
)
def submit(
    request: HttpRequest, body: SubmissionIn, idempotency_key: str | None = IdempotencyKey
) -> Status:
    procedure = procedure_by_code(body.procedure_code)
    desk = public_desk(body.desk_code)
    if desk is None:
        raise InvalidInput(_("Choose a one-stop desk of the province."))
    unit = current_unit(body.competent_unit_code)
    submitted = services.submit_online(
        procedure=procedure,
        desk=desk,
        applicant=Applicant(**body.applicant.dict()),
        competent_unit=unit,
        idempotency_key=idempotency_key or "",
        result_delivery=body.result_delivery,
    )
    return Status(201, _submission_out(submitted.submission, pin=submitted.pin))


@public_router.post(
    "/public/submissions/{reference}/lookup",
    operation_id="haicap_dossiers_api_public_submission",
    auth=None,
    response={200: SubmissionOut, **errors(404, *BODY_ERRORS, 429)},
    summary="A citizen follows an online submission with its reference and PIN",
    description="The PIN goes in the body, never in the address (addresses are logged).",
)
def public_submission(request: HttpRequest, reference: str, body: PinIn) -> SubmissionOut:
    return _submission_out(services.look_up_submission(reference, body.pin, client_ip(request)))


@router.get(
    "/submissions",
    operation_id="haicap_dossiers_api_pending_submissions",
    response={200: list[PendingSubmission], **errors(401)},
    summary="Online submissions waiting at the caller's desks",
)
def pending_submissions(request: HttpRequest) -> list[PendingSubmission]:
    return [
        PendingSubmission(
            id=s.pk,
            reference=s.reference,
            procedure_code=s.procedure.national_code,
            procedure_name=s.procedure.name,
            desk_code=s.desk.code,
            applicant_name=s.applicant_name,
            applicant_id_number=mask_citizen_id(s.applicant_id_number),
            submitted_at=s.submitted_at,
            repeat_of=s.repeat_of.reference if s.repeat_of else None,
        )
        for s in selectors.pending_submissions(request.user)
    ]


@router.post(
    "/submissions/{submission_id}/accept",
    operation_id="haicap_dossiers_api_accept",
    response={200: DossierDetail, **errors(401, 403, 404, 409, 422)},
    summary="Accept a complete online submission: it becomes a dossier",
)
def accept(request: HttpRequest, submission_id: RecordId) -> DossierDetail:
    dossier = services.accept_submission(request.user, submission_id)
    return detail(selectors.get_dossier(request.user, dossier.code), request.user)


@router.post(
    "/submissions/{submission_id}/return",
    operation_id="haicap_dossiers_api_give_back",
    response={200: SubmissionOut, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Return an incomplete online submission, saying what to complete",
)
def give_back(request: HttpRequest, submission_id: RecordId, body: ReturnIn) -> SubmissionOut:
    return _submission_out(services.return_submission(request.user, submission_id, body.note))
