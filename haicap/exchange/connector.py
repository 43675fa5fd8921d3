"""One interface for the national systems haicap sends to, and its HTTP adapter for the national
public-service portal (the real one or ``simulate_national_portal``, by configuration).

A connector never decides what to do about a failure: it says what happened (``Ack``,
``TransientFailure``, ``PermanentFailure``) and the delivery loop decides (retry later, give
up). Reads for reconciliation raise ``ConnectorError`` (an ``OSError``) when the system
cannot be reached or answers nonsense.

Settings (read from the environment when ``settings.py`` does not set them):

- ``HAICAP_NATIONAL_PORTAL_URL``: base URL, e.g. ``https://api.dichvucong.gov.vn/haicap`` or
  ``http://127.0.0.1:8901`` for the simulator (the default);
- ``HAICAP_NATIONAL_PORTAL_TOKEN``: bearer token sent as ``Authorization`` (none when empty);
- ``HAICAP_NATIONAL_PORTAL_TIMEOUT``: seconds to wait on the network per request (10).
"""

import datetime as dt
import http.client
import json
import os
import ssl
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.utils.translation import gettext as _

from haicap.exchange import wire
from haicap.exchange.comparison import Entry
from haicap.exchange.messages import NATIONAL_PORTAL

USER_AGENT = "haicap-exchange/1"
EXPLANATION_LIMIT = 2000  # a receiver's explanation is kept, not its whole error page


@dataclass(frozen=True)
class Outgoing:
    """One message as it leaves haicap: the receiver applies it once per idempotency key."""

    idempotency_key: str
    kind: str
    stream: str
    position: int
    at: str | None
    payload: dict[str, Any]


@dataclass(frozen=True)
class Ack:
    duplicate: bool = False  # the receiver had applied it before (a retry of a lost answer)
    receipt: str = ""


@dataclass(frozen=True)
class TransientFailure:
    """Worth trying again later: the network, a timeout, the receiver's own trouble."""

    reason: str
    retry_after: float | None = None  # the receiver asked for at least this many seconds


@dataclass(frozen=True)
class PermanentFailure:
    """The receiver refused the message itself; sending it again would be refused again."""

    reason: str


Outcome = Ack | TransientFailure | PermanentFailure


@dataclass(frozen=True)
class RemoteMessage:
    idempotency_key: str
    stream: str
    position: int
    kind: str


@dataclass(frozen=True)
class RemoteSummary:
    count: int
    digest: str
    order_violations: int


class ConnectorError(OSError):
    """A national system could not be read."""


class Connector(ABC):
    """What haicap needs from a national system that receives dossier events."""

    target: str

    @abstractmethod
    def send(self, message: Outgoing) -> Outcome:
        """Deliver one message; never raises for the network or the receiver's answer."""

    @abstractmethod
    def messages(self, day: dt.date) -> list[RemoteMessage]:
        """What the receiver applied for ``day`` (the Vietnam date of each event)."""

    @abstractmethod
    def summary(self, day: dt.date) -> RemoteSummary:
        """The receiver's count and digest for ``day``."""


def classify(status: int, explanation: str, retry_after: float | None = None) -> Outcome | None:
    """What an HTTP status means for a message; ``None`` for success (2xx)."""
    if 200 <= status < 300:
        return None
    reason = _("HTTP %(status)s from the receiver: %(explanation)s") % {
        "status": status,
        "explanation": explanation or http.client.responses.get(status, ""),
    }
    # 408 and 429 say "not now"; every other 4xx says "not this message".
    if 400 <= status < 500 and status not in (408, 429):
        return PermanentFailure(reason)
    return TransientFailure(reason, retry_after)


def _explanation(body: bytes) -> str:
    """The receiver's own words: a problem+json ``detail`` or ``title``, else the body's start."""
    text = body.decode("utf-8", errors="replace").strip()
    try:
        parsed = json.loads(text)
    except ValueError:
        return text[:EXPLANATION_LIMIT]
    if isinstance(parsed, dict):
        for field in ("detail", "title", "message", "error"):
            if isinstance(parsed.get(field), str) and parsed[field]:
                return parsed[field][:EXPLANATION_LIMIT]
    return text[:EXPLANATION_LIMIT]


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:  # an HTTP date: rare enough to fall back on our own backoff
        return None


class HttpNationalPortal(Connector):
    """The national public-service portal over HTTP(S), one connection per request.

    A fresh connection per request means an answer can only belong to its own request: a
    receiver that answers twice, or answers late, cannot make one message's answer look like
    another's.
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str = "",
        timeout: float = 10.0,
        target: str = NATIONAL_PORTAL,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {base_url!r}")
        self.target = target
        self.base_url = base_url
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._prefix = parts.path.rstrip("/")
        self._token = token
        self.timeout = timeout

    def _connection(self) -> http.client.HTTPConnection:
        if self._https:
            return http.client.HTTPSConnection(
                self._host,
                self._port,
                timeout=self.timeout,
                context=ssl.create_default_context(),
            )
        return http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **(extra or {})}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        return headers

    def _request(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes, str | None]:
        """(status, body, Retry-After); raises OSError or http.client.HTTPException."""
        connection = self._connection()
        try:
            connection.request(method, self._prefix + path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read(), response.getheader("Retry-After")
        finally:
            connection.close()

    def send(self, message: Outgoing) -> Outcome:
        body = json.dumps(
            wire.envelope(
                kind=message.kind,
                stream=message.stream,
                position=message.position,
                at=message.at,
                payload=message.payload,
            ),
            ensure_ascii=False,
        ).encode()
        headers = self._headers(
            {
                "Content-Type": "application/json; charset=utf-8",
                wire.IDEMPOTENCY_HEADER: message.idempotency_key,
            }
        )
        try:
            status, answer, retry_after = self._request("POST", wire.EVENTS_PATH, body, headers)
        except TimeoutError:
            return TransientFailure(
                _("No answer within %(seconds)s s.") % {"seconds": self.timeout}
            )
        except (OSError, http.client.HTTPException) as error:
            # Refused, reset, closed without an answer (a lost acknowledgement): the message
            # may or may not have been applied; the idempotency key makes a retry safe.
            return TransientFailure(
                _("Connection failed: %(error)s")
                % {"error": str(error) or error.__class__.__name__}
            )
        failure = classify(status, _explanation(answer), _retry_after(retry_after))
        if failure is not None:
            return failure
        return self._acknowledgement(message, answer)

    def _acknowledgement(self, message: Outgoing, answer: bytes) -> Outcome:
        try:
            parsed = json.loads(answer) if answer.strip() else {}
        except ValueError:
            parsed = {}
        if not isinstance(parsed, dict):
            parsed = {}
        # A receiver that names the key it acknowledges must name ours.
        named = parsed.get("idempotency_key")
        if named is not None and str(named) != message.idempotency_key:
            return TransientFailure(
                _("The receiver acknowledged another message (%(key)s).") % {"key": named}
            )
        return Ack(
            duplicate=bool(parsed.get("duplicate")) or parsed.get("status") == "duplicate",
            receipt=str(parsed.get("receipt", "")),
        )

    def _get(self, path: str, query: dict[str, str]) -> Any:
        try:
            status, answer, _retry = self._request(
                "GET", f"{path}?{urlencode(query)}", None, self._headers()
            )
        except (OSError, http.client.HTTPException) as error:
            raise ConnectorError(
                _("%(target)s cannot be reached: %(error)s")
                % {"target": self.target, "error": str(error) or error.__class__.__name__}
            ) from error
        if status != 200:
            raise ConnectorError(
                _("%(target)s answered HTTP %(status)s: %(explanation)s")
                % {"target": self.target, "status": status, "explanation": _explanation(answer)}
            )
        try:
            return json.loads(answer)
        except ValueError as error:
            raise ConnectorError(
                _("%(target)s answered something that is not JSON.") % {"target": self.target}
            ) from error

    def messages(self, day: dt.date) -> list[RemoteMessage]:
        found = self._get(wire.MESSAGES_PATH, {"day": day.isoformat()})
        try:
            return [
                RemoteMessage(
                    idempotency_key=str(item["idempotency_key"]),
                    stream=str(item["stream"]),
                    position=int(item["position"]),
                    kind=str(item["kind"]),
                )
                for item in found["messages"]
            ]
        except (KeyError, TypeError, ValueError) as error:
            raise ConnectorError(
                _("%(target)s listed messages in an unknown shape.") % {"target": self.target}
            ) from error

    def summary(self, day: dt.date) -> RemoteSummary:
        found = self._get(wire.SUMMARY_PATH, {"day": day.isoformat()})
        try:
            return RemoteSummary(
                count=int(found["count"]),
                digest=str(found["digest"]),
                order_violations=int(found.get("order_violations", 0)),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ConnectorError(
                _("%(target)s summarised in an unknown shape.") % {"target": self.target}
            ) from error


def _setting(name: str, default: str) -> str:
    from django.conf import settings

    return str(getattr(settings, name, os.environ.get(name, default)))


def connector_for(target: str) -> Connector:
    """The configured connector of a target system."""
    if target == NATIONAL_PORTAL:
        return HttpNationalPortal(
            _setting("HAICAP_NATIONAL_PORTAL_URL", "http://127.0.0.1:8901"),
            token=_setting("HAICAP_NATIONAL_PORTAL_TOKEN", ""),
            timeout=float(_setting("HAICAP_NATIONAL_PORTAL_TIMEOUT", "10")),
            target=target,
        )
    raise LookupError(f"no connector for target {target!r}")


def remote_entries(target: str, day: dt.date) -> list[Entry]:
    """What ``target`` holds for ``day``, as reconciliation compares it."""
    return [(m.stream, m.position, m.kind) for m in connector_for(target).messages(day)]
