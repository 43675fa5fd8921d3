"""The public site: the procedure catalogue, filing online, following a dossier, and where a
former commune now belongs. Nobody signs in here."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _

from haicap.catalog import selectors as catalog
from haicap.catalog.models import Procedure
from haicap.catalog.paper_forms import PAPER_FORMS
from haicap.core.errors import DomainError, NotFound, Throttled
from haicap.core.htmx import varies_with_htmx, wants_fragment
from haicap.core.middleware import client_ip
from haicap.dossiers import selectors as dossier_selectors
from haicap.dossiers import services
from haicap.dossiers.models import OnlineSubmission
from haicap.dossiers.uploads import MAX_UPLOAD_BYTES
from haicap.portal import filing_tokens, receipts
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


MAX_FILING_BYTES = services.MAX_SUBMISSION_PAPERS * MAX_UPLOAD_BYTES + 1024 * 1024  # + the form


def _declared_size(request: HttpRequest) -> int:
    length = request.META.get("CONTENT_LENGTH") or "0"
    return int(length) if length.isascii() and length.isdigit() else 0


def _too_big_message() -> str:
    return _("The papers together are larger than %(size)s; send smaller scans.") % {
        "size": filesizeformat(MAX_FILING_BYTES)
    }


def file_online(request: HttpRequest, national_code: str) -> HttpResponse:
    """A citizen files a dossier with its papers, then is sent (303) to its confirmation.

    Each POST counts against the address's filing throttle first, whatever it holds. A form
    whose one-time token already filed a submission files nothing and leads to that one's
    confirmation.
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
    too_big = _declared_size(request) > MAX_FILING_BYTES
    try:
        services.count_filing_attempt(client_ip(request))
    except Throttled as refusal:  # what was typed is shown again, unjudged
        typed = {} if too_big else request.POST.dict()
        return _filing_page(request, procedure, typed, refusal.detail, 429)
    if too_big:
        # refused before the body is read, so an oversized upload is never spooled to disk
        fresh = {"filing_token": filing_tokens.issue(national_code)}
        return _filing_page(request, procedure, fresh, _too_big_message(), 413)
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


def filed(request: HttpRequest, reference: str) -> HttpResponse:
    """The confirmation of a filing, for the browser that filed it: the PIN the first time only."""
    if not receipts.may_show(request.session, reference):
        raise NotFound(
            _(
                "This confirmation is shown only in the browser that filed the dossier. "
                "Follow your dossier with its reference and PIN."
            )
        )
    context = {
        "submission": dossier_selectors.filed_submission(reference),
        "pin": receipts.take_pin(request.session, reference),
    }
    # The page shows the PIN: NoStoreMiddleware keeps it out of every cache.
    return render(request, "portal/filed.html", context)


def dossier_lookup(request: HttpRequest) -> HttpResponse:
    """A citizen follows a dossier with the code and PIN of the receipt slip (or its QR code),
    or an online submission with its TT- reference and the PIN shown when it was filed.

    The PIN is sent in the form's body, never in the address, and wrong attempts are throttled.
    """
    dossier, view, submission, error, status = None, None, None, "", 200
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
            except DomainError as failure:
                error, status = failure.detail, failure.status
    else:
        form = DossierLookupForm(initial={"code": request.GET.get("ma", "")[:60]})
    context = {
        "form": form,
        "dossier": dossier,
        "view": view,
        "submission": submission,
        "can_file_again": submission is not None
        and catalog.can_be_filed_online(submission.procedure),
        "error": error,
    }
    return render(request, "portal/dossier_lookup.html", context, status=status)
