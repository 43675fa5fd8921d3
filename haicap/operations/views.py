"""Operational endpoints for the machine's monitors: health, liveness and metrics."""

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from haicap.core import clock
from haicap.core.api import problem_response
from haicap.operations import health, selectors


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, the worker beat recently and the outbox is not late;
    503 otherwise, naming each check (for monitors; a load balancer asks /healthz/live)."""
    now = clock.now()
    if selectors.database_answers():
        facts = health.Facts(
            database=True,
            now=now,
            last_heartbeat=selectors.last_heartbeat(),
            oldest_pending=selectors.oldest_undelivered(),
        )
    else:
        facts = health.Facts(database=False, now=now)
    limits = health.Limits(
        worker_seconds=settings.HEALTH_WORKER_MAX_SECONDS,
        outbox_seconds=settings.HEALTH_OUTBOX_MAX_SECONDS,
    )
    report = health.judge(facts, limits)
    return JsonResponse(report, status=200 if report["status"] == health.OK else 503)


def healthz_live(request: HttpRequest) -> JsonResponse:
    """200 while this process answers at all: it reads nothing, so it costs nothing."""
    return JsonResponse({"status": health.OK})


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus's text format, for a scraper that sends the bearer token; without a token
    configured the address does not exist."""
    expected = settings.METRICS_TOKEN
    if not expected:
        raise Http404
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {expected}".encode()):
        response = problem_response(
            request,
            401,
            "unauthorized",
            _("Authentication required"),
            _("The metrics are given to a scraper that sends their bearer token."),
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    # Imported here: a web worker without metrics never loads the exporter.
    from haicap.operations import metrics as exporter

    body, content_type = exporter.exposition()
    return HttpResponse(body, content_type=content_type)
