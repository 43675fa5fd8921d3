"""``/api/v1/dossiers``: receive, list, read and act on dossiers; the citizen's public look-up."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Header, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from ninja.throttling import BaseThrottle

from haicap.accounts.models import User
from haicap.calendar.selectors import calendar_for
from haicap.calendar.workdays import WorkCalendar
from haicap.catalog.models import Procedure
from haicap.catalog.template_names import translated_name
from haicap.core import clock
from haicap.core.api import (
    BODY_ERRORS,
    Day,
    LocalDateTime,
    MultiLine,
    RecordId,
    SingleLine,
    VietnamDateTime,
    errors,
)
from haicap.core.errors import InvalidInput, Throttled
from haicap.core.masking import mask_citizen_id, mask_phone
from haicap.core.middleware import client_ip
from haicap.core.pagination import DEFAULT_LIMIT, keyset_page
from haicap.dossiers import forms, pdf, selectors, services
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.downloads import paper_response
from haicap.dossiers.models import Dossier, DossierDocument
from haicap.dossiers.models import OnlineSubmission as Submission
from haicap.units.models import AdministrativeUnit, Agency
from haicap.units.selectors import get_agency

router = Router(tags=["dossiers"])
public_router = Router(tags=["public"])

UPLOAD = File(..., description="the paper: PDF, PNG or JPEG")
DOCUMENT_NAME = Form("", max_length=200, description="what the paper is; the file name if empty")
IdempotencyKey = Header(
    None, alias="Idempotency-Key", max_length=100, description="retries with it are applied once"
)


class ApplicantIn(Schema):
    name: SingleLine = Field(max_length=200)
    id_number: SingleLine = Field("", max_length=12)
    phone: SingleLine = Field("", max_length=15)
    email: SingleLine = Field("", max_length=254)
    address: SingleLine = Field("", max_length=300)
    business_code: SingleLine = Field("", max_length=14)


class DossierIn(Schema):
    procedure_code: SingleLine = Field(
        min_length=1, max_length=40, description="national code of the procedure"
    )
    receiving_agency_code: SingleLine = Field(
        min_length=1, max_length=40, description="the one-stop desk"
    )
    applicant: ApplicantIn
    channel: Dossier.Channel = Dossier.Channel.DESK
    competent_unit_code: SingleLine | None = Field(
        None, min_length=1, max_length=10, description="for a commune procedure received elsewhere"
    )
    received_at: VietnamDateTime | None = Field(
        None, description="earlier than now: needs a reason"
    )
    backdate_reason: SingleLine = Field("", max_length=300)


class DossierSummary(Schema):
    code: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    applicant_id_number: str
    channel: str
    step: str
    received_at: LocalDateTime
    due_at: LocalDateTime
    paused: bool
    overdue: bool
    finished_at: LocalDateTime | None
    timeliness: str
    outcome: str


class EventOut(Schema):
    seq: int
    at: LocalDateTime
    who: str
    action: str
    from_step: str
    to_step: str
    clock: str
    note: str
    agency_code: str | None


class DocumentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: LocalDateTime
    used_by_event: int | None

    @staticmethod
    def of(document: DossierDocument) -> "DocumentOut":
        return DocumentOut(
            id=document.pk,
            name=document.name,
            content_type=document.content_type,
            size=document.size,
            sha256=document.sha256,
            uploaded_at=document.uploaded_at,
            used_by_event=document.event.seq if document.event else None,
        )


class ActionOut(Schema):
    code: str
    name: str
    needs_note: bool
    needs_document: bool
    transfers: bool


class DossierDetail(DossierSummary):
    version: int
    receiving_agency_code: str
    competent_agency_code: str
    assignee: str | None
    applicant_phone: str
    clock_started_at: LocalDateTime
    step_due_at: LocalDateTime | None
    appointment_at: LocalDateTime | None
    remaining_working_days: Decimal | None
    events: list[EventOut]
    documents: list[DocumentOut]
    allowed_actions: list[ActionOut]


class Created(DossierDetail):
    pin: str = Field(description="the citizen's look-up PIN; printed on the receipt slip")


class DossierPage(Schema):
    items: list[DossierSummary]
    next_cursor: str | None


class DossierFilters(Schema):
    step: str | None = Field(None, min_length=1, max_length=60)
    agency_code: str | None = Field(None, min_length=1, max_length=40)
    unit_code: str | None = Field(None, min_length=1, max_length=10)
    field_code: str | None = Field(None, min_length=1, max_length=20)
    procedure_code: str | None = Field(None, min_length=1, max_length=40)
    channel: Dossier.Channel | None = None
    overdue: bool | None = None
    received_from: VietnamDateTime | None = None
    received_to: VietnamDateTime | None = None
    finished_from: VietnamDateTime | None = None
    finished_to: VietnamDateTime | None = None
    q: str = Field("", max_length=100, description="applicant name, with or without diacritics")
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


class ActionIn(Schema):
    action: SingleLine = Field(max_length=60)
    note: MultiLine = Field("", max_length=4000)
    expected_version: int = Field(
        ge=1, description="the version the caller saw; a stale one is refused (409)"
    )
    target_agency_code: SingleLine | None = Field(None, min_length=1, max_length=40)
    assignee: SingleLine | None = Field(None, min_length=1, max_length=150, description="username")
    new_appointment_at: VietnamDateTime | None = None
    document_ids: list[RecordId] = Field(
        default_factory=list, description="papers added to the dossier that this action uses"
    )
    collector_name: SingleLine = Field(
        "", max_length=200, description="return_result: the full name of who collects the result"
    )
    collector_id_number: SingleLine = Field(
        "", max_length=20, description="return_result: their citizen ID number (12 digits)"
    )


class PublicDossier(Schema):
    code: str
    procedure_name: str
    status: str
    received_at: LocalDateTime
    due_at: LocalDateTime
    appointment_at: LocalDateTime | None
    late: bool
    waiting_for_you: str | None = Field(description="what the applicant still has to bring or pay")
    finished_at: LocalDateTime | None
    outcome: str


def _summary_fields(dossier: Dossier, now: dt.datetime) -> dict:
    """What a list shows: personal data masked whoever looks (Decree 13/2023 minimisation)."""
    return {
        "code": dossier.code,
        "procedure_code": dossier.procedure.national_code,
        "procedure_name": dossier.procedure.name,
        "applicant_name": dossier.applicant_name,
        "applicant_id_number": mask_citizen_id(dossier.applicant_id_number),
        "channel": dossier.channel,
        "step": dossier.step,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "paused": dossier.is_paused,
        "overdue": dossier.is_open and not dossier.is_paused and dossier.due_at < now,
        "finished_at": dossier.finished_at,
        "timeliness": dossier.timeliness,
        "outcome": dossier.outcome,
    }


def detail(
    dossier: Dossier, user: User, pin: str | None = None, calendar: WorkCalendar | None = None
) -> DossierDetail | Created:
    now = clock.now()
    personal = selectors.sees_personal_data(user)
    calendar = calendar or calendar_for(dossier.competent_agency.unit)
    offered = services.open_actions(user, dossier, calendar)
    remaining = None
    if dossier.is_open and not dossier.is_paused:
        remaining = calendar.elapsed(now, dossier.due_at)
    fields = {
        **_summary_fields(dossier, now),
        "applicant_id_number": dossier.applicant_id_number
        if personal
        else mask_citizen_id(dossier.applicant_id_number),
        "applicant_phone": dossier.applicant_phone
        if personal
        else mask_phone(dossier.applicant_phone),
        "version": dossier.version,
        "receiving_agency_code": dossier.receiving_agency.code,
        "competent_agency_code": dossier.competent_agency.code,
        "assignee": dossier.assignee.get_username() if dossier.assignee else None,
        "clock_started_at": dossier.clock_started_at,
        "step_due_at": dossier.step_due_at,
        "appointment_at": dossier.appointment_at,
        "remaining_working_days": remaining.quantize(Decimal("0.01"))
        if remaining is not None
        else None,
        "events": [
            EventOut(
                seq=e.seq,
                at=e.at,
                who=e.actor_label,
                action=e.action,
                from_step=e.from_step,
                to_step=e.to_step,
                clock=e.clock,
                note=e.note,
                agency_code=e.agency.code if e.agency else None,
            )
            for e in dossier.events.select_related("agency").order_by("seq")
        ],
        "documents": [
            DocumentOut.of(d) for d in dossier.documents.select_related("event").order_by("pk")
        ],
        "allowed_actions": [
            ActionOut(
                code=a.code,
                name=translated_name(a.name),
                needs_note=a.needs_note,
                needs_document=a.needs_document,
                transfers=a.transfers,
            )
            for a in offered
        ],
    }
    return Created(**fields, pin=pin) if pin is not None else DossierDetail(**fields)


def _current_unit(code: str | None) -> AdministrativeUnit | None:
    if not code:
        return None
    unit = AdministrativeUnit.objects.filter(code=code, valid_to=None).first()
    if unit is None:
        raise InvalidInput(_("No current unit has the code %(code)s.") % {"code": code})
    return unit


def _agency(code: str | None) -> Agency | None:
    if not code:
        return None
    agency = Agency.objects.select_related("unit").filter(code=code).first()
    if agency is None:
        raise InvalidInput(_("No agency has the code %(code)s.") % {"code": code})
    return agency


@router.post(
    "/dossiers",
    response={201: Created, **errors(401, 403, 409, *BODY_ERRORS)},
    summary="Receive a dossier at a one-stop desk",
)
def create_dossier(
    request: HttpRequest, body: DossierIn, idempotency_key: str | None = IdempotencyKey
) -> Status:
    procedure = (
        Procedure.objects.select_related("provincial_agency__unit")
        .filter(national_code=body.procedure_code)
        .first()
    )
    if procedure is None:
        raise InvalidInput(_("No procedure has the code %(code)s.") % {"code": body.procedure_code})
    competent_unit = _current_unit(body.competent_unit_code)
    received = services.receive(
        request.user,
        procedure=procedure,
        receiving_agency=_agency(body.receiving_agency_code),
        applicant=Applicant(**body.applicant.dict()),
        channel=body.channel,
        competent_unit=competent_unit,
        received_at=body.received_at,
        backdate_reason=body.backdate_reason,
        idempotency_key=idempotency_key or "",
    )
    return Status(
        201, detail(received.dossier, request.user, pin=received.pin, calendar=received.calendar)
    )


@router.get(
    "/dossiers",
    response={200: DossierPage, **errors(401, 422)},
    summary="Dossiers the caller may see",
)
def list_dossiers(request: HttpRequest, filters: Query[DossierFilters]) -> DossierPage:
    dossiers = selectors.filter_dossiers(
        request.user, query=filters.q, **filters.dict(exclude={"q", "cursor", "limit"})
    ).select_related("procedure")
    page = keyset_page(dossiers, ("-received_at", "-id"), filters.cursor, filters.limit)
    now = clock.now()
    return DossierPage(
        items=[DossierSummary(**_summary_fields(d, now)) for d in page.items],
        next_cursor=page.next_cursor,
    )


@router.get(
    "/dossiers/{code}",
    response={200: DossierDetail, **errors(401, 404, 422)},
    summary="One dossier with its history and the actions open to the caller",
)
def get_dossier(request: HttpRequest, code: str) -> DossierDetail:
    return detail(selectors.get_dossier(request.user, code), request.user)


@router.post(
    "/dossiers/{code}/actions",
    response={200: DossierDetail, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Take an action on a dossier",
)
def act_on_dossier(
    request: HttpRequest, code: str, body: ActionIn, idempotency_key: str | None = IdempotencyKey
) -> DossierDetail:
    assignee = None
    if body.assignee:
        assignee = User.objects.filter(username=body.assignee, is_active=True).first()
        if assignee is None:
            raise InvalidInput(_("No active officer is named %(name)s.") % {"name": body.assignee})
    dossier = services.act(
        request.user,
        code,
        body.action,
        expected_version=body.expected_version,
        note=body.note,
        target_agency=_agency(body.target_agency_code),
        assignee=assignee,
        new_due_at=body.new_appointment_at,
        idempotency_key=idempotency_key or "",
        document_ids=body.document_ids,
        collected_by=Applicant(name=body.collector_name, id_number=body.collector_id_number),
    )
    return detail(selectors.get_dossier(request.user, dossier.code), request.user)


class PinIn(Schema):
    pin: str = Field(min_length=1, max_length=12, description="the look-up PIN printed on the slip")


@public_router.post(
    "/public/dossiers/{code}/lookup",
    auth=None,
    response={200: PublicDossier, **errors(404, *BODY_ERRORS, 429)},
    summary="A citizen looks up a dossier with its receipt code and PIN",
    description="The PIN goes in the body, never in the address (addresses are logged).",
)
def public_dossier(request: HttpRequest, code: str, body: PinIn) -> PublicDossier:
    dossier = services.look_up(code, body.pin, client_ip(request))
    view = selectors.public_view(dossier)
    return PublicDossier(
        code=dossier.code,
        procedure_name=dossier.procedure.name,
        status=view.status,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        appointment_at=dossier.appointment_at,
        late=view.late,
        waiting_for_you=view.waiting_for_you,
        finished_at=dossier.finished_at,
        outcome=dossier.outcome,
    )


FORM_CODES = tuple(forms.BUILDERS)


def lookup_url(request: HttpRequest, code: str) -> str:
    """Where the slip's QR code leads: the public look-up page, with the code filled in."""
    base = settings.PUBLIC_BASE_URL or request.build_absolute_uri("/").rstrip("/")
    return f"{base}{reverse('portal:dossier_lookup')}?{urlencode({'ma': code})}"


def pdf_response(document: pdf.FormDocument, filename: str) -> HttpResponse:
    response = HttpResponse(pdf.render(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@router.get(
    "/dossiers/{code}/forms/{form}",
    response={**errors(401, 404, 422)},
    summary="A national form of the dossier as PDF (01 to 06)",
    openapi_extra={
        "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}}}
    },
)
def dossier_form(request: HttpRequest, code: str, form: str) -> HttpResponse:
    """The slip printed here never carries the PIN: it was shown once, at intake (``POST
    /dossiers`` answers it), and a slip with a PIN is a reprint with a new one (``.../slip``)."""
    if form not in FORM_CODES:
        raise InvalidInput(_("Forms 01 to 06 belong to a dossier; 07 is the agency's log book."))
    dossier = selectors.get_dossier(request.user, code)
    url = lookup_url(request, dossier.code)
    if form == "01":
        masked = not selectors.sees_personal_data(request.user)
        document = forms.receipt_slip(dossier, url, "", masked=masked)
    else:
        document = forms.BUILDERS[form](dossier, url)
    return pdf_response(document, f"mau-{form}-{dossier.code}.pdf")


@router.post(
    "/dossiers/{code}/slip",
    response={**errors(401, 403, 404, 422)},
    summary="Reprint the receipt slip (form 01) with a new look-up PIN",
    description=(
        "Issues a new PIN (the old one stops working), records the reprint in the audit log and "
        "answers the slip as PDF with the new PIN printed on it. Intake officers of the desk "
        "that received the dossier."
    ),
    openapi_extra={
        "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}}}
    },
)
def reprint_slip(request: HttpRequest, code: str) -> HttpResponse:
    dossier, pin = services.reissue_pin(request.user, code)
    dossier = selectors.get_dossier(request.user, dossier.code)
    masked = not selectors.sees_personal_data(request.user)
    document = forms.receipt_slip(dossier, lookup_url(request, dossier.code), pin, masked=masked)
    return pdf_response(document, f"mau-01-{dossier.code}.pdf")  # no-store: NoStoreMiddleware


class LogBookQuery(Schema):
    since: Day
    until: Day


@router.get(
    "/agencies/{agency_id}/log-book",
    response={**errors(401, 404, 422)},
    summary="Form 07: the log book of the dossiers an agency received, as PDF",
    openapi_extra={
        "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}}}
    },
)
def log_book(request: HttpRequest, agency_id: RecordId, query: Query[LogBookQuery]) -> HttpResponse:
    if query.until < query.since or (query.until - query.since).days > 366:
        raise InvalidInput(_("Choose a period of at most a year, its end after its start."))
    agency = get_agency(request.user, agency_id)
    dossiers = selectors.received_by(request.user, agency, query.since, query.until)
    document = forms.log_book(agency, dossiers, query.since, query.until)
    return pdf_response(document, f"so-theo-doi-{agency.code}-{query.since:%Y%m%d}.pdf")


# --- online submissions ------------------------------------------------------------------------


class SubmissionIn(Schema):
    procedure_code: SingleLine = Field(min_length=1, max_length=40)
    desk_code: SingleLine = Field(
        min_length=1, max_length=40, description="the one-stop desk that will receive it"
    )
    competent_unit_code: SingleLine | None = Field(None, min_length=1, max_length=10)
    applicant: ApplicantIn


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
    procedure = Procedure.objects.filter(national_code=body.procedure_code).first()
    if procedure is None:
        raise InvalidInput(_("No procedure has the code %(code)s.") % {"code": body.procedure_code})
    desk = _agency(body.desk_code)
    unit = None
    if body.competent_unit_code:
        unit = AdministrativeUnit.objects.filter(
            code=body.competent_unit_code, valid_to=None
        ).first()
        if unit is None:
            raise InvalidInput(
                _("No current unit has the code %(code)s.") % {"code": body.competent_unit_code}
            )
    submitted = services.submit_online(
        procedure=procedure,
        desk=desk,
        applicant=Applicant(**body.applicant.dict()),
        competent_unit=unit,
        idempotency_key=idempotency_key or "",
    )
    return Status(201, _submission_out(submitted.submission, pin=submitted.pin))


@public_router.post(
    "/public/submissions/{reference}/lookup",
    auth=None,
    response={200: SubmissionOut, **errors(404, *BODY_ERRORS, 429)},
    summary="A citizen follows an online submission with its reference and PIN",
    description="The PIN goes in the body, never in the address (addresses are logged).",
)
def public_submission(request: HttpRequest, reference: str, body: PinIn) -> SubmissionOut:
    return _submission_out(services.look_up_submission(reference, body.pin, client_ip(request)))


@router.get(
    "/submissions",
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
    response={200: DossierDetail, **errors(401, 403, 404, 409, 422)},
    summary="Accept a complete online submission: it becomes a dossier",
)
def accept(request: HttpRequest, submission_id: RecordId) -> DossierDetail:
    dossier = services.accept_submission(request.user, submission_id)
    return detail(selectors.get_dossier(request.user, dossier.code), request.user)


@router.post(
    "/submissions/{submission_id}/return",
    response={200: SubmissionOut, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Return an incomplete online submission, saying what to complete",
)
def give_back(request: HttpRequest, submission_id: RecordId, body: ReturnIn) -> SubmissionOut:
    return _submission_out(services.return_submission(request.user, submission_id, body.note))


@router.post(
    "/dossiers/{code}/documents",
    response={201: DocumentOut, **errors(401, 403, 404, *BODY_ERRORS)},
    summary="Add a paper to a dossier (PDF, PNG or JPEG, at most 10 MB)",
)
def add_document(
    request: HttpRequest, code: str, file: UploadedFile = UPLOAD, name: SingleLine = DOCUMENT_NAME
) -> Status:
    document = services.attach_document(request.user, code, name, file)
    return Status(201, DocumentOut.of(document))


@router.get(
    "/dossiers/{code}/documents/{document_id}",
    response={**errors(401, 404, 422)},
    summary="One paper of a dossier",
    openapi_extra={"responses": {"200": {"description": "the file"}}},
)
def get_document(request: HttpRequest, code: str, document_id: RecordId) -> FileResponse:
    return paper_response(selectors.document_of(request.user, code, document_id))
