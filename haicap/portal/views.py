"""The public site: what haicap is for a citizen, and where a former commune now belongs."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from haicap.core.errors import DomainError
from haicap.core.middleware import client_ip
from haicap.dossiers import selectors as dossier_selectors
from haicap.dossiers import services
from haicap.portal.forms import DossierLookupForm
from haicap.units import selectors

MAX_LOOKUP_RESULTS = 20


def home(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:100]
    results = selectors.public_unit_lookup(query, MAX_LOOKUP_RESULTS) if query else []
    return render(
        request,
        "portal/_lookup_results.html" if request.htmx else "portal/home.html",
        {"query": query, "results": results},
    )


def dossier_lookup(request: HttpRequest) -> HttpResponse:
    """A citizen follows a dossier with the code and PIN of the receipt slip (or its QR code).

    The PIN is sent in the form's body, never in the address, and wrong attempts are throttled.
    """
    dossier, view, error, status = None, None, "", 200
    if request.method == "POST":
        form = DossierLookupForm(request.POST)
        if form.is_valid():
            try:
                dossier = services.look_up(
                    form.cleaned_data["code"].strip(),
                    form.cleaned_data["pin"].strip(),
                    client_ip(request),
                )
                view = dossier_selectors.public_view(dossier)
            except DomainError as failure:
                error, status = failure.detail, failure.status
    else:
        form = DossierLookupForm(initial={"code": request.GET.get("ma", "")[:60]})
    context = {
        "form": form,
        "dossier": dossier,
        "view": view,
        "error": error,
    }
    return render(request, "portal/dossier_lookup.html", context, status=status)
