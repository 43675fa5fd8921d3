"""``/api/v1/national/dossiers`` (the national portal's signed webhook) and
``/api/v1/businesses/{code}`` (the business register, for signed-in staff)."""

import json
from typing import Literal

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Schema
from ninja.responses import Status

from haicap.core import clock
from haicap.core.api import BODY_ERRORS, LocalDateTime, errors
from haicap.core.errors import BodyTooLarge, Conflict, DomainError, InvalidInput
from haicap.exchange.inbound import business, parsing
from haicap.exchange.inbound.http import number_setting, setting
from haicap.exchange.inbound.services import receive_filing
from haicap.exchange.models import InboundDossier

router = Router()

FILING_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": [
                    "national_id",
                    "procedure_code",
                    "agency_code",
                    "applicant",
                    "submitted_at",
                ],
                "properties": {
                    "national_id": {"type": "string", "maxLength": 80},
                    "procedure_code": {"type": "string", "description": "national code"},
                    "agency_code": {"type": "string", "description": "the receiving desk"},
                    "unit_code": {"type": "string", "description": "commune, if needed"},
                    "applicant": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {
                            key: {"type": "string"}
                            for key in (
                                "name",
                                "id_number",
                                "phone",
                                "email",
                                "address",
                                "business_code",
                            )
                        },
                    },
                    "submitted_at": {"type": "string", "format": "date-time"},
                    "documents": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"name": {"type": "string"}, "url": {"type": "string"}},
                        },
                    },
                },
            }
        }
    },
}


class WebhookNotConfigured(DomainError):
    code = "not_configured"
    status = 503
    title = gettext_lazy("Receiving from the national portal is not configured")


class BadSignature(DomainError):
    code = "bad_signature"
    status = 401
    title = gettext_lazy("The delivery is not signed by the national portal")


class FilingRefused(InvalidInput):
    code = "filing_refused"
    title = gettext_lazy("The filing cannot be received")


class FilingHeld(Conflict):
    code = "filing_held"
    title = gettext_lazy("A filing with this national id was already received with other content")


class FilingOut(Schema):
    national_id: str
    status: str
    dossier_code: str | None
    received_at: LocalDateTime | None
    due_at: LocalDateTime | None


class BusinessOut(Schema):
    enterprise_code: str
    name: str
    address: str
    representative: str
    status: str
    fetched_at: LocalDateTime
    stale: bool
    source: Literal["live", "cache"]
    note: str | None


def _signed_body(request: HttpRequest) -> bytes:
    """The raw body, once it is shown to come from the portal, recently."""
    secret = setting("HAICAP_NATIONAL_WEBHOOK_SECRET")
    if not secret:
        raise WebhookNotConfigured(
            _("No shared secret with the national portal is set (HAICAP_NATIONAL_WEBHOOK_SECRET).")
        )
    try:
        body = request.body
    except RequestDataTooBig as error:
        raise BodyTooLarge() from error
    try:
        parsing.check_signature(
            secret.encode("utf-8"),
            request.headers.get("X-Signature"),
            request.headers.get("X-Timestamp"),
            body,
            clock.now(),
            int(number_setting("HAICAP_NATIONAL_WEBHOOK_WINDOW_SECONDS", 300)),
        )
    except parsing.SignatureRejected as error:
        raise BadSignature(f"{BadSignature.title}: {error}.") from error
    return body


def _filing_out(record: InboundDossier) -> FilingOut:
    dossier = record.dossier
    return FilingOut(
        national_id=record.national_id,
        status=record.status,
        dossier_code=dossier.code if dossier else None,
        received_at=dossier.received_at if dossier else None,
        due_at=dossier.due_at if dossier else None,
    )


@router.post(
    "/national/dossiers",
    auth=None,
    tags=["national portal"],
    response={200: FilingOut, 201: FilingOut, **errors(401, 409, *BODY_ERRORS, 503)},
    summary="The national portal delivers a dossier filed there (signed webhook)",
    description=(
        "Signed with HMAC-SHA256 over `X-Timestamp + '.' + body` with the shared secret: "
        "`X-Signature: sha256=<hex>`, `X-Timestamp: <Unix seconds>` (±5 minutes). Received "
        "once per `national_id`: 201 the first time, 200 with the same body after. A refused "
        "filing is 422 `filing_refused`, every time it is sent. The same national id sent again "
        "with other content is 409 `filing_held`: kept for an operator, never merged."
    ),
    openapi_extra={"requestBody": FILING_BODY},
)
def national_dossier(request: HttpRequest) -> Status:
    body = _signed_body(request)
    try:
        message = json.loads(body)
    except ValueError as error:
        raise InvalidInput(_("The body is not JSON.")) from error
    outcome = receive_filing(message)
    if outcome.held is not None:
        raise FilingHeld(
            _(
                "The national id %(id)s was received before with other content; this delivery "
                "is held for an operator and was not merged."
            )
            % {"id": outcome.record.national_id}
        )
    if not outcome.received:
        raise FilingRefused(outcome.record.reason)
    return Status(201 if outcome.first_time else 200, _filing_out(outcome.record))


@router.get(
    "/businesses/{enterprise_code}",
    tags=["businesses"],
    response={200: BusinessOut, **errors(401, 403, 404, 422, 503)},
    summary="An enterprise as the national business register says (or last said)",
    description=(
        "`source` is `live` when the register was asked now, `cache` for a kept copy; "
        "`stale` is true when the register could not be reached and the copy may be out of "
        "date (`note` says since when). 503 when it cannot be reached and no copy is kept."
    ),
)
def business_record(request: HttpRequest, enterprise_code: str) -> BusinessOut:
    found = business.look_up_business(request.user, enterprise_code)
    record = found.record
    return BusinessOut(
        enterprise_code=record.enterprise_code,
        name=record.name,
        address=record.address,
        representative=record.representative,
        status=record.status,
        fetched_at=record.fetched_at,
        stale=found.stale,
        source=found.source,
        note=found.note or None,
    )
