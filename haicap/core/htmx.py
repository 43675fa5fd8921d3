"""Answering htmx: the fragment it asked for, or the whole page when it restores history."""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


def wants_fragment(request: HttpRequest) -> bool:
    """htmx asked for a part of the page (a history restore needs the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def varies_with_htmx(response: HttpResponse) -> HttpResponse:
    """The same address answers a page or a fragment: caches must keep them apart."""
    patch_vary_headers(response, ["HX-Request"])
    return response
