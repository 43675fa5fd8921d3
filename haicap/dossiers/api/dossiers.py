"""``/api/v1/dossiers``: receive, list, read and act on dossiers; the citizen's public look-up."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from haicap.accounts.models import User
from haicap.accounts.selectors import active_officer
from haicap.calendar.selectors import calendar_for
from haicap.calendar.workdays import WorkCalendar
from haicap.catalog.template_names import translated_name
from haicap.core import clock
from haicap.core.api import (
    BODY_ERRORS,
    LocalDateTime,
    MultiLine,
    RecordId,
    SingleLine,
    VietnamDateTime,
    errors,
)
from haicap.core.errors import InvalidInput
from haicap.core.masking import mask_citizen_id
from haicap.core.middleware import client_ip
from haicap.core.pagination import DEFAULT_LIMIT, keyset_page
from haicap.dossiers import selectors, services
from haicap.dossiers.api.inputs import (
    ApplicantIn,
    IdempotencyKey,
    PinIn,
    agency_by_code,
    current_unit,
    procedure_by_code,
)
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.delivery import Choice as ResultChoice
from haicap.dossiers.models import Dossier, DossierDocument
from haicap.dossiers.personal_data import shown_id_number, shown_phone

router = Router()
public_router = Router()  # no credentials: the citizen's look-up


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
    result_delivery: Dossier.Delivery = Field(
        Dossier.Delivery.DESK, description="how the applicant receives the result (form 01)"
    )
    result_sets: int = Field(1, ge=1, le=20, description="number of sets of the dossier")
    authorised_name: SingleLine = Field(
        "", max_length=200, description="a person the applicant authorises to collect the result"
    )
    authorised_id_number: SingleLine = Field(
        "", max_length=20, description="their citizen ID number (12 digits)"
    )


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
    result_delivery: str = Field(description="desk, post or electronic, as form 01 records")
    result_sets: int
    log_number: str | None = Field(description="the desk's log-book number, e.g. 12/2026")
    events: list[EventOut]
    documents: list[DocumentOut]
    allowed_actions: list[ActionOut]


class Created(DossierDetail):
    pin: str = Field(description="the citizen's look-up PIN; printed on the receipt slip")


class DossierPage(Schema):
    items: list[DossierSummary]
    next_cursor: str | None


class DossierFilters(Schema):
    # SingleLine: a control character (a NUL byte, which PostgreSQL refuses in text) is a 422.
    step: SingleLine | None = Field(None, min_length=1, max_length=60)
    agency_code: SingleLine | None = Field(None, min_length=1, max_length=40)
    unit_code: SingleLine | None = Field(None, min_length=1, max_length=10)
    field_code: SingleLine | None = Field(None, min_length=1, max_length=20)
    procedure_code: SingleLine | None = Field(None, min_length=1, max_length=40)
    channel: Dossier.Channel | None = None
    overdue: bool | None = None
    received_from: VietnamDateTime | None = None
    received_to: VietnamDateTime | None = None
    finished_from: VietnamDateTime | None = None
    finished_to: VietnamDateTime | None = None
    q: SingleLine = Field(
        "", max_length=100, description="applicant name, with or without diacritics"
    )
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
    returned_via: Dossier.Delivery = Field(
        Dossier.Delivery.DESK,
        description="return_result: handed over at the desk (the applicant or the person "
        "authorised on form 01), sent by post or delivered electronically",
    )
    tracking_number: SingleLine = Field(
        "", max_length=30, description="return_result by post: the postal item's tracking number"
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
    dossier: Dossier,
    user: User,
    pin: str | None = None,
    calendar: WorkCalendar | None = None,
    documents: list[DossierDocument] | None = None,
) -> DossierDetail | Created:
    """The dossier as the caller sees it. The events and ``documents`` the request has already
    (a write just read or made them) are used as they are, not read again."""
    now = clock.now()
    events = services.history_of(dossier)
    if documents is None:
        documents = list(dossier.documents.select_related("event").order_by("pk"))
    personal = selectors.sees_personal_data(user)
    calendar = calendar or calendar_for(dossier.competent_agency.unit)
    offered = services.open_actions(user, dossier, calendar)
    remaining = None
    if dossier.is_open and not dossier.is_paused:
        remaining = calendar.elapsed(now, dossier.due_at)
    fields = {
        **_summary_fields(dossier, now),
        "applicant_id_number": shown_id_number(dossier.applicant_id_number, personal),
        "applicant_phone": shown_phone(dossier.applicant_phone, personal),
        "version": dossier.version,
        "receiving_agency_code": dossier.receiving_agency.code,
        "competent_agency_code": dossier.competent_agency.code,
        "assignee": dossier.assignee.get_username() if dossier.assignee else None,
        "clock_started_at": dossier.clock_started_at,
        "step_due_at": dossier.step_due_at,
        "appointment_at": dossier.appointment_at,
        "result_delivery": dossier.result_delivery,
        "result_sets": dossier.result_sets,
        "log_number": f"{dossier.log_number}/{dossier.log_year}" if dossier.log_number else None,
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
            for e in events
        ],
        "documents": [DocumentOut.of(d) for d in documents],
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


@router.post(
    "/dossiers",
    operation_id="haicap_dossiers_api_create_dossier",
    response={201: Created, **errors(401, 403, 409, *BODY_ERRORS)},
    summary="Receive a dossier at a one-stop desk",
)
def create_dossier(
    request: HttpRequest, body: DossierIn, idempotency_key: str | None = IdempotencyKey
) -> Status:
    procedure = procedure_by_code(body.procedure_code)
    competent_unit = current_unit(body.competent_unit_code)
    received = services.receive(
        request.user,
        procedure=procedure,
        receiving_agency=agency_by_code(request.user, body.receiving_agency_code),
        applicant=Applicant(**body.applicant.dict()),
        channel=body.channel,
        competent_unit=competent_unit,
        received_at=body.received_at,
        backdate_reason=body.backdate_reason,
        idempotency_key=idempotency_key or "",
        delivery=ResultChoice(
            body.result_delivery,
            body.result_sets,
            body.authorised_name,
            body.authorised_id_number,
        ),
    )
    # A dossier just received has its receipt for history and no papers yet; a retry's dossier
    # (no calendar given back) is read as it stands.
    fresh = received.calendar is not None
    answer = detail(
        received.dossier,
        request.user,
        pin=received.pin,
        calendar=received.calendar,
        documents=[] if fresh else None,
    )
    return Status(201, answer)


@router.get(
    "/dossiers",
    operation_id="haicap_dossiers_api_list_dossiers",
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
    operation_id="haicap_dossiers_api_get_dossier",
    response={200: DossierDetail, **errors(401, 404, 422)},
    summary="One dossier with its history and the actions open to the caller",
)
def get_dossier(request: HttpRequest, code: str) -> DossierDetail:
    return detail(selectors.get_dossier(request.user, code), request.user)


@router.post(
    "/dossiers/{code}/actions",
    operation_id="haicap_dossiers_api_act_on_dossier",
    response={200: DossierDetail, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Take an action on a dossier",
)
def act_on_dossier(
    request: HttpRequest, code: str, body: ActionIn, idempotency_key: str | None = IdempotencyKey
) -> DossierDetail:
    assignee = None
    if body.assignee:
        assignee = active_officer(request.user, username=body.assignee)
        if assignee is None:
            raise InvalidInput(_("No active officer is named %(name)s.") % {"name": body.assignee})
    dossier = services.act(
        request.user,
        code,
        body.action,
        expected_version=body.expected_version,
        note=body.note,
        target_agency=services.transfer_target(
            request.user, code, agency_code=body.target_agency_code
        ),
        assignee=assignee,
        new_due_at=body.new_appointment_at,
        idempotency_key=idempotency_key or "",
        document_ids=body.document_ids,
        collected_by=Applicant(name=body.collector_name, id_number=body.collector_id_number),
        returned_via=body.returned_via,
        tracking_number=body.tracking_number,
    )
    return detail(dossier, request.user)  # as the action left it, with the history it read


@public_router.post(
    "/public/dossiers/{code}/lookup",
    operation_id="haicap_dossiers_api_public_dossier",
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
