"""The national forms of a dossier and an agency's log book, as PDF."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from haicap.core.api import Day, RecordId, errors
from haicap.core.errors import InvalidInput
from haicap.dossiers import national_forms, selectors, services
from haicap.dossiers.printing import lookup_url, pdf_response
from haicap.units.selectors import get_agency

router = Router()

FORM_CODES = tuple(national_forms.BUILDERS)


@router.get(
    "/dossiers/{code}/forms/{form}",
    operation_id="haicap_dossiers_api_dossier_form",
    response={**errors(401, 404, 422)},
    summary="A national form of the dossier as PDF (01, 02, 04 to 06; tra-loi: a refusal's answer)",
    openapi_extra={
        "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}}}
    },
)
def dossier_form(request: HttpRequest, code: str, form: str) -> HttpResponse:
    """The slip printed here never carries the PIN: it was shown once, at intake (``POST
    /dossiers`` answers it), and a slip with a PIN is a reprint with a new one (``.../slip``)."""
    if form not in FORM_CODES:
        raise InvalidInput(
            _(
                "A dossier has forms 01, 02 and 04 to 06, and tra-loi (the written answer to a "
                "refused dossier); 03 is the desk's refusal to receive; 07 is the log book."
            )
        )
    dossier = selectors.get_dossier(request.user, code)
    url = lookup_url(request, dossier.code)
    if form == "01":
        masked = not selectors.sees_personal_data(request.user)
        document = national_forms.receipt_slip(dossier, url, "", masked=masked)
    else:
        document = national_forms.BUILDERS[form](dossier, url)
    return pdf_response(document, f"mau-{form}-{dossier.code}.pdf")


@router.post(
    "/dossiers/{code}/slip",
    operation_id="haicap_dossiers_api_reprint_slip",
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
    document = national_forms.receipt_slip(
        dossier, lookup_url(request, dossier.code), pin, masked=masked
    )
    return pdf_response(document, f"mau-01-{dossier.code}.pdf")  # no-store: NoStoreMiddleware


class LogBookQuery(Schema):
    since: Day
    until: Day


@router.get(
    "/agencies/{agency_id}/log-book",
    operation_id="haicap_dossiers_api_log_book",
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
    entries = selectors.log_book(request.user, agency, query.since, query.until)
    document = national_forms.log_book(agency, entries, query.since, query.until)
    return pdf_response(document, f"so-theo-doi-{agency.code}-{query.since:%Y%m%d}.pdf")
