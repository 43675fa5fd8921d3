"""The public site: the procedure catalogue, filing online, following a dossier, and where a
former commune now belongs. Nobody signs in here."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.catalog import selectors as catalog
from haicap.catalog.models import Procedure
from haicap.catalog.paper_forms import PAPER_FORMS
from haicap.core.errors import DomainError, NotFound, Throttled
from haicap.core.htmx import varies_with_htmx, wants_fragment
from haicap.core.middleware import client_ip
from haicap.dossiers import selectors as dossier_selectors
from haicap.dossiers import services
from haicap.dossiers.downloads import paper_response
from haicap.dossiers.models import OnlineSubmission
from haicap.feedback import rating_tokens
from haicap.payments import gateway
from haicap.payments import selectors as payment_selectors
from haicap.payments import services as payments
from haicap.portal import fee_views, filing_tokens, opened, receipts
from haicap.portal.forms import DossierLookupForm, OnlineFilingForm, ProcedureFilterForm
from haicap.units import selectors

MAX_LOOKUP_RESULTS = 20
PROCEDURES_PER_PAGE = 20


def home(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:100]
    results = selectors.public_unit_lookup(query, MAX_LOOKUP_RESULTS) if query else []
    response = render(
        request,
        "portal/_lookup_results.html" if wants_fragment(request) else "portal/home.html",
        {"query": query, "results": results},
    )
    varies_with_htmx(response)
    return response


def procedure_list(request: HttpRequest) -> HttpResponse:
    form = ProcedureFilterForm(request.GET or None, fields=catalog.public_fields())
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})  # a bad filter is shown and ignored
    procedures = catalog.public_procedures(
        query=filters.get("q") or "",
        field_code=filters.get("field") or "",
        tier=filters.get("tier") or "",
        online_only=bool(filters.get("online")),
    )
    page = Paginator(procedures, PROCEDURES_PER_PAGE).get_page(request.GET.get("page"))
    template = (
        "portal/_procedure_results.html"
        if wants_fragment(request)
        else "portal/procedure_list.html"
    )
    response = render(request, template, {"form": form, "page": page})
    # The same address gives a fragment to htmx and a page to the browser: cache them apart.
    varies_with_htmx(response)
    return response


def procedure_detail(request: HttpRequest, national_code: str) -> HttpResponse:
    procedure = catalog.public_procedure(national_code)
    context = {
        "procedure": procedure,
        "documents": _documents(procedure),
        "online": catalog.can_be_filed_online(procedure),
    }
    return render(request, "portal/procedure_detail.html", context)


def _documents(procedure: Procedure) -> list[dict]:
    return [
        {
            "name": document.get("name", ""),
            "form": PAPER_FORMS.get(document.get("form", ""), ""),
            "quantity": document.get("quantity", 1),
        }
        for document in procedure.documents
    ]


def file_online(request: HttpRequest, national_code: str) -> HttpResponse:
    """A citizen files a dossier with its papers, then is sent (303) to its confirmation.

    Each POST counts against the address's filing throttle first, whatever it holds. A form
    whose one-time token already filed a submission files nothing and leads to that one's
    confirmation. A body larger than ``settings.REQUEST_BODY_LIMITS`` allows never gets here
    (it is refused unread by ``core.middleware.BodySizeLimitMiddleware``).
    """
    procedure = catalog.public_procedure(national_code)
    if not catalog.can_be_filed_online(procedure):
        raise NotFound(
            _("This procedure cannot be filed online. Bring your papers to a one-stop desk.")
        )
    if request.method != "POST":
        return _filing_page(
            request, procedure, {"filing_token": filing_tokens.issue(national_code)}
        )
    try:
        services.count_filing_attempt(client_ip(request))
    except Throttled as refusal:  # what was typed is shown again, unjudged
        return _filing_page(request, procedure, request.POST.dict(), refusal.detail, 429)
    data = request.POST.copy()
    nonce = filing_tokens.nonce_of(data.get("filing_token", ""), national_code)
    if nonce is None:
        data["filing_token"] = filing_tokens.issue(national_code)
    elif earlier := dossier_selectors.submission_filed_with(nonce):
        return _to_confirmation(earlier)  # sent again (reload, back button, second click)
    form = _filing_form(procedure, data, request.FILES)
    error, status = "", 200
    if form.is_valid() and nonce is None:
        error = _(
            "This form was out of date and nothing was filed. Check it, attach your papers "
            "again and send it."
        )
    elif form.is_valid():
        try:
            submitted = services.submit_online(
                procedure=procedure,
                desk=form.cleaned_data["desk"],
                applicant=form.applicant(),
                competent_unit=form.cleaned_data.get("commune"),
                uploads=form.cleaned_data["papers"],
                filing_token=nonce,
                result_delivery=form.cleaned_data["result_delivery"],
            )
        except services.AlreadyFiled as already:  # the same form, sent twice at once
            return _to_confirmation(already.submission)
        except DomainError as failure:
            error, status = failure.detail, failure.status
        else:
            # A procedure with a fee: its payment is requested with the filing (Decree 118 Art. 24).
            payments.request_fee(submitted.submission)
            receipts.remember(request.session, submitted.submission.reference, submitted.pin)
            return _to_confirmation(submitted.submission)
    return _filing_page(request, procedure, form=form, error=error, status=status)


def _filing_form(procedure: Procedure, *args: object, **kwargs: object) -> OnlineFilingForm:
    desks = selectors.public_desks()
    communes = list(selectors.public_communes()) if procedure.tier == "commune" else []
    return OnlineFilingForm(*args, procedure=procedure, desks=desks, communes=communes, **kwargs)


def _filing_page(
    request: HttpRequest,
    procedure: Procedure,
    initial: dict | None = None,
    error: str = "",
    status: int = 200,
    form: OnlineFilingForm | None = None,
) -> HttpResponse:
    context = {
        "procedure": procedure,
        "documents": _documents(procedure),
        "form": form or _filing_form(procedure, initial=initial),
        "error": error,
    }
    return render(request, "portal/file_online.html", context, status=status)


def _to_confirmation(submission: OnlineSubmission) -> HttpResponse:
    response = HttpResponseRedirect(reverse("portal:filed", args=[submission.reference]))
    response.status_code = 303  # See Other: the browser GETs it, and a reload repeats the GET
    return response


def _filed_here(request: HttpRequest, reference: str) -> OnlineSubmission:
    if not receipts.may_show(request.session, reference):
        raise NotFound(
            _(
                "This confirmation is shown only in the browser that filed the dossier. "
                "Follow your dossier with its reference and PIN."
            )
        )
    return dossier_selectors.filed_submission(reference)


def filed(request: HttpRequest, reference: str, error: str = "", status: int = 200) -> HttpResponse:
    """The confirmation of a filing, for the browser that filed it: the PIN the first time only,
    and the fee to pay online when the procedure has one."""
    submission = _filed_here(request, reference)
    payment = payment_selectors.payment_of_submission(submission)
    if payment is not None:
        receipts.allow_fee(request.session, payment.reference)  # its receipt, once paid
    context = {
        "submission": submission,
        "pin": receipts.take_pin(request.session, reference),
        "payment": payment,
        "payment_error": error,
        "pay_action": reverse("portal:pay", args=[reference]),
    }
    # The page shows the PIN: NoStoreMiddleware keeps it out of every cache.
    return _may_go_to_the_gateway(
        render(request, "portal/filed.html", context, status=status), payment
    )


@require_POST
def pay(request: HttpRequest, reference: str) -> HttpResponse:
    """Send the filer to the payment gateway's page for the filing's fee."""
    submission = _filed_here(request, reference)
    payment = payment_selectors.payment_of_submission(submission)
    if payment is None:
        raise NotFound(_("This filing has no fee to pay."))
    back = request.build_absolute_uri(reverse("portal:filed", args=[reference]))
    callback = request.build_absolute_uri(reverse("payment_confirmation"))
    try:
        pay_url = payments.open_order(payment.reference, back, callback)
    except DomainError as failure:
        return filed(request, reference, failure.detail, failure.status)
    response = HttpResponseRedirect(pay_url)
    response.status_code = 303
    return response


def dossier_lookup(request: HttpRequest) -> HttpResponse:
    """A citizen follows a dossier with the code and PIN of the receipt slip (or its QR code),
    or an online submission with its TT- reference and the PIN shown when it was filed.

    The PIN is sent in the form's body, never in the address, and wrong attempts are throttled.
    """
    dossier, view, submission, payment, error, status = None, None, None, None, "", 200
    back_from_gateway, rating = None, None
    if request.method == "POST":
        form = DossierLookupForm(request.POST)
        if form.is_valid():
            code, pin = form.cleaned_data["code"].strip(), form.cleaned_data["pin"].strip()
            try:
                if form.is_submission():
                    submission = services.look_up_submission(code.upper(), pin, client_ip(request))
                else:
                    dossier = services.look_up(code, pin, client_ip(request))
                    view = dossier_selectors.public_view(dossier)
                    opened.remember(request.session, dossier)
                    # the PIN is proved: once the result is returned, the survey may be offered
                    rating = rating_tokens.offer_for(dossier)
            except DomainError as failure:
                error, status = failure.detail, failure.status
            else:
                payment = payment_selectors.applicant_payment(
                    dossier=dossier, submission=submission
                )
                if payment is not None:
                    # The PIN is proved: this browser may pay the fee and print its receipt.
                    receipts.allow_fee(request.session, payment.reference)
    else:
        form = DossierLookupForm(initial={"code": request.GET.get("ma", "")[:60]})
        back_from_gateway = fee_views.returned(request)
    signed = dossier_selectors.signed_result_for(dossier) if dossier else None
    context = {
        "form": form,
        "dossier": dossier,
        "view": view,
        "submission": submission,
        "can_file_again": submission is not None
        and catalog.can_be_filed_online(submission.procedure),
        "payment": payment,
        "pay_action": reverse("portal:pay_fee", args=[payment.reference]) if payment else "",
        "error": error,
        "back_from_gateway": back_from_gateway,
        "signed_result": signed,
        "signature": dossier_selectors.result_signature(signed) if signed else None,
        "rating": rating,
    }
    return _may_go_to_the_gateway(
        render(request, "portal/dossier_lookup.html", context, status=status), payment
    )


def _may_go_to_the_gateway(response: HttpResponse, payment: object | None) -> HttpResponse:
    """A page with the pay button lets its form lead to the gateway's page: the browser applies
    the Content-Security-Policy's form-action to where the form's answer redirects, and haicap's
    own policy allows only itself."""
    if payment is not None:
        response._csp_update = {"form-action": [gateway.payment_page_origin()]}
    return response


def signed_result(request: HttpRequest, code: str) -> HttpResponse:
    """The electronic result, signed by the agency, for the browser that just opened the
    dossier with its code and PIN (Decree 118/2025 Art. 22); others go to the look-up."""
    dossier = dossier_selectors.dossier_by_code(code)
    if dossier is None or not opened.is_open(request.session, dossier):
        return HttpResponseRedirect(f"{reverse('portal:dossier_lookup')}?{urlencode({'ma': code})}")
    result = dossier_selectors.signed_result_for(dossier)
    if result is None:
        raise Http404()
    return paper_response(result.document)
