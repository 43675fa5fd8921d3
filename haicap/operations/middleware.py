"""Each request's time and outcome, for the metrics (installed only with HAICAP_METRICS_TOKEN)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from haicap.operations.metrics import observe_request


def route_of(request: HttpRequest) -> str:
    """The name of the route that answered: never the path, which may carry codes or PINs."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match._func_path
    if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return "static"  # answered by whitenoise before any route
    return "unresolved"


class RequestMetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        observe_request(
            request.method or "",
            route_of(request),
            response.status_code,
            time.perf_counter() - started,
        )
        return response
