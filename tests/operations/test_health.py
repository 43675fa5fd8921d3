"""/healthz: the database, the worker's heartbeat and the outbox's age; /healthz/live: nothing."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client

from haicap.core import clock
from haicap.exchange.models import OutboxMessage
from haicap.operations import health
from haicap.operations.models import Heartbeat
from haicap.operations.services import record_heartbeat

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
LIMITS = health.Limits(worker_seconds=300, outbox_seconds=1800)


def ago(**delta: int) -> dt.datetime:
    return NOW - dt.timedelta(**delta)


def test_all_fine_is_ok():
    report = health.judge(health.Facts(True, NOW, ago(seconds=30), ago(seconds=60)), LIMITS)
    assert report["status"] == "ok"
    assert report["checks"]["worker"]["last_heartbeat_seconds_ago"] == 30
    assert report["checks"]["outbox"]["oldest_undelivered_seconds"] == 60


@pytest.mark.parametrize(
    "facts, failing",
    [
        (health.Facts(True, NOW, None, None), "worker"),  # never beat
        (health.Facts(True, NOW, ago(seconds=301), None), "worker"),
        (health.Facts(True, NOW, ago(seconds=10), ago(seconds=1801)), "outbox"),
        (health.Facts(False, NOW), "database"),
    ],
)
def test_one_failing_check_makes_the_whole_unavailable(facts, failing):
    report = health.judge(facts, LIMITS)
    assert report["status"] == "unavailable"
    assert report["checks"][failing]["status"] == "failing"


def test_with_the_database_down_the_other_checks_are_unknown():
    checks = health.judge(health.Facts(False, NOW), LIMITS)["checks"]
    assert checks["worker"]["status"] == checks["outbox"]["status"] == "unknown"


def test_the_limits_themselves_are_still_fine():
    facts = health.Facts(True, NOW, ago(seconds=300), ago(seconds=1800))
    assert health.judge(facts, LIMITS)["status"] == "ok"


@pytest.mark.django_db
def test_healthz_is_503_until_the_worker_has_beaten_then_200():
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {
        "status": "failing",
        "last_heartbeat_seconds_ago": None,
        "limit_seconds": 300,
    }
    record_heartbeat()
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert {name: c["status"] for name, c in response.json()["checks"].items()} == {
        "database": "ok",
        "worker": "ok",
        "outbox": "ok",
    }


@pytest.mark.django_db
def test_healthz_is_503_when_the_heartbeat_is_older_than_the_setting(settings):
    settings.HEALTH_WORKER_MAX_SECONDS = 60
    with clock.fixed_at(clock.now() - dt.timedelta(seconds=120)):
        record_heartbeat()
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["status"] == "failing"
    settings.HEALTH_WORKER_MAX_SECONDS = 600
    assert Client().get("/healthz").status_code == 200


def pending(created_at: dt.datetime, status: str = OutboxMessage.Status.PENDING) -> OutboxMessage:
    return OutboxMessage.objects.create(
        target="dvcqg",
        kind="dossier.received",
        stream=f"stream-{created_at.timestamp()}",
        position=1,
        payload={},
        status=status,
        created_at=created_at,
    )


@pytest.mark.django_db
def test_healthz_is_503_when_an_undelivered_message_waited_too_long():
    record_heartbeat()
    pending(clock.now() - dt.timedelta(minutes=5))
    assert Client().get("/healthz").status_code == 200
    pending(clock.now() - dt.timedelta(hours=1), status=OutboxMessage.Status.SENT)
    assert Client().get("/healthz").status_code == 200  # delivered: not waiting
    pending(clock.now() - dt.timedelta(hours=1))
    response = Client().get("/healthz")
    assert response.status_code == 503
    outbox = response.json()["checks"]["outbox"]
    assert outbox["status"] == "failing" and outbox["oldest_undelivered_seconds"] >= 3600


@pytest.mark.django_db
def test_liveness_answers_without_reading_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/healthz/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_the_worker_beats_when_it_starts():
    call_command("worker", "--once", stdout=io.StringIO())
    beat = Heartbeat.objects.get(name="worker").beat_at
    assert clock.now() - beat < dt.timedelta(minutes=1)
