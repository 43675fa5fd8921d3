"""The delivery loop against a scripted receiver: order per dossier, backoff, dead letters,
held messages, leases that run out, and several workers at once."""

import datetime as dt
import random
import threading
import time
from collections import Counter, defaultdict

import pytest
from django.db import connection, connections

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.exchange import delivery
from haicap.exchange.connector import (
    Ack,
    Connector,
    Outcome,
    Outgoing,
    PermanentFailure,
    TransientFailure,
)
from haicap.exchange.delivery import DeliveryConfig, claim, deliver, record_sent
from haicap.exchange.messages import NATIONAL_PORTAL
from haicap.exchange.models import OutboxMessage

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM)
FAST = DeliveryConfig(
    max_attempts=4, lease_seconds=60, backoff_base=10, backoff_cap=100, send_timeout=1
)


class Receiver(Connector):
    """Answers from a script: ``script[(stream, position)]`` is a list of outcomes, one per
    attempt (the last repeats); unscripted messages are acknowledged."""

    target = NATIONAL_PORTAL
    timeout = 1

    def __init__(self, script=None, pause: float = 0.0) -> None:
        self.script = {k: list(v) for k, v in (script or {}).items()}
        self.pause = pause
        self.log: list[tuple[str, int]] = []
        self.keys: list[str] = []
        self._lock = threading.Lock()

    def send(self, message: Outgoing) -> Outcome:
        with self._lock:
            self.log.append((message.stream, message.position))
            self.keys.append(message.idempotency_key)
            answers = self.script.get((message.stream, message.position), [Ack()])
            outcome = answers.pop(0) if len(answers) > 1 else answers[0]
        if self.pause:
            time.sleep(self.pause)
        return outcome

    def messages(self, day):
        raise NotImplementedError

    def summary(self, day):
        raise NotImplementedError

    def order_of(self, stream: str) -> list[int]:
        return [position for s, position in self.log if s == stream]


def outbox(stream: str, *positions: int, at: dt.datetime = T0) -> list[OutboxMessage]:
    return [
        OutboxMessage.objects.create(
            target=NATIONAL_PORTAL,
            kind="dossier.receive" if p == 1 else "dossier.forward",
            stream=stream,
            position=p,
            payload={"dossier_code": stream, "event": {"seq": p, "at": at.isoformat()}},
            created_at=at,
        )
        for p in positions
    ]


def status_of(stream: str) -> dict[int, str]:
    return dict(OutboxMessage.objects.filter(stream=stream).values_list("position", "status"))


@pytest.fixture
def as_is(monkeypatch):
    """Payloads go out unchanged (these tests are not about code mappings)."""
    monkeypatch.setattr(delivery, "prepare_all", lambda messages: [m.payload for m in messages])


def run(receiver: Receiver, at: dt.datetime, config: DeliveryConfig = FAST):
    with clock.fixed_at(at):
        return deliver(NATIONAL_PORTAL, receiver, config, rand=lambda: 0.0)


@pytest.mark.django_db
@pytest.mark.usefixtures("as_is")
def test_a_dossier_waits_for_its_earlier_message_the_others_do_not():
    outbox("A", 1, 2, 3)
    outbox("B", 1, 2)
    receiver = Receiver({("A", 1): [TransientFailure("busy"), Ack()]})
    report = run(receiver, T0)
    assert (report.sent, report.retried) == (2, 1)
    assert status_of("A") == {1: "pending", 2: "pending", 3: "pending"}
    assert status_of("B") == {1: "sent", 2: "sent"}
    assert receiver.order_of("A") == [1]  # 2 and 3 never overtook 1
    first = OutboxMessage.objects.get(stream="A", position=1)
    assert first.attempts == 1 and first.last_error == "busy"
    assert first.next_attempt_at == T0 + dt.timedelta(seconds=5)  # half of 10 s, no jitter
    # the rest of the dossier waits as long (claims pass over it meanwhile)
    assert set(
        OutboxMessage.objects.filter(stream="A", position__gt=1).values_list(
            "next_attempt_at", flat=True
        )
    ) == {first.next_attempt_at}

    assert run(receiver, T0 + dt.timedelta(seconds=4)).sent == 0  # not due yet
    report = run(receiver, T0 + dt.timedelta(seconds=5))
    assert report.sent == 3
    assert receiver.order_of("A") == [1, 1, 2, 3]
    sent = OutboxMessage.objects.get(stream="A", position=1)
    assert (sent.status, sent.attempts, sent.leased_until) == ("sent", 2, None)
    assert sent.sent_at == T0 + dt.timedelta(seconds=5)


@pytest.mark.django_db
@pytest.mark.usefixtures("as_is")
def test_every_request_carries_the_messages_own_key_and_event_moment():
    (message,) = outbox("A", 1)
    receiver = Receiver({("A", 1): [TransientFailure("busy"), Ack()]})
    run(receiver, T0)
    run(receiver, T0 + dt.timedelta(hours=1))
    assert receiver.keys == [str(message.idempotency_key)] * 2


@pytest.mark.django_db
@pytest.mark.usefixtures("as_is")
def test_after_the_last_attempt_a_message_is_dead_and_its_dossier_stops():
    outbox("A", 1, 2)
    receiver = Receiver({("A", 1): [TransientFailure("HTTP 503")]})
    moment = T0
    for _attempt in range(FAST.max_attempts):
        run(receiver, moment)
        moment += dt.timedelta(seconds=FAST.backoff_cap)
    dead = OutboxMessage.objects.get(stream="A", position=1)
    assert (dead.status, dead.attempts, dead.next_attempt_at) == ("dead", 4, None)
    # kept in the province's language, as the operators read it
    assert dead.last_error == "Dừng gửi sau 4 lần. Lần cuối: HTTP 503"
    assert run(receiver, moment + dt.timedelta(days=1)).sent == 0
    assert receiver.order_of("A") == [1, 1, 1, 1]
    assert status_of("A")[2] == "pending"  # never skips ahead of a dead message


@pytest.mark.django_db
@pytest.mark.usefixtures("as_is")
def test_waits_double_between_attempts():
    (message,) = outbox("A", 1)
    receiver = Receiver({("A", 1): [TransientFailure("busy")]})
    config = DeliveryConfig(max_attempts=10, backoff_base=10, backoff_cap=1000, send_timeout=1)
    moment, waits = T0, []
    for _attempt in range(5):
        run(receiver, moment, config)
        message.refresh_from_db()
        waits.append((message.next_attempt_at - moment).total_seconds())
        moment = message.next_attempt_at
    assert waits == [5, 10, 20, 40, 80]


@pytest.mark.django_db
@pytest.mark.usefixtures("as_is")
def test_a_refusal_is_dead_at_once_with_the_receivers_words():
    outbox("A", 1, 2)
    refusal = PermanentFailure("HTTP 422 from the receiver: procedure_code is unknown")
    report = run(Receiver({("A", 1): [refusal]}), T0)
    assert report.dead == 1
    dead = OutboxMessage.objects.get(stream="A", position=1)
    assert (dead.status, dead.attempts) == ("dead", 1)
    assert dead.last_error == refusal.reason
    assert status_of("A")[2] == "pending"


@pytest.mark.django_db
@pytest.mark.usefixtures("as_is")
def test_the_receivers_retry_after_is_respected():
    (message,) = outbox("A", 1)
    run(Receiver({("A", 1): [TransientFailure("HTTP 429", retry_after=600)]}), T0)
    message.refresh_from_db()
    assert message.next_attempt_at == T0 + dt.timedelta(seconds=600)


@pytest.mark.django_db
def test_an_unmapped_code_holds_the_message_without_counting_an_attempt(monkeypatch):
    class Unmapped(Exception):
        pass

    def prepare_all(messages):
        return [
            Unmapped("no national code for procedure X.HT.999") if m.stream == "A" else m.payload
            for m in messages
        ]

    monkeypatch.setattr(delivery, "prepare_all", prepare_all)
    outbox("A", 1, 2)
    outbox("B", 1)
    receiver = Receiver()
    report = run(receiver, T0)
    assert (report.held, report.sent) == (1, 1)
    held = OutboxMessage.objects.get(stream="A", position=1)
    assert (held.status, held.attempts, held.leased_until) == ("held", 0, None)
    assert held.last_error == "no national code for procedure X.HT.999"
    assert status_of("A")[2] == "pending"
    assert receiver.order_of("A") == []


@pytest.mark.django_db
def test_a_failing_preparation_is_an_attempt(monkeypatch):
    def prepare_all(messages):
        raise KeyError("status")

    monkeypatch.setattr(delivery, "_batch_preparer", lambda: prepare_all)
    (message,) = outbox("A", 1)
    report = run(Receiver(), T0)
    message.refresh_from_db()
    assert (report.retried, message.status, message.attempts) == (1, "pending", 1)
    assert "status" in message.last_error


@pytest.mark.django_db
def test_the_mapping_module_prepares_real_dossier_messages(user):
    from tests.dossiers.test_scenarios import act, at, receive

    received = receive(user, at(3, 2, 9), "X.HT.007")
    act(user, "tiepnhan.doluong", at(3, 2, 10), received.dossier.code, "forward")
    receiver = Receiver()
    sent: list[Outgoing] = []
    original = receiver.send
    receiver.send = lambda m: sent.append(m) or original(m)
    report = run(receiver, at(3, 2, 11))
    assert report.sent == 2
    assert [m.position for m in sent] == [1, 2]
    assert sent[0].at == "2026-03-02T09:00:00+07:00"
    assert sent[1].payload["status"]["national_code"]  # translated to the national codes


@pytest.mark.django_db
@pytest.mark.usefixtures("as_is")
def test_a_killed_workers_lease_runs_out_and_the_message_comes_back():
    outbox("A", 1, 2)
    with clock.fixed_at(T0):
        (taken,) = claim(NATIONAL_PORTAL, 10, lease_seconds=60)  # then the worker is killed
    receiver = Receiver()
    assert run(receiver, T0 + dt.timedelta(seconds=59)).sent == 0
    assert receiver.log == []
    assert run(receiver, T0 + dt.timedelta(seconds=60)).sent == 2
    assert receiver.order_of("A") == [1, 2]
    # the killed worker's answer, should it come back to life, is not recorded over the new one
    with clock.fixed_at(T0 + dt.timedelta(seconds=61)):
        assert record_sent([taken]) == 0


@pytest.mark.django_db
@pytest.mark.usefixtures("as_is")
def test_a_claim_takes_only_heads_of_streams_and_leaves_leased_ones():
    outbox("A", 1, 2, 3)
    outbox("B", 1)
    with clock.fixed_at(T0):
        first = claim(NATIONAL_PORTAL, 10, lease_seconds=60)
        second = claim(NATIONAL_PORTAL, 10, lease_seconds=60)
    assert sorted((m.stream, m.position) for m in first) == [("A", 1), ("B", 1)]
    assert second == []


def test_a_lease_shorter_than_two_timeouts_is_refused():
    with pytest.raises(ValueError, match="lease"):
        DeliveryConfig(lease_seconds=10, send_timeout=10)


# --- several workers at once -----------------------------------------------------------------


class Watchful(Receiver):
    """Acknowledges after a pause, failing some sends, and notes any overlap: the same key or
    the same dossier twice in flight at once."""

    def __init__(self, failure_rate: float) -> None:
        super().__init__(pause=0.002)
        self.failure_rate = failure_rate
        self.in_flight_keys: set[str] = set()
        self.in_flight_streams: set[str] = set()
        self.overlaps: list[str] = []
        self.acked: Counter[str] = Counter()
        self.acked_order: dict[str, list[int]] = defaultdict(list)
        self.rng = random.Random(3)  # noqa: S311

    def send(self, message: Outgoing) -> Outcome:
        with self._lock:
            if message.idempotency_key in self.in_flight_keys:
                self.overlaps.append(f"key {message.idempotency_key}")
            if message.stream in self.in_flight_streams:
                self.overlaps.append(f"stream {message.stream}")
            self.in_flight_keys.add(message.idempotency_key)
            self.in_flight_streams.add(message.stream)
            fail = self.rng.random() < self.failure_rate
        time.sleep(self.pause)
        with self._lock:
            self.in_flight_keys.discard(message.idempotency_key)
            self.in_flight_streams.discard(message.stream)
            if fail:
                return TransientFailure("busy")
            self.acked[message.idempotency_key] += 1
            self.acked_order[message.stream].append(message.position)
        return Ack()


@pytest.mark.usefixtures("committed_db", "as_is")
def test_several_workers_at_once_never_send_a_message_twice():
    streams = 40
    for n in range(streams):
        outbox(f"S{n:03}", 1, 2, 3, 4)
    receiver = Watchful(failure_rate=0.2)
    config = DeliveryConfig(
        max_attempts=1000, backoff_base=0.001, backoff_cap=0.01, concurrency=4, send_timeout=1
    )
    # SQLite has one writer at a time; its claims still run, one after the other.
    workers = 4 if connection.vendor == "postgresql" else 2
    errors: list[BaseException] = []

    def work() -> None:
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                deliver(NATIONAL_PORTAL, receiver, config)
                if not OutboxMessage.objects.exclude(status="sent").exists():
                    return
                time.sleep(0.005)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert receiver.overlaps == []
    assert OutboxMessage.objects.filter(status="sent").count() == streams * 4
    assert set(receiver.acked.values()) == {1}  # acknowledged once each
    assert all(order == [1, 2, 3, 4] for order in receiver.acked_order.values())
    attempts = sum(OutboxMessage.objects.values_list("attempts", flat=True))
    assert attempts > streams * 4  # failures were retried
