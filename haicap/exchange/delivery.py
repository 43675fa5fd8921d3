"""The delivery loop: outbox messages go to their target once each, in order per dossier.

How it stays correct when workers crash or run side by side:

- **Claim with a lease.** A worker takes due messages in a short transaction
  (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's write lock serialises the same
  transaction) and stamps them ``leased_until``. Nobody else takes a leased message; a killed
  worker's lease runs out and the message is taken again. The lease value is the worker's
  token: an outcome is written only while the row still carries it.
- **Only the head of a stream.** A message is taken only when every earlier position of its
  (target, stream) is sent, so one dossier has at most one message in flight, and a message
  never overtakes a pending, held or dead one.
- **Never twice at once.** A lease outlives the longest send (lease ≥ 2 × timeout), and a
  message is sent at once after its claim, so a lease cannot run out while its send is
  still on the wire. A retry after a crash may repeat a send that did reach the receiver:
  the idempotency key makes the receiver apply it once.
- **Failures.** A transient failure waits (``backoff.delay``) and is tried again, up to
  ``max_attempts`` attempts, then the message is dead; a permanent one is dead at once with
  the receiver's explanation. A message whose codes have no national mapping is held (not an
  attempt) until the mapping exists.

Sending happens in a thread pool (network only: the threads never touch the database); the
main thread claims, prepares and records.
"""

import datetime as dt
import importlib
import logging
import os
import random
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext as _

from haicap.core import clock
from haicap.exchange import backoff
from haicap.exchange.connector import (
    Ack,
    Connector,
    Outcome,
    Outgoing,
    PermanentFailure,
    TransientFailure,
)
from haicap.exchange.models import OutboxMessage
from haicap.exchange.wire import event_at

log = logging.getLogger(__name__)
Status = OutboxMessage.Status


@dataclass(frozen=True)
class DeliveryConfig:
    max_attempts: int = 8  # attempts before a message is dead
    lease_seconds: float = 60.0
    backoff_base: float = 30.0  # seconds after the first failure (then doubling, jittered)
    backoff_cap: float = 3600.0
    concurrency: int = 8  # sends in flight per worker (one per dossier at most)
    poll_seconds: float = 2.0  # how often an idle loop looks for new messages
    send_timeout: float = 10.0  # the connector's own network timeout, to size the lease

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.concurrency < 1:
            raise ValueError("max_attempts and concurrency must be at least 1")
        if self.lease_seconds < 2 * self.send_timeout:
            raise ValueError("the lease must last at least twice the send timeout")


def _setting(name: str, default: float) -> float:
    from django.conf import settings

    return float(getattr(settings, name, os.environ.get(name, default)))


def config_from_settings(**overrides: Any) -> DeliveryConfig:
    """The delivery settings (``HAICAP_OUTBOX_*``, from settings.py or the environment)."""
    timeout = _setting("HAICAP_NATIONAL_PORTAL_TIMEOUT", 10)
    values: dict[str, Any] = {
        "max_attempts": int(_setting("HAICAP_OUTBOX_MAX_ATTEMPTS", 8)),
        "lease_seconds": max(_setting("HAICAP_OUTBOX_LEASE_SECONDS", 60), 2 * timeout),
        "backoff_base": _setting("HAICAP_OUTBOX_BACKOFF_BASE_SECONDS", 30),
        "backoff_cap": _setting("HAICAP_OUTBOX_BACKOFF_CAP_SECONDS", 3600),
        "concurrency": int(_setting("HAICAP_OUTBOX_CONCURRENCY", 8)),
        "send_timeout": timeout,
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return DeliveryConfig(**values)


@dataclass
class DeliveryReport:
    sent: int = 0
    duplicates: int = 0  # acknowledged as already applied: a retry of a lost answer
    retried: int = 0  # transient failures, to be tried again later
    dead: int = 0
    held: int = 0
    lost_leases: int = 0  # outcomes not recorded: the lease had run out (see the log)
    reasons: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return (
            f"sent {self.sent} ({self.duplicates} already there), retry later {self.retried}, "
            f"dead {self.dead}, held {self.held}, lost leases {self.lost_leases}"
        )


# --- the preparation hook (code mappings) --------------------------------------------------


def _batch_preparer() -> Callable[[list[OutboxMessage]], list[Any]]:
    """``haicap.exchange.mapping.prepare_all`` when the mapping module exists; else the
    payloads as they are."""
    try:
        mapping = importlib.import_module("haicap.exchange.mapping")
    except ModuleNotFoundError as missing:
        if missing.name != "haicap.exchange.mapping":
            raise
        return lambda messages: [message.payload for message in messages]
    return mapping.prepare_all


def prepare_all(messages: list[OutboxMessage]) -> list[dict[str, Any] | Exception]:
    """Each payload as the target must receive it (national codes), or the error that kept it
    from being prepared, in order: the code mappings are read once for the whole batch."""
    if not messages:
        return []
    try:
        return _batch_preparer()(messages)
    except Exception:  # a bug or bad data in one message: find which, one at a time
        log.exception("preparing a batch of %s failed; preparing one by one", len(messages))
        return [_prepare_one(message) for message in messages]


def _prepare_one(message: OutboxMessage) -> dict[str, Any] | Exception:
    try:
        return _batch_preparer()([message])[0]
    except Exception as error:
        return error


def prepare(message: OutboxMessage) -> dict[str, Any]:
    """The payload as the target must receive it (national codes)."""
    prepared = prepare_all([message])[0]
    if isinstance(prepared, Exception):
        raise prepared
    return prepared


def _is_unmapped(error: BaseException) -> bool:
    return any(cls.__name__ == "Unmapped" for cls in type(error).__mro__)


# --- claiming --------------------------------------------------------------------------------


def claim(target: str, limit: int, *, lease_seconds: float) -> list[OutboxMessage]:
    """Lease up to ``limit`` due messages of ``target`` that head their stream."""
    now = clock.now()
    lease = now + dt.timedelta(seconds=lease_seconds)
    earlier_unsent = OutboxMessage.objects.filter(
        target=OuterRef("target"), stream=OuterRef("stream"), position__lt=OuterRef("position")
    ).exclude(status=Status.SENT)
    heads = (
        OutboxMessage.objects.select_for_update(skip_locked=True)
        .filter(target=target, status=Status.PENDING)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lte=now))
        .filter(~Exists(earlier_unsent))
    )
    with transaction.atomic():
        # Two reads, each a range of the partial index of pending messages, so a claim never
        # walks past the sent ones: retries that are due, oldest due first; then messages
        # never tried, in the index's order (about the order they were written; the order
        # that matters, within a stream, is kept by the head rule above).
        messages = list(heads.filter(next_attempt_at__lte=now).order_by("next_attempt_at")[:limit])
        if len(messages) < limit:
            fresh = heads.filter(next_attempt_at__isnull=True).order_by()
            messages += list(fresh[: limit - len(messages)])
        if messages:
            OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(leased_until=lease)
    for message in messages:
        message.leased_until = lease
    return messages


def _settle(message: OutboxMessage, **changes: Any) -> bool:
    """Write an outcome if the message still carries this worker's lease."""
    updated = OutboxMessage.objects.filter(
        pk=message.pk, status=Status.PENDING, leased_until=message.leased_until
    ).update(**changes)
    if not updated:
        log.warning("lease lost before recording %s (id %s)", message, message.pk)
    return bool(updated)


# --- recording outcomes --------------------------------------------------------------------


def hold(message: OutboxMessage, reason: str) -> bool:
    """A code has no mapping yet: the message waits (not an attempt) with the reason."""
    return _settle(message, status=Status.HELD, last_error=reason, leased_until=None)


def record_failure(
    message: OutboxMessage,
    outcome: TransientFailure | PermanentFailure,
    config: DeliveryConfig,
    rand: Callable[[], float] = random.random,
) -> str:
    """Count the attempt; schedule the next one or give up. Returns the new status."""
    now = clock.now()
    attempts = message.attempts + 1
    changes: dict[str, Any] = {
        "attempts": attempts,
        "last_attempt_at": now,
        "last_error": outcome.reason,
        "leased_until": None,
    }
    if isinstance(outcome, PermanentFailure) or attempts >= config.max_attempts:
        if isinstance(outcome, TransientFailure):
            changes["last_error"] = _("Gave up after %(attempts)s attempts. Last: %(reason)s") % {
                "attempts": attempts,
                "reason": outcome.reason,
            }
        changes.update(status=Status.DEAD, next_attempt_at=None)
    else:
        wait_for = backoff.delay(
            attempts, base=config.backoff_base, cap=config.backoff_cap, rand=rand
        )
        wait_for = max(wait_for, outcome.retry_after or 0)
        changes["next_attempt_at"] = now + dt.timedelta(seconds=wait_for)
    if not _settle(message, **changes):
        return "lost"
    if changes.get("status") == Status.DEAD:
        log.warning("gave up on %s (id %s): %s", message, message.pk, changes["last_error"])
        return Status.DEAD
    # The rest of the dossier cannot go before this message: claims skip it until then rather
    # than read it, and find it blocked, in every claim meanwhile.
    retry_at = changes["next_attempt_at"]
    OutboxMessage.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lt=retry_at),
        target=message.target,
        stream=message.stream,
        position__gt=message.position,
        status=Status.PENDING,
    ).update(next_attempt_at=retry_at)
    return Status.PENDING


def record_sent(messages: list[OutboxMessage]) -> int:
    """Mark acknowledged messages sent (those whose lease still holds); returns how many."""
    now = clock.now()
    by_lease: dict[dt.datetime, list[int]] = defaultdict(list)
    for message in messages:
        by_lease[message.leased_until].append(message.pk)
    recorded = 0
    with transaction.atomic():
        for lease, ids in by_lease.items():
            recorded += OutboxMessage.objects.filter(
                pk__in=ids, status=Status.PENDING, leased_until=lease
            ).update(
                status=Status.SENT,
                sent_at=now,
                attempts=F("attempts") + 1,
                last_attempt_at=now,
                leased_until=None,
                next_attempt_at=None,
            )
    if recorded != len(messages):
        log.warning("%s acknowledged messages had lost their lease", len(messages) - recorded)
    return recorded


# --- the loop --------------------------------------------------------------------------------


def _outgoing(message: OutboxMessage, payload: dict[str, Any]) -> Outgoing:
    return Outgoing(
        idempotency_key=str(message.idempotency_key),
        kind=message.kind,
        stream=message.stream,
        position=message.position,
        at=event_at(message.payload),
        payload=payload,
    )


class _Loop:
    """One run of delivery for one target; see ``deliver``."""

    def __init__(
        self,
        target: str,
        connector: Connector,
        config: DeliveryConfig,
        rand: Callable[[], float],
    ) -> None:
        self.target = target
        self.connector = connector
        self.config = config
        self.rand = rand
        self.report = DeliveryReport()
        self.in_flight: dict[Future[Outcome], OutboxMessage] = {}

    def fill(self, pool: ThreadPoolExecutor) -> int:
        """Claim as many messages as there are free slots and start sending them."""
        free = self.config.concurrency - len(self.in_flight)
        # Refill in chunks rather than one message per completed send: fewer claim queries.
        if free <= 0 or len(self.in_flight) > self.config.concurrency // 2:
            return 0
        claimed = claim(self.target, free, lease_seconds=self.config.lease_seconds)
        for message, payload in zip(claimed, prepare_all(claimed), strict=True):
            if isinstance(payload, Exception):
                error = payload
                if _is_unmapped(error):
                    self.report.held += int(hold(message, str(error)))
                else:  # a bug or bad data in preparation: an attempt, so it ends dead, not looping
                    log.error("preparing %s failed: %r", message, error)
                    self._failed(message, TransientFailure(str(error) or repr(error)))
                continue
            self.in_flight[pool.submit(self.connector.send, _outgoing(message, payload))] = message
        return len(claimed)

    def _failed(self, message: OutboxMessage, outcome: TransientFailure | PermanentFailure):
        status = record_failure(message, outcome, self.config, self.rand)
        if status == "lost":
            self.report.lost_leases += 1
        elif status == Status.DEAD:
            self.report.dead += 1
        else:
            self.report.retried += 1
        key = outcome.reason[:80]
        self.report.reasons[key] = self.report.reasons.get(key, 0) + 1

    def collect(self, timeout: float) -> None:
        """Wait for at least one send to finish (or ``timeout``) and record what finished."""
        done, _pending = wait(self.in_flight, timeout=timeout, return_when=FIRST_COMPLETED)
        acked: list[OutboxMessage] = []
        for future in done:
            message = self.in_flight.pop(future)
            try:
                outcome = future.result()
            except Exception as error:  # a connector must not raise; if it does, retry later
                log.exception("sending %s raised", message)
                outcome = TransientFailure(str(error) or repr(error))
            if isinstance(outcome, Ack):
                acked.append(message)
                self.report.duplicates += int(outcome.duplicate)
            else:
                self._failed(message, outcome)
        if acked:
            recorded = record_sent(acked)
            self.report.sent += recorded
            self.report.lost_leases += len(acked) - recorded


def deliver(
    target: str,
    connector: Connector,
    config: DeliveryConfig | None = None,
    *,
    until_idle: bool = True,
    should_stop: Callable[[], bool] = lambda: False,
    rand: Callable[[], float] = random.random,
) -> DeliveryReport:
    """Send ``target``'s due messages.

    With ``until_idle`` the run ends when nothing is due and nothing is in flight; otherwise it
    keeps polling until ``should_stop()``. Either way it stops claiming once ``should_stop()``
    and returns after recording what is in flight.
    """
    config = config or config_from_settings()
    config = replace(config, send_timeout=getattr(connector, "timeout", config.send_timeout))
    loop = _Loop(target, connector, config, rand)
    with ThreadPoolExecutor(config.concurrency, thread_name_prefix=f"deliver-{target}") as pool:
        while True:
            if not should_stop():
                loop.fill(pool)
            if not loop.in_flight:
                if until_idle or should_stop():
                    break
                _sleep(config.poll_seconds, should_stop)
                continue
            loop.collect(timeout=config.poll_seconds)
    return loop.report


def _sleep(seconds: float, should_stop: Callable[[], bool]) -> None:
    """Sleep, waking early when asked to stop."""
    end = time.monotonic() + seconds
    while not should_stop() and time.monotonic() < end:
        time.sleep(min(0.2, end - time.monotonic()))


# --- the worker's schedule -------------------------------------------------------------------


def targets() -> list[str]:
    """The systems the worker delivers to."""
    from haicap.exchange.messages import NATIONAL_PORTAL

    return [NATIONAL_PORTAL]


def release_held(target: str) -> int:
    """Give held messages whose mapping now exists back to the queue (when mapping exists)."""
    try:
        mapping = importlib.import_module("haicap.exchange.mapping")
    except ModuleNotFoundError:
        return 0
    release = getattr(mapping, "release_held", None)
    return release(target) if release else 0


def run_scheduled(seconds: float = 55.0) -> str:
    """The worker's delivery task: deliver to every target for about ``seconds``, then return.

    Scheduled every minute; when a run overlaps the next one, the leases keep them apart.
    """
    from haicap.exchange.connector import connector_for

    reports = []
    share = seconds / len(targets())
    for target in targets():
        end = time.monotonic() + share
        released = release_held(target)
        report = deliver(
            target,
            connector_for(target),
            until_idle=False,
            should_stop=lambda end=end: time.monotonic() >= end,
        )
        reports.append(f"{target}: {report}, released from hold {released}")
    return "; ".join(reports)
