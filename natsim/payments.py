"""A stand-in for the payment gateway (the national payment platform, Decree 118/2025 Art. 24),
to test haicap's online fees against a real peer over HTTP, with the faults a real one has
(pure: the standard library and haicap's wire contract, ``haicap/payments/wire.py``).

Run it with ``python manage.py simulate_payment_gateway --port 8902 --secret S`` from the source
tree; it keeps its orders in a SQLite file (``--state``), so it remembers across restarts.

Endpoints
=========

``POST /api/v1/orders`` (``Authorization: Bearer <token>`` when started with ``--token``)
    Body ``{"reference", "amount_vnd", "description", "return_url", "callback_url"}``;
    ``amount_vnd`` a whole number of đồng. ``201 {"reference", "amount_vnd", "status": "open",
    "pay_url"}`` the first time; the same reference again with the same amount: ``200`` and the
    same order (idempotent); with another amount: ``422``.
``GET /api/v1/orders/<reference>``
    ``200 {"transaction_id", "reference", "amount_vnd", "status", "paid_at"}``; ``404``.
``GET /api/v1/statement?day=YYYY-MM-DD``
    ``200 {"day", "transactions": [...]}``: the transactions paid that Vietnam day, as above.
``GET /pay/<reference>`` and ``POST /pay/<reference>`` (form field ``payer``)
    The payer's page: a button that pays; the POST pays, sends the confirmation and answers
    ``303`` to the order's ``return_url``.
``POST /api/v1/orders/<reference>/pay`` (the simulator's own, body ``{"payer"}``)
    Pays as the page does and answers ``200`` with the transaction.
``GET /api/v1/health``
    ``200 {"status": "ok", "orders", "faults"}``.

The confirmation: when an order is paid, the gateway POSTs the transaction (JSON, as above) to
the order's ``callback_url`` with ``X-Signature: <hex HMAC-SHA256 of the body under the
secret>``. It does not try again: haicap asks ``GET /api/v1/orders/<reference>`` for what it
never heard of.

Faults (each drawn at random, from ``--seed`` when given)
=========================================================

``slow_ms`` delays every API answer; ``error_rate`` answers ``500`` to an API ``POST`` before
doing anything; ``timeout_rate`` holds an API ``POST`` for ``hang_ms`` (longer than the client
waits), then does it one time in two and answers nobody; ``duplicate_callback_rate`` sends a
confirmation twice; ``lost_callback_rate`` sends none.
"""

import contextlib
import datetime as dt
import html
import http.client
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
from urllib.parse import parse_qs, quote, unquote, urlsplit
from zoneinfo import ZoneInfo

from haicap.payments import wire

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_BODY = 64 * 1024
CALLBACK_TIMEOUT = 10.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    reference TEXT PRIMARY KEY,
    amount_vnd INTEGER NOT NULL,
    description TEXT NOT NULL,
    return_url TEXT NOT NULL,
    callback_url TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    transaction_id TEXT UNIQUE,
    paid_at TEXT,
    day TEXT,
    payer TEXT NOT NULL DEFAULT '',
    callbacks INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS orders_day ON orders (day);
"""


@dataclass(frozen=True)
class Faults:
    error_rate: float = 0.0
    timeout_rate: float = 0.0
    hang_ms: int = 15_000
    slow_ms: int = 0
    duplicate_callback_rate: float = 0.0
    lost_callback_rate: float = 0.0

    def __post_init__(self) -> None:
        for name in ("error_rate", "timeout_rate", "duplicate_callback_rate", "lost_callback_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")


class Rejected(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class Book:
    """The gateway's orders in a SQLite file; one writer at a time."""

    COLUMNS = "transaction_id, reference, amount_vnd, status, paid_at"

    def __init__(self, path: str | Path) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def open_order(self, order: dict[str, Any]) -> bool:
        """Record an order once per reference: True when new; ``Rejected`` for another amount."""
        with self._lock:
            known = self._db.execute(
                "SELECT amount_vnd FROM orders WHERE reference = ?", (order["reference"],)
            ).fetchone()
            if known:
                if known[0] != order["amount_vnd"]:
                    raise Rejected(422, "this reference was ordered with another amount")
                return False
            self._db.execute(
                "INSERT INTO orders (reference, amount_vnd, description, return_url,"
                " callback_url) VALUES (?, ?, ?, ?, ?)",
                tuple(order[k] for k in wire_fields()),
            )
            return True

    def order(self, reference: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {self.COLUMNS}, return_url, callback_url FROM orders"  # noqa: S608
                " WHERE reference = ?",
                (reference,),
            ).fetchone()
        if row is None:
            return None
        found = self._transaction(row[:5])
        found["return_url"], found["callback_url"] = row[5], row[6]
        return found

    @staticmethod
    def _transaction(row: tuple) -> dict[str, Any]:
        transaction_id, reference, amount, status, paid_at = row
        return {
            "transaction_id": transaction_id or "",
            "reference": reference,
            "amount_vnd": amount,
            "status": status,
            "paid_at": paid_at or "",
        }

    def pay(self, reference: str, payer: str, now: dt.datetime | None = None) -> dict[str, Any]:
        """Pay an open order (paying a paid one changes nothing); ``Rejected`` when unknown."""
        now = (now or dt.datetime.now(dt.UTC)).astimezone(VIETNAM)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute(
                    "SELECT status FROM orders WHERE reference = ?", (reference,)
                ).fetchone()
                if row is None:
                    raise Rejected(404, "no order with this reference")
                if row[0] == wire.OPEN:
                    count = self._db.execute(
                        "SELECT COUNT(*) FROM orders WHERE transaction_id IS NOT NULL"
                    ).fetchone()[0]
                    self._db.execute(
                        "UPDATE orders SET status = ?, transaction_id = ?, paid_at = ?, day = ?,"
                        " payer = ? WHERE reference = ?",
                        (
                            wire.PAID,
                            f"GD{now:%Y%m%d}{count + 1:06d}",
                            now.isoformat(),
                            now.date().isoformat(),
                            payer[:200],
                            reference,
                        ),
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        found = self.order(reference)
        assert found is not None  # noqa: S101 (just written under the lock)
        return found

    def alter(self, reference: str, **fields: Any) -> None:
        """Change an order behind haicap's back (a test of reconciliation does)."""
        allowed = {"amount_vnd", "status", "transaction_id", "paid_at", "day"}
        if not fields.keys() <= allowed:
            raise ValueError(f"only {', '.join(sorted(allowed))} may be altered")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self._lock:
            self._db.execute(
                f"UPDATE orders SET {assignments} WHERE reference = ?",  # noqa: S608
                (*fields.values(), reference),
            )

    def add_paid(self, reference: str, amount_vnd: int, transaction_id: str, at: dt.datetime):
        """A payment the gateway took for an order haicap never opened (for reconciliation)."""
        at = at.astimezone(VIETNAM)
        with self._lock:
            self._db.execute(
                "INSERT INTO orders (reference, amount_vnd, description, return_url, callback_url,"
                " status, transaction_id, paid_at, day) VALUES (?, ?, '', '', '', ?, ?, ?, ?)",
                (reference, amount_vnd, wire.PAID, transaction_id, at.isoformat(), at.date()),
            )

    def statement(self, day: dt.date) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {self.COLUMNS} FROM orders WHERE day = ?"  # noqa: S608
                " ORDER BY transaction_id",
                (day.isoformat(),),
            ).fetchall()
        return [self._transaction(row) for row in rows]

    def count_callbacks(self, reference: str, sent: int) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE orders SET callbacks = callbacks + ? WHERE reference = ?",
                (sent, reference),
            )

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM orders").fetchone()[0]


def wire_fields() -> tuple[str, ...]:
    return ("reference", "amount_vnd", "description", "return_url", "callback_url")


def parse_order(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body or b"{}")
    except ValueError as error:
        raise Rejected(422, "the body must be a JSON object") from error
    if not isinstance(data, dict):
        raise Rejected(422, "the body must be a JSON object")
    amount = data.get("amount_vnd")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise Rejected(422, "amount_vnd must be a whole, positive number of đồng")
    order = {"amount_vnd": amount}
    for name in ("reference", "description", "return_url", "callback_url"):
        value = data.get(name, "")
        if not isinstance(value, str) or len(value) > 500:
            raise Rejected(422, f"{name} must be a text")
        order[name] = value
    if not order["reference"]:
        raise Rejected(422, "reference is required")
    return order


class GatewayServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        book: Book,
        faults: Faults,
        *,
        secret: str,
        seed: int | None = None,
        token: str = "",
        quiet: bool = True,
    ) -> None:
        # Set before binding: a port in use makes the base class call server_close(), which
        # closes the book.
        self.book = book
        self.faults = faults
        self.secret = secret
        self.token = token
        self.quiet = quiet
        self._rng = random.Random(seed)  # noqa: S311 (faults, not secrets)
        self._rng_lock = threading.Lock()
        super().__init__(address, Handler)

    def server_close(self) -> None:
        super().server_close()
        self.book.close()

    def roll(self, rate: float) -> bool:
        if rate <= 0:
            return False
        with self._rng_lock:
            return self._rng.random() < rate

    def confirm(self, transaction: dict[str, Any]) -> int:
        """Send the confirmation of a payment (or not, or twice: the faults); how many went."""
        if self.roll(self.faults.lost_callback_rate) or not transaction["callback_url"]:
            return 0
        times = 2 if self.roll(self.faults.duplicate_callback_rate) else 1
        body = json.dumps(
            {k: transaction[k] for k in ("transaction_id", "reference", "amount_vnd", "status")}
            | {"paid_at": transaction["paid_at"]},
            ensure_ascii=False,
        ).encode()
        url = urlsplit(transaction["callback_url"])
        sent = 0
        for _ in range(times):
            connection_class = (
                http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
            )
            connection = connection_class(url.hostname, url.port, timeout=CALLBACK_TIMEOUT)
            try:
                connection.request(
                    "POST",
                    url.path + (f"?{url.query}" if url.query else ""),
                    body=body,
                    headers={
                        "Content-Type": "application/json",
                        wire.SIGNATURE_HEADER: wire.sign(self.secret, body),
                    },
                )
                connection.getresponse().read()
                sent += 1
            except (OSError, http.client.HTTPException):
                pass  # haicap asks for the order's status later
            finally:
                connection.close()
        self.book.count_callbacks(transaction["reference"], sent)
        return sent


class Handler(BaseHTTPRequestHandler):
    server: GatewayServer
    server_version = "PaymentGatewaySimulator/1"
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)

    def _send(self, status: int, data: bytes, content_type: str, **headers: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client gave up waiting
            pass

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        self._send(status, json.dumps(body, ensure_ascii=False).encode(), "application/json")

    def _problem(self, status: int, detail: str) -> None:
        body = {"title": HTTPStatus(status).phrase, "status": status, "detail": detail}
        self._send(status, json.dumps(body).encode(), "application/problem+json")

    def _authorised(self) -> bool:
        if not self.server.token or (
            self.headers.get("Authorization") == f"Bearer {self.server.token}"
        ):
            return True
        self._problem(401, "a valid bearer token is required")
        return False

    def _body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self._problem(400, "bad Content-Length")
            return None
        return self.rfile.read(length)

    def _faults_before_writing(self) -> bool | None:
        """Apply the API faults: True to go on, False when a fault answered, None to go on and
        answer nobody."""
        faults = self.server.faults
        if faults.slow_ms:
            time.sleep(faults.slow_ms / 1000)
        if self.server.roll(faults.error_rate):
            self._problem(500, "simulated failure")
            return False
        if self.server.roll(faults.timeout_rate):
            time.sleep(faults.hang_ms / 1000)
            if not self.server.roll(0.5):
                self._problem(503, "simulated timeout, nothing done")
                return False
            self.close_connection = True
            return None  # do it, answer nobody
        return True

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if url.path == wire.HEALTH_PATH:
            self._answer(
                200,
                {
                    "status": "ok",
                    "orders": self.server.book.count(),
                    "faults": asdict(self.server.faults),
                },
            )
        elif url.path.startswith(f"{wire.PAY_PAGE_PATH}/"):
            self._pay_page(unquote(url.path.removeprefix(f"{wire.PAY_PAGE_PATH}/")))
        elif not self._authorised():
            return
        elif url.path == wire.STATEMENT_PATH:
            try:
                day = dt.date.fromisoformat(query.get("day", ""))
            except ValueError:
                self._problem(422, "day must be YYYY-MM-DD")
                return
            transactions = self.server.book.statement(day)
            self._answer(200, {"day": day.isoformat(), "transactions": transactions})
        elif url.path.startswith(f"{wire.ORDERS_PATH}/"):
            found = self.server.book.order(unquote(url.path.removeprefix(f"{wire.ORDERS_PATH}/")))
            if found is None:
                self._problem(404, "no order with this reference")
            else:
                self._answer(200, {k: v for k, v in found.items() if not k.endswith("_url")})
        else:
            self._problem(404, f"no such endpoint: {url.path}")

    def _pay_page(self, reference: str) -> None:
        found = self.server.book.order(reference)
        if found is None:
            self._problem(404, "no order with this reference")
            return
        page = (
            "<!doctype html><html lang='vi'><meta charset='utf-8'><title>Thanh toán</title>"
            f"<h1>Thanh toán {found['amount_vnd']:,} đồng</h1>"
            f"<p>Mã thanh toán: {html.escape(reference)}</p>"
            f"<form method='post' action='{wire.PAY_PAGE_PATH}/{quote(reference)}'>"
            "<label>Người nộp <input name='payer'></label>"
            "<button type='submit'>Thanh toán</button></form></html>"
        )
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path.startswith(f"{wire.PAY_PAGE_PATH}/"):
            if (body := self._body()) is None:
                return
            payer = parse_qs(body.decode("utf-8", "replace")).get("payer", [""])[-1]
            reference = unquote(path.removeprefix(f"{wire.PAY_PAGE_PATH}/"))
            if (paid := self._pay(reference, payer)) is not None:
                self._send(303, b"", "text/plain", Location=paid["return_url"] or "/")
            return
        if not self._authorised() or (body := self._body()) is None:
            return
        if path == wire.ORDERS_PATH:
            self._open_order(body)
        elif path.startswith(f"{wire.ORDERS_PATH}/") and path.endswith("/pay"):
            reference = unquote(path.removeprefix(f"{wire.ORDERS_PATH}/").removesuffix("/pay"))
            payer = ""
            with contextlib.suppress(ValueError, AttributeError):
                payer = json.loads(body or b"{}").get("payer", "")
            if (paid := self._pay(reference, str(payer or ""))) is not None:
                self._answer(200, {k: v for k, v in paid.items() if not k.endswith("_url")})
        else:
            self._problem(404, f"no such endpoint: {path}")

    def _pay(self, reference: str, payer: str) -> dict[str, Any] | None:
        try:
            before = self.server.book.order(reference)
            paid = self.server.book.pay(reference, payer)
        except Rejected as refused:
            self._problem(refused.status, refused.detail)
            return None
        if before is not None and before["status"] == wire.OPEN:
            self.server.confirm(paid)  # only a payment made now is confirmed
        return paid

    def _open_order(self, body: bytes) -> None:
        try:
            order = parse_order(body)
        except Rejected as refused:
            self._problem(refused.status, refused.detail)
            return
        go_on = self._faults_before_writing()
        if go_on is False:
            return
        try:
            new = self.server.book.open_order(order)
        except Rejected as refused:
            self._problem(refused.status, refused.detail)
            return
        if go_on is None:
            return  # applied, and the answer is lost
        host, port = self.server.server_address[:2]
        self._answer(
            201 if new else 200,
            {
                "reference": order["reference"],
                "amount_vnd": order["amount_vnd"],
                "status": wire.OPEN,
                "pay_url": f"http://{host}:{port}{wire.PAY_PAGE_PATH}/{quote(order['reference'])}",
            },
        )


def make_server(
    state: str | Path,
    faults: Faults = Faults(),  # frozen: one shared default is harmless
    *,
    secret: str,
    host: str = "127.0.0.1",
    port: int = 0,
    seed: int | None = None,
    token: str = "",
    quiet: bool = True,
) -> GatewayServer:
    """A gateway simulator bound to ``host:port`` (0: any free port), not yet serving."""
    if not secret:
        raise ValueError("the gateway signs its confirmations: give it a secret")
    return GatewayServer(
        (host, port), Book(state), faults, secret=secret, seed=seed, token=token, quiet=quiet
    )
