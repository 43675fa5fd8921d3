"""Writes of the operations app."""

from haicap.core import clock
from haicap.operations.models import Heartbeat

WORKER = "worker"


def record_heartbeat() -> None:
    """Say that a worker ran a job now (django-q calls this every minute)."""
    Heartbeat.objects.update_or_create(name=WORKER, defaults={"beat_at": clock.now()})
