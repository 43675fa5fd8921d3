"""/metrics: behind a bearer token, request figures by route, gauges read from the database."""

import datetime as dt

import pytest
from django.test import Client
from django_q.models import OrmQ
from prometheus_client.parser import text_string_to_metric_families

from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.dossiers import services
from haicap.dossiers.applicant import Applicant
from haicap.exchange.models import OutboxMessage
from haicap.operations.services import record_heartbeat
from haicap.units.models import Agency

pytestmark = pytest.mark.django_db

TOKEN = "a-test-token-for-the-scraper"
MIDDLEWARE = "haicap.operations.middleware.RequestMetricsMiddleware"


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.MIDDLEWARE = [MIDDLEWARE, *settings.MIDDLEWARE]


def scrape() -> dict[tuple[str, frozenset], float]:
    response = Client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def requests_counted(samples, route: str, status: str, method: str = "GET") -> float:
    labels = frozenset({"method": method, "route": route, "status": status}.items())
    return samples.get(("haicap_http_request_duration_seconds_count", labels), 0.0)


def test_without_a_token_configured_the_address_does_not_exist(settings):
    settings.METRICS_TOKEN = ""
    response = Client().get("/metrics", headers={"Authorization": "Bearer anything"})
    assert response.status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_a_scraper_without_the_token_is_refused(metrics_on, header):
    headers = {"Authorization": header} if header else {}
    response = Client().get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"haicap_" not in response.content


def test_requests_are_counted_by_route_name_and_status_class(metrics_on):
    before = scrape()
    client = Client()
    client.get("/healthz/live")
    client.get("/healthz/live")
    client.get("/tra-cuu-ho-so/no-such-code-040195012345/")  # a code in the path: never a label
    after = scrape()
    assert (
        requests_counted(after, "healthz_live", "2xx")
        - requests_counted(before, "healthz_live", "2xx")
        == 2
    )
    labels = {value for (_name, pairs) in after for _key, value in pairs}
    assert not any("040195012345" in value for value in labels)
    buckets = [
        value
        for (name, pairs), value in after.items()
        if name == "haicap_http_request_duration_seconds_bucket"
        and ("route", "healthz_live") in pairs
    ]
    assert buckets and max(buckets) >= 2


def test_the_gauges_read_the_database(metrics_on, user):
    received_at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM)
    with clock.fixed_at(received_at):
        services.receive(
            user("tiepnhan.doluong"),
            procedure=Procedure.objects.get(national_code="X.HT.007"),
            receiving_agency=Agency.objects.get(code="17662.05.H40"),
            applicant=Applicant(name="Nguyễn Thị Mai", id_number="040195012345", phone=""),
        )
        before = scrape()  # the dossier is not due yet
    now = dt.datetime(2026, 6, 1, 9, 0, tzinfo=VIETNAM)  # long past its due moment
    for position, status in enumerate(["pending", "pending", "held", "dead", "sent"], start=1):
        OutboxMessage.objects.create(
            target="dvcqg",
            kind="dossier.received",
            stream="metrics-test",
            position=position,
            payload={},
            status=status,
            created_at=now - dt.timedelta(minutes=10),
        )
    OrmQ.objects.create(key="haicap", payload="a task waiting for a worker")
    with clock.fixed_at(now):
        record_heartbeat()
        after = scrape()

    def moved(name: str, **labels: str) -> float:
        key = (name, frozenset(labels.items()))
        return after[key] - before.get(key, 0.0)

    assert moved("haicap_outbox_messages", status="pending") == 2
    assert moved("haicap_outbox_messages", status="held") == 1
    assert moved("haicap_outbox_messages", status="dead") == 1
    assert ("haicap_outbox_messages", frozenset({("status", "sent")})) not in after
    assert moved("haicap_dossiers_overdue") == 1
    # the intake's own message, waiting since March, is the oldest
    assert after[("haicap_outbox_oldest_undelivered_seconds", frozenset())] >= 60 * 24 * 3600
    assert after[("haicap_worker_heartbeat_age_seconds", frozenset())] == 0
    assert moved("haicap_queue_tasks") == 1
