"""The national-portal simulator: applies once per key, files by Vietnam day, counts order
violations, keeps its state across restarts, and misbehaves exactly as asked."""

import datetime as dt
import http.client
import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from haicap.exchange.comparison import digest
from haicap.exchange.connector import (
    Ack,
    ConnectorError,
    HttpNationalPortal,
    Outgoing,
    PermanentFailure,
    TransientFailure,
)
from natsim.server import Faults, PortalServer, make_server


@contextmanager
def running(tmp_path, faults: Faults | None = None, **kw) -> Iterator[PortalServer]:
    server = make_server(tmp_path / "portal.sqlite3", faults or Faults(), seed=1, **kw)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def portal(server: PortalServer, **kw) -> HttpNationalPortal:
    host, port = server.server_address[:2]
    return HttpNationalPortal(f"http://{host}:{port}", **kw)


def message(stream="17662.05.H40-260302-0001", position=1, kind="dossier.receive", **kw):
    at = kw.pop("at", "2026-03-02T09:00:00+07:00")
    return Outgoing(
        idempotency_key=kw.pop("key", str(uuid.uuid4())),
        kind=kind,
        stream=stream,
        position=position,
        at=at,
        payload={"event": {"seq": position, "at": at}, **kw},
    )


def post(server: PortalServer, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=5)
    connection.request("POST", "/api/v1/dossier-events", body=body, headers=headers)
    response = connection.getresponse()
    return response.status, json.loads(response.read() or b"{}")


DAY = dt.date(2026, 3, 2)


def test_a_key_is_applied_once_and_acknowledged_every_time(tmp_path):
    with running(tmp_path) as server:
        client = portal(server)
        first = message()
        assert client.send(first) == Ack(duplicate=False, receipt="1")
        assert client.send(first) == Ack(duplicate=True, receipt="1")
        assert client.send(message(position=2, kind="dossier.forward")).duplicate is False
        listed = client.messages(DAY)
        assert [(m.position, m.kind) for m in listed] == [
            (1, "dossier.receive"),
            (2, "dossier.forward"),
        ]
        summary = client.summary(DAY)
        assert summary.count == 2
        assert summary.order_violations == 0
        assert summary.digest == digest(
            [(first.stream, 1, "dossier.receive"), (first.stream, 2, "dossier.forward")]
        )


def test_a_key_reused_for_another_message_is_refused_for_good(tmp_path):
    with running(tmp_path) as server:
        client = portal(server)
        key = str(uuid.uuid4())
        assert isinstance(client.send(message(key=key)), Ack)
        refused = client.send(message(key=key, position=2))
        assert isinstance(refused, PermanentFailure)
        assert "another message" in refused.reason


def test_requests_without_a_key_or_with_a_bad_body_are_refused(tmp_path):
    with running(tmp_path) as server:
        status, problem = post(server, b"{}", {"Content-Type": "application/json"})
        assert status == 400 and "Idempotency-Key" in problem["detail"]
        status, problem = post(server, b"[1]", {"Idempotency-Key": "k"})
        assert status == 422
        body = json.dumps({"kind": "x", "stream": "s", "position": 0, "payload": {}}).encode()
        status, problem = post(server, body, {"Idempotency-Key": "k"})
        assert status == 422 and "position" in problem["detail"]
        body = json.dumps({"kind": "x", "stream": "s", "position": 1, "payload": {}}).encode()
        status, problem = post(server, body, {"Idempotency-Key": "k"})
        assert status == 422 and "at" in problem["detail"]


def test_messages_are_filed_under_the_vietnam_day_of_their_event(tmp_path):
    with running(tmp_path) as server:
        client = portal(server)
        client.send(message(stream="A", at="2026-03-02T23:59:00+07:00"))
        client.send(message(stream="B", at="2026-03-02T17:30:00+00:00"))  # 00:30 on the 3rd
        client.send(message(stream="C", at="2026-03-03T06:00:00"))  # no offset: Vietnam time
        assert [m.stream for m in client.messages(DAY)] == ["A"]
        assert [m.stream for m in client.messages(DAY + dt.timedelta(days=1))] == ["B", "C"]
        assert client.summary(dt.date(2026, 1, 1)).count == 0
        assert client.summary(dt.date(2026, 1, 1)).digest == digest([])


def test_a_stream_out_of_order_is_applied_and_counted(tmp_path):
    with running(tmp_path) as server:
        client = portal(server)
        client.send(message(position=2))
        client.send(message(position=1))  # late
        client.send(message(position=2))  # another key, a position already there
        client.send(message(position=3))
        host, port = server.server_address[:2]
        connection = http.client.HTTPConnection(host, port, timeout=5)
        connection.request("GET", "/api/v1/summary?day=2026-03-02")
        summary = json.loads(connection.getresponse().read())
        assert summary["count"] == 4
        assert summary["order_violations"] == 1
        assert summary["repeated_positions"] == 1


def test_what_was_applied_survives_a_restart(tmp_path):
    sent = message()
    with running(tmp_path) as server:
        portal(server).send(sent)
    with running(tmp_path) as server:
        client = portal(server)
        assert client.send(sent).duplicate is True
        assert client.summary(DAY).count == 1
        host, port = server.server_address[:2]
        connection = http.client.HTTPConnection(host, port, timeout=5)
        connection.request("GET", "/api/v1/health")
        health = json.loads(connection.getresponse().read())
        assert health["status"] == "ok" and health["applied"] == 1


def test_an_error_applies_nothing(tmp_path):
    with running(tmp_path, Faults(error_rate=1.0)) as server:
        client = portal(server)
        failure = client.send(message())
        assert isinstance(failure, TransientFailure) and "500" in failure.reason
        assert client.summary(DAY).count == 0


def test_a_lost_acknowledgement_applies_but_answers_nobody(tmp_path):
    with running(tmp_path, Faults(lost_ack_rate=1.0)) as server:
        client = portal(server)
        sent = message()
        assert isinstance(client.send(sent), TransientFailure)
        assert client.summary(DAY).count == 1
        assert isinstance(client.send(sent), TransientFailure)  # answered nothing again
        assert [m.idempotency_key for m in client.messages(DAY)] == [sent.idempotency_key]


def test_a_duplicate_acknowledgement_is_still_an_acknowledgement(tmp_path):
    with running(tmp_path, Faults(duplicate_ack_rate=1.0)) as server:
        client = portal(server)
        assert client.send(message()) == Ack(duplicate=True, receipt="1")
        assert client.summary(DAY).count == 1


def test_a_hanging_request_times_out_and_may_be_applied_later(tmp_path):
    with running(tmp_path, Faults(timeout_rate=1.0, hang_ms=300)) as server:
        client = portal(server, timeout=0.1)
        outcomes = [client.send(message(stream=f"S{n}")) for n in range(8)]
        assert all(isinstance(o, TransientFailure) for o in outcomes)
        assert "0.1" in outcomes[0].reason
        time.sleep(0.4)  # the last hang ends
    # after the hangs, about half were applied: the client cannot know which
    with running(tmp_path) as server:
        assert 0 < portal(server).summary(DAY).count < 8


def test_slow_answers_still_arrive(tmp_path):
    with running(tmp_path, Faults(slow_ms=50)) as server:
        assert isinstance(portal(server, timeout=2).send(message()), Ack)


def test_a_token_is_required_when_set(tmp_path):
    with running(tmp_path, token="s3cret") as server:
        refused = portal(server).send(message())
        assert isinstance(refused, PermanentFailure) and "401" in refused.reason
        assert isinstance(portal(server, token="s3cret").send(message()), Ack)
        with pytest.raises(ConnectorError):
            portal(server).summary(DAY)


def test_an_unreachable_portal_is_a_transient_failure_and_a_read_error(tmp_path):
    with running(tmp_path) as server:
        client = portal(server)
    assert isinstance(client.send(message()), TransientFailure)
    with pytest.raises(ConnectorError):
        client.messages(DAY)


def test_fault_rates_outside_zero_to_one_are_refused():
    with pytest.raises(ValueError):
        Faults(error_rate=1.5)
    with pytest.raises(ValueError):
        Faults(hang_ms=-1)


def request(server: PortalServer, method: str, path: str, body: object = None) -> tuple[int, dict]:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=5)
    data = None if body is None else json.dumps(body).encode()
    connection.request(method, path, body=data)
    response = connection.getresponse()
    return response.status, json.loads(response.read() or b"{}")


def test_the_queue_offers_each_filing_until_it_is_acknowledged(tmp_path):
    with running(tmp_path) as server:
        for n in (1, 2, 3):
            assert request(server, "POST", "/api/v1/queue", {"national_id": f"G-{n}"})[0] == 201
        assert request(server, "POST", "/api/v1/queue", {"national_id": "G-1"})[0] == 200
        assert request(server, "POST", "/api/v1/queue", {"nothing": 1})[0] == 422
        status, page = request(server, "GET", "/api/v1/queue?after=")
        assert [item["national_id"] for item in page["items"]] == ["G-1", "G-2", "G-3"]
        status, _ = request(server, "POST", "/api/v1/queue/G-2/ack", {"status": "received"})
        assert status == 200
        assert request(server, "POST", "/api/v1/queue/G-2/ack", {})[0] == 409
        assert request(server, "POST", "/api/v1/queue/G-9/ack", {})[0] == 404
        _, again = request(server, "GET", "/api/v1/queue?after=")
        assert [item["national_id"] for item in again["items"]] == ["G-1", "G-3"]
        _, later = request(server, "GET", f"/api/v1/queue?after={page['next']}")
        assert later == {"items": [], "next": page["next"]}
    with running(tmp_path) as server:  # kept across a restart
        _, acknowledged = request(server, "GET", "/api/v1/queue/acknowledged")
        assert [a["acknowledgement"] for a in acknowledged["items"]] == [
            None,
            {"status": "received"},
            None,
        ]


def test_the_business_register_answers_what_was_registered(tmp_path):
    with running(tmp_path) as server:
        record = {"name": "Công ty TNHH Sen Vàng", "status": "active"}
        assert request(server, "PUT", "/api/v1/enterprises/2901234567", record)[0] == 200
        status, found = request(server, "GET", "/api/v1/enterprises/2901234567")
        assert (status, found) == (200, {**record, "enterprise_code": "2901234567"})
        assert request(server, "GET", "/api/v1/enterprises/0000000000")[0] == 404
