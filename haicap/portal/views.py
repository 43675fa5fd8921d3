"""The public site: what haicap is for a citizen, and where a former commune now belongs."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
