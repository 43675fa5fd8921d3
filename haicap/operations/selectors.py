"""Reads for the machine's monitors (/healthz, /metrics): figures only, never a record.

They take no user: the health check is public and says nothing about anybody, and the metrics
are behind their own token. Every count here reads a small index, never the whole of a table
that grows for years (see each function).
"""

import datetime as dt

from django.db import DatabaseError, connection
from django.db.models import Count, Min
from django_q.models import OrmQ

from haicap.dossiers.models import Dossier
from haicap.exchange.models import OutboxMessage
from haicap.operations.models import Heartbeat
from haicap.operations.services import WORKER

# The outbox's states counted for the metrics. Sent messages are left out: they only grow (one
# or more per dossier, for years), and counting them would read their whole index each scrape.
COUNTED_OUTBOX_STATES = (
    OutboxMessage.Status.PENDING,
    OutboxMessage.Status.HELD,
    OutboxMessage.Status.DEAD,
)


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def last_heartbeat() -> dt.datetime | None:
    beat = Heartbeat.objects.filter(name=WORKER).values_list("beat_at", flat=True).first()
    return beat


def oldest_undelivered() -> dt.datetime | None:
    """When the oldest message still waiting to be sent was written (the status index finds the
    few pending ones)."""
    found = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).aggregate(
        oldest=Min("created_at")
    )
    return found["oldest"]


def outbox_counts() -> dict[str, int]:
    """Messages in each state but "sent" (read from the status index)."""
    rows = (
        OutboxMessage.objects.filter(status__in=COUNTED_OUTBOX_STATES)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(COUNTED_OUTBOX_STATES, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return {str(state): n for state, n in counts.items()}


def queued_tasks() -> int:
    """Tasks waiting in django-q's database queue (or taken and not yet acknowledged)."""
    return OrmQ.objects.count()


def overdue_dossiers(now: dt.datetime) -> int:
    """Running dossiers past their due moment, counted from the partial index of running
    dossiers by due moment (``dossier_running_by_due``), not from the table."""
    return Dossier.objects.filter(
        finished_at__isnull=True, paused_at__isnull=True, due_at__lt=now
    ).count()
