"""The metrics Prometheus scrapes from /metrics (prometheus_client).

Two kinds:

- per request (``haicap_http_request_duration_seconds``), measured by
  ``RequestMetricsMiddleware`` in each web process. With several gunicorn workers, set
  ``PROMETHEUS_MULTIPROC_DIR`` (an empty directory, emptied at each start): each process writes
  its figures there and a scrape, answered by any one worker, sums them all. Without it, each
  process counts for itself and a scrape sees the one worker that answered.
- read from the database at each scrape (queue depth, outbox states, overdue dossiers, the
  worker's heartbeat), each from a small index (``haicap.operations.selectors``).
"""

import os
from collections.abc import Iterator

from prometheus_client import REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from haicap.core import clock
from haicap.operations import selectors

REQUEST_SECONDS = Histogram(
    "haicap_http_request_duration_seconds",
    "Time from a request's arrival to its answer, by method, route name and status class.",
    ["method", "route", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """One answered request. Labels are bounded: a route's name, never a path with codes."""
    method = method if method in KNOWN_METHODS else "other"
    REQUEST_SECONDS.labels(method, route, f"{status // 100}xx").observe(seconds)


class DatabaseFigures(Collector):
    """Gauges read from the database at each scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = clock.now()
        yield GaugeMetricFamily(
            "haicap_queue_tasks",
            "Background tasks waiting in the worker's queue (django-q) or taken and unfinished.",
            value=selectors.queued_tasks(),
        )
        outbox = GaugeMetricFamily(
            "haicap_outbox_messages",
            "Outbox messages to the national systems in each state but sent.",
            labels=["status"],
        )
        for status, count in selectors.outbox_counts().items():
            outbox.add_metric([status], count)
        yield outbox
        oldest = selectors.oldest_undelivered()
        yield GaugeMetricFamily(
            "haicap_outbox_oldest_undelivered_seconds",
            "How long the oldest message not yet delivered has waited (0: none waits).",
            value=0 if oldest is None else max(0.0, (now - oldest).total_seconds()),
        )
        yield GaugeMetricFamily(
            "haicap_dossiers_overdue",
            "Running dossiers (not paused, not finished) past their due moment.",
            value=selectors.overdue_dossiers(now),
        )
        beat = selectors.last_heartbeat()
        if beat is not None:
            yield GaugeMetricFamily(
                "haicap_worker_heartbeat_age_seconds",
                "Seconds since a worker last ran its every-minute heartbeat job.",
                value=max(0.0, (now - beat).total_seconds()),
            )


def exposition() -> tuple[bytes, str]:
    """The scrape's body and content type: the requests' figures, then the database's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests = CollectorRegistry()
        MultiProcessCollector(requests)
    else:
        requests = REGISTRY
    figures = CollectorRegistry()
    figures.register(DatabaseFigures())
    return generate_latest(requests) + generate_latest(figures), CONTENT_TYPE_LATEST
