"""A stand-in for the national public-service portal, to test haicap's exchange against a real
peer over HTTP, with the faults a real one has (pure: the standard library and haicap's wire
contract, ``haicap/exchange/wire.py``, no Django).

Run it with ``python manage.py simulate_national_portal --port 8901`` from the source tree; it
keeps what it applied in a SQLite file (``--state``), so it remembers across its own restarts.

Endpoints
=========

``POST /api/v1/dossier-events``
    Headers: ``Idempotency-Key`` (required, any string up to 200 characters; haicap sends the
    outbox message's UUID), ``Content-Type: application/json``, and ``Authorization: Bearer
    <token>`` when the simulator was started with ``--token``.
    Body: ``{"kind": "dossier.receive", "stream": "<dossier code>", "position": <event seq ≥ 1>,
    "at": "<ISO 8601 moment of the event>", "payload": {...}}``; when ``at`` is missing or null,
    ``payload.event.at`` is used.

    - first time a key is seen: the message is applied and the answer is
      ``201 {"status": "applied", "duplicate": false, "idempotency_key", "stream", "position",
      "receipt"}``;
    - a key seen before: nothing is applied again; ``200`` with the same fields and
      ``"status": "duplicate", "duplicate": true``;
    - a key seen before with another stream, position or kind: ``422`` (problem+json);
    - no key: ``400``; a body that is not as above: ``422``; a wrong or missing token: ``401``.

    Order is checked per stream: a message whose position is lower than, or equal to, one
    already applied in its stream (under another key) is still applied, and the violation is
    recorded (``order_violations`` below).

``GET /api/v1/messages?day=YYYY-MM-DD[&stream=CODE]``
    ``200 {"day": "YYYY-MM-DD", "messages": [{"idempotency_key", "stream", "position", "kind",
    "at", "applied_at", "deliveries"}, ...]}``, ordered by stream then position: every message
    applied whose day is ``day``. ``deliveries`` counts the requests that carried the key
    (retries included). Without ``day``, every day; ``"day"`` is then null.

``GET /api/v1/summary?day=YYYY-MM-DD``
    ``200 {"day", "count", "digest", "order_violations", "repeated_positions"}``:
    ``count`` messages applied that day; ``digest`` = hex SHA-256 of the UTF-8 text made of the
    distinct lines ``stream|position|kind`` of those messages, sorted (Python string order),
    joined by ``"\\n"`` with no final newline (the digest of no message is SHA-256 of the empty
    string); ``order_violations`` = messages of that day that arrived after a higher position
    of their stream; ``repeated_positions`` = messages of that day whose stream already had
    their position under another key. Without ``day``, over every day.

``GET /api/v1/health``
    ``200 {"status": "ok", "applied": <messages applied>, "faults": {...}}``.

The queue of filings made on the portal (read by ``pull_national_queue``):

``GET /api/v1/queue?after=<cursor>``
    ``200 {"items": [<filing>, ...], "next": <cursor>}``: up to 100 filings not yet
    acknowledged, after the cursor (an opaque string; empty for the start), in the order they
    were offered; ``next`` is the cursor after the last item (unchanged, or null, when none).
``POST /api/v1/queue/<national_id>/ack``
    Body: haicap's answer (any JSON object). ``200`` the first time, ``409`` when already
    acknowledged, ``404`` for an unknown filing. An acknowledged filing leaves the queue.
``POST /api/v1/queue`` (the simulator's own, to offer a filing)
    Body: the filing, a JSON object with a ``national_id``. ``201``, or ``200`` when that
    ``national_id`` was offered before (nothing changes).
``GET /api/v1/queue/acknowledged`` (the simulator's own)
    ``200 {"items": [{"national_id", "acknowledgement"}, ...]}``: every filing and haicap's
    answer, null while unacknowledged.

The business register (point ``HAICAP_BUSINESS_REGISTER_URL`` at the simulator):

``GET /api/v1/enterprises/<code>``
    ``200`` the enterprise as registered (with ``enterprise_code``), ``404`` when unknown.
``PUT /api/v1/enterprises/<code>`` (the simulator's own, to register one)
    Body: ``{"name", "address", "representative", "status", ...}``. ``200``.

The day of a message is the Vietnam (Asia/Ho_Chi_Minh) date of its ``at``; a moment without
an offset is read as Vietnam time.

Faults (each drawn at random per ``POST``, from ``--seed`` when given)
======================================================================

In this order: ``slow_ms`` delays every answer; ``error_rate`` answers ``500`` before
applying; ``timeout_rate`` holds the request for ``hang_ms`` (longer than the client waits),
then applies it one time in two and answers to nobody; ``lost_ack_rate`` applies, then closes
the connection without an answer; ``duplicate_ack_rate`` applies and answers with a
"duplicate" acknowledgement sent twice on the wire. Faults only affect
``POST /api/v1/dossier-events``.
"""

import contextlib
import datetime as dt
import json
import random
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from haicap.exchange import wire
from natsim.inbound import Inbound

MAX_BODY = 2 * 1024 * 1024
QUEUE_PATH = "/api/v1/queue"
ENTERPRISES_PATH = "/api/v1/enterprises/"
MAX_KEY = 200

SCHEMA = """
CREATE TABLE IF NOT EXISTS applied (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    stream TEXT NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    at TEXT,
    day TEXT NOT NULL,
    payload TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    deliveries INTEGER NOT NULL DEFAULT 1,
    out_of_order INTEGER NOT NULL DEFAULT 0,
    repeated_position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS applied_stream ON applied (stream, position);
CREATE INDEX IF NOT EXISTS applied_day ON applied (day);
"""


@dataclass(frozen=True)
class Faults:
    error_rate: float = 0.0
    timeout_rate: float = 0.0
    hang_ms: int = 15_000
    slow_ms: int = 0
    duplicate_ack_rate: float = 0.0
    lost_ack_rate: float = 0.0

    def __post_init__(self) -> None:
        for name in ("error_rate", "timeout_rate", "duplicate_ack_rate", "lost_ack_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.hang_ms < 0 or self.slow_ms < 0:
            raise ValueError("hang_ms and slow_ms cannot be negative")


class Rejected(Exception):
    """A request the portal refuses: its HTTP status and explanation."""

    def __init__(self, status: int, detail: str) -> None:
        self.status = status
        self.detail = detail
        super().__init__(detail)


@dataclass(frozen=True)
class Incoming:
    idempotency_key: str
    stream: str
    position: int
    kind: str
    at: str | None
    day: dt.date
    payload: dict[str, Any]


def parse_event(key: str | None, body: bytes) -> Incoming:
    """The message a POST carries, or ``Rejected``."""
    if not key:
        raise Rejected(400, "Idempotency-Key header is required")
    if len(key) > MAX_KEY:
        raise Rejected(422, "Idempotency-Key is too long")
    try:
        data = json.loads(body)
    except ValueError as error:
        raise Rejected(422, "the body is not JSON") from error
    if not isinstance(data, dict):
        raise Rejected(422, "the body must be a JSON object")
    kind, stream, position, payload = (
        data.get(f) for f in ("kind", "stream", "position", "payload")
    )
    if not isinstance(kind, str) or not kind or "|" in kind:
        raise Rejected(422, "kind must be a non-empty string without '|'")
    if not isinstance(stream, str) or not stream or "|" in stream:
        raise Rejected(422, "stream must be a non-empty string without '|'")
    if isinstance(position, bool) or not isinstance(position, int) or position < 1:
        raise Rejected(422, "position must be an integer from 1")
    if not isinstance(payload, dict):
        raise Rejected(422, "payload must be a JSON object")
    at = data.get("at") or wire.event_at(payload)
    if not isinstance(at, str):
        raise Rejected(422, "at (or payload.event.at) is required")
    try:
        day = wire.day_of(at)
    except ValueError as error:
        raise Rejected(422, "at must be an ISO 8601 moment") from error
    return Incoming(key, stream, position, kind, at, day, payload)


class Ledger:
    """What the portal applied, in a SQLite file; one writer at a time (a lock)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self._closed = False

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._db.close()

    def apply(self, message: Incoming) -> tuple[bool, int]:
        """Apply once per key: (applied now?, receipt). ``Rejected`` for a reused key."""
        now = dt.datetime.now(dt.UTC).isoformat()
        with self._lock:
            if self._closed:  # a request that hung past the server's shutdown
                raise Rejected(503, "shutting down")
            self._db.execute("BEGIN IMMEDIATE")
            try:
                known = self._db.execute(
                    "SELECT seq, stream, position, kind FROM applied WHERE idempotency_key = ?",
                    (message.idempotency_key,),
                ).fetchone()
                if known:
                    if tuple(known[1:]) != (message.stream, message.position, message.kind):
                        raise Rejected(422, "this Idempotency-Key was used for another message")
                    self._db.execute(
                        "UPDATE applied SET deliveries = deliveries + 1 WHERE seq = ?",
                        (known[0],),
                    )
                    self._db.execute("COMMIT")
                    return False, known[0]
                highest = self._db.execute(
                    "SELECT MAX(position) FROM applied WHERE stream = ?", (message.stream,)
                ).fetchone()[0]
                repeated = self._db.execute(
                    "SELECT 1 FROM applied WHERE stream = ? AND position = ?",
                    (message.stream, message.position),
                ).fetchone()
                cursor = self._db.execute(
                    "INSERT INTO applied (idempotency_key, stream, position, kind, at, day,"
                    " payload, applied_at, out_of_order, repeated_position)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        message.idempotency_key,
                        message.stream,
                        message.position,
                        message.kind,
                        message.at,
                        message.day.isoformat(),
                        json.dumps(message.payload, ensure_ascii=False),
                        now,
                        int(highest is not None and message.position < highest),
                        int(repeated is not None),
                    ),
                )
                self._db.execute("COMMIT")
                return True, cursor.lastrowid
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _where(self, day: dt.date | None, stream: str | None = None) -> tuple[str, list]:
        clauses, values = [], []
        if day is not None:
            clauses.append("day = ?")
            values.append(day.isoformat())
        if stream is not None:
            clauses.append("stream = ?")
            values.append(stream)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), values

    def messages(self, day: dt.date | None, stream: str | None = None) -> list[dict[str, Any]]:
        where, values = self._where(day, stream)
        with self._lock:
            # ``where`` is made of fixed clauses; the values are bound parameters.
            columns = "idempotency_key, stream, position, kind, at, applied_at, deliveries"
            order = "ORDER BY stream, position, seq"
            sql = f"SELECT {columns} FROM applied{where} {order}"  # noqa: S608
            rows = self._db.execute(sql, values).fetchall()
        fields = ("idempotency_key", "stream", "position", "kind", "at", "applied_at")
        return [dict(zip((*fields, "deliveries"), row, strict=True)) for row in rows]

    def summary(self, day: dt.date | None) -> dict[str, Any]:
        where, values = self._where(day)
        with self._lock:
            sql = f"SELECT stream, position, kind FROM applied{where}"  # noqa: S608
            entries = self._db.execute(sql, values).fetchall()
            sums = "COALESCE(SUM(out_of_order), 0), COALESCE(SUM(repeated_position), 0)"
            sql = f"SELECT {sums} FROM applied{where}"  # noqa: S608
            violations = self._db.execute(sql, values).fetchone()
        return {
            "day": day.isoformat() if day else None,
            "count": len(entries),
            "digest": wire.digest(entries),
            "order_violations": violations[0],
            "repeated_positions": violations[1],
        }

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM applied").fetchone()[0]


class PortalServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        ledger: Ledger,
        faults: Faults,
        *,
        seed: int | None = None,
        token: str = "",
        quiet: bool = True,
    ) -> None:
        super().__init__(address, Handler)
        self.ledger = ledger
        self.inbound = Inbound(ledger.path)
        self.faults = faults
        self.token = token
        self.quiet = quiet
        self._rng = random.Random(seed)  # noqa: S311 (faults, not secrets)
        self._rng_lock = threading.Lock()

    def server_close(self) -> None:
        super().server_close()
        self.ledger.close()
        self.inbound.close()

    def roll(self, rate: float) -> bool:
        if rate <= 0:
            return False
        with self._rng_lock:
            return self._rng.random() < rate


class Handler(BaseHTTPRequestHandler):
    server: PortalServer
    server_version = "NationalPortalSimulator/1"
    protocol_version = "HTTP/1.0"  # one request per connection: an answer is never misread

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)

    # --- answers ---------------------------------------------------------------------------

    def _raw(self, status: int, body: dict[str, Any], content_type: str) -> bytes:
        data = json.dumps(body, ensure_ascii=False).encode()
        head = (
            f"HTTP/1.0 {status} {HTTPStatus(status).phrase}\r\n"
            f"Server: {self.server_version}\r\n"
            f"Content-Type: {content_type}\r\n"
            f"Content-Length: {len(data)}\r\n"
            "Connection: close\r\n\r\n"
        )
        return head.encode("latin-1") + data

    def _answer(self, status: int, body: dict[str, Any], *, times: int = 1) -> None:
        raw = self._raw(status, body, "application/json")
        try:
            for _ in range(times):
                self.wfile.write(raw)
            self.wfile.flush()
        except OSError:  # the client gave up waiting: nobody hears this answer
            pass
        self.log_request(status, len(raw))

    def _problem(self, status: int, detail: str) -> None:
        raw = self._raw(
            status,
            {
                "type": "about:blank",
                "title": HTTPStatus(status).phrase,
                "status": status,
                "detail": detail,
            },
            "application/problem+json",
        )
        with contextlib.suppress(OSError):  # the client may have given up already
            self.wfile.write(raw)
        self.log_request(status, len(raw))

    def _authorised(self) -> bool:
        if not self.server.token:
            return True
        if self.headers.get("Authorization") == f"Bearer {self.server.token}":
            return True
        self._problem(401, "a valid bearer token is required")
        return False

    # --- reads -----------------------------------------------------------------------------

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if url.path == wire.HEALTH_PATH:
            self._answer(
                200,
                {
                    "status": "ok",
                    "applied": self.server.ledger.count(),
                    "faults": asdict(self.server.faults),
                },
            )
            return
        if not self._authorised():
            return
        try:
            day = dt.date.fromisoformat(query["day"]) if query.get("day") else None
        except ValueError:
            self._problem(422, "day must be YYYY-MM-DD")
            return
        inbound = self.server.inbound
        if url.path == wire.MESSAGES_PATH:
            messages = self.server.ledger.messages(day, query.get("stream"))
            self._answer(200, {"day": day.isoformat() if day else None, "messages": messages})
        elif url.path == wire.SUMMARY_PATH:
            self._answer(200, self.server.ledger.summary(day))
        elif url.path == QUEUE_PATH:
            self._answer(200, inbound.waiting(query.get("after", "")))
        elif url.path == f"{QUEUE_PATH}/acknowledged":
            self._answer(200, {"items": inbound.acknowledgements()})
        elif url.path.startswith(ENTERPRISES_PATH):
            found = inbound.enterprise(unquote(url.path.removeprefix(ENTERPRISES_PATH)))
            if found is None:
                self._problem(404, "no enterprise with this code")
            else:
                self._answer(200, found)
        else:
            self._problem(404, f"no such endpoint: {url.path}")

    # --- writes ----------------------------------------------------------------------------

    def _body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self._problem(413 if length > MAX_BODY else 400, "bad Content-Length")
            return None
        return self.rfile.read(length)

    def _json_object(self, body: bytes) -> dict[str, Any] | None:
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            self._problem(422, "the body must be a JSON object")
            return None
        return data

    def do_PUT(self) -> None:
        path = urlsplit(self.path).path
        if not path.startswith(ENTERPRISES_PATH):
            self._problem(404, f"no such endpoint: {path}")
            return
        if not self._authorised() or (body := self._body()) is None:
            return
        if (record := self._json_object(body)) is not None:
            code = unquote(path.removeprefix(ENTERPRISES_PATH))
            self.server.inbound.register(code, record)
            self._answer(200, {**record, "enterprise_code": code})

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path not in (wire.EVENTS_PATH, QUEUE_PATH) and not (
            path.startswith(f"{QUEUE_PATH}/") and path.endswith("/ack")
        ):
            self._problem(404, f"no such endpoint: {path}")
            return
        if not self._authorised() or (body := self._body()) is None:
            return
        if path == wire.EVENTS_PATH:
            self._dossier_event(body)
        elif path == QUEUE_PATH:
            if (filing := self._json_object(body)) is not None:
                try:
                    new, place = self.server.inbound.offer(filing)
                except ValueError as error:
                    self._problem(422, str(error))
                    return
                self._answer(201 if new else 200, {"offered": new, "seq": place})
        elif (answer := self._json_object(body)) is not None:
            national_id = unquote(path.removeprefix(f"{QUEUE_PATH}/").removesuffix("/ack"))
            status = self.server.inbound.acknowledge(national_id, answer)
            if status == 200:
                self._answer(200, {"acknowledged": True, "national_id": national_id})
            else:
                self._problem(status, "unknown filing" if status == 404 else "acknowledged before")

    def _dossier_event(self, body: bytes) -> None:
        server, faults = self.server, self.server.faults
        try:
            message = parse_event(self.headers.get(wire.IDEMPOTENCY_HEADER), body)
        except Rejected as refused:
            self._problem(refused.status, refused.detail)
            return
        if faults.slow_ms:
            time.sleep(faults.slow_ms / 1000)
        if server.roll(faults.error_rate):
            self._problem(500, "simulated failure before applying")
            return
        if server.roll(faults.timeout_rate):
            time.sleep(faults.hang_ms / 1000)
            if not server.roll(0.5):
                self._problem(503, "simulated timeout, not applied")
                return
        try:
            applied, receipt = server.ledger.apply(message)
        except Rejected as refused:
            self._problem(refused.status, refused.detail)
            return
        if server.roll(faults.lost_ack_rate):
            self.close_connection = True  # applied, and the answer is lost
            return
        duplicate_ack = server.roll(faults.duplicate_ack_rate)
        self._answer(
            201 if applied and not duplicate_ack else 200,
            {
                "status": "duplicate" if duplicate_ack or not applied else "applied",
                "duplicate": duplicate_ack or not applied,
                "idempotency_key": message.idempotency_key,
                "stream": message.stream,
                "position": message.position,
                "receipt": str(receipt),
            },
            times=2 if duplicate_ack else 1,
        )


def make_server(
    state: str | Path,
    faults: Faults = Faults(),  # frozen: one shared default is harmless
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    seed: int | None = None,
    token: str = "",
    quiet: bool = True,
) -> PortalServer:
    """A simulator bound to ``host:port`` (0: any free port), not yet serving."""
    return PortalServer((host, port), Ledger(state), faults, seed=seed, token=token, quiet=quiet)
