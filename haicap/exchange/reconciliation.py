"""The daily reconciliation: per target and day, what haicap sent against what the target
holds; every difference listed, and what the target is missing sent again.

Sending again is safe: every message carries its idempotency key, so a receiver that already
applied it only acknowledges it again.
"""

import datetime as dt
from collections.abc import Callable

from django.db import transaction

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.exchange.comparison import Entry, compare
from haicap.exchange.models import OutboxMessage, Reconciliation

FetchRemote = Callable[[str, dt.date], list[Entry]]


def event_day(message: OutboxMessage) -> dt.date | None:
    """The Vietnam day of the event a message reports (the day both sides file it under)."""
    at = (message.payload.get("event") or {}).get("at")
    return dt.datetime.fromisoformat(at).astimezone(VIETNAM).date() if at else None


def messages_of_day(target: str, day: dt.date) -> list[OutboxMessage]:
    """The messages whose event happened on ``day``; written with their event, so a window of
    a day either side of it holds them all."""
    start = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(0), tzinfo=VIETNAM)
    end = dt.datetime.combine(day + dt.timedelta(days=2), dt.time(0), tzinfo=VIETNAM)
    window = OutboxMessage.objects.filter(
        target=target, created_at__gte=start, created_at__lt=end
    ).only("pk", "stream", "position", "kind", "payload", "status")
    return [m for m in window.iterator(chunk_size=2000) if event_day(m) == day]


def reconcile(target: str, day: dt.date, fetch_remote: FetchRemote) -> Reconciliation:
    """Compare one day; re-queue what the target is missing; keep the result."""
    local = messages_of_day(target, day)
    entries = {(m.stream, m.position, m.kind): m for m in local}
    now = clock.now()
    try:
        remote = fetch_remote(target, day)
    except OSError as error:  # the target cannot be reached: say so, change nothing
        with transaction.atomic():
            return Reconciliation.objects.create(
                target=target,
                day=day,
                ran_at=now,
                local_count=len(entries),
                remote_count=None,
                local_digest=compare(entries, []).local_digest,
                error=str(error) or error.__class__.__name__,
            )
    result = compare(entries, remote)
    with transaction.atomic():
        resend = [
            entries[entry].pk
            for entry in result.missing
            if entries[entry].status == OutboxMessage.Status.SENT
        ]
        # Sent but not there: the acknowledgement lied or the receiver lost it. Send again.
        OutboxMessage.objects.filter(pk__in=resend).update(
            status=OutboxMessage.Status.PENDING, next_attempt_at=now, leased_until=None
        )
        return Reconciliation.objects.create(
            target=target,
            day=day,
            ran_at=now,
            local_count=len(entries),
            remote_count=len(set(remote)),
            local_digest=result.local_digest,
            remote_digest=result.remote_digest,
            differences=[
                *({"entry": list(e), "side": "missing_there"} for e in result.missing),
                *({"entry": list(e), "side": "only_there"} for e in result.extra),
            ],
            resent=len(resend),
        )
