"""The wire contract with the national public-service portal: its paths, its headers and the
body haicap sends (pure: no Django).

haicap's adapter (``connector.py``) and its delivery loop speak it; the portal simulator
answers it, so the two cannot drift apart. The full description of each endpoint is in the
simulator's docstring.
"""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from haicap.exchange.comparison import digest

__all__ = [
    "EVENTS_PATH",
    "HEALTH_PATH",
    "IDEMPOTENCY_HEADER",
    "MESSAGES_PATH",
    "SUMMARY_PATH",
    "day_of",
    "digest",
    "envelope",
    "event_at",
]

EVENTS_PATH = "/api/v1/dossier-events"
MESSAGES_PATH = "/api/v1/messages"
SUMMARY_PATH = "/api/v1/summary"
HEALTH_PATH = "/api/v1/health"
IDEMPOTENCY_HEADER = "Idempotency-Key"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def event_at(payload: dict[str, Any]) -> str | None:
    """When the event a payload reports happened (``event.at``), as the payload spells it."""
    event = payload.get("event")
    at = event.get("at") if isinstance(event, dict) else None
    return at if isinstance(at, str) else None


def day_of(at: str) -> dt.date:
    """The Vietnam date of a moment: the day both sides file a message under."""
    moment = dt.datetime.fromisoformat(at)
    if moment.tzinfo is None:  # a moment without an offset is read as Vietnam time
        moment = moment.replace(tzinfo=VIETNAM)
    return moment.astimezone(VIETNAM).date()


def envelope(
    *, kind: str, stream: str, position: int, at: str | None, payload: dict[str, Any]
) -> dict[str, Any]:
    """The body of ``POST /api/v1/dossier-events``.

    ``at`` is sent beside the payload because a receiver's payload format may move or rename
    ``event.at``; the day a message is filed under must not depend on that.
    """
    return {"kind": kind, "stream": stream, "position": position, "at": at, "payload": payload}
