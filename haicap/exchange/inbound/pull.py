"""Pulling the filings waiting in the national portal's queue, each received exactly once.

``GET {HAICAP_NATIONAL_PORTAL_URL}/api/v1/queue?after=<cursor>`` answers
``{"items": [<filing>, ...], "next": <cursor>}``; each filing is received through the same
``receive_filing`` as the webhook, then acknowledged with
``POST .../api/v1/queue/<national_id>/ack``.

The cursor is kept in a file under ``VAR_DIR`` (``exchange/dvcqg-queue.cursor``), written
after every item of a page was received and acknowledged. The cursor only saves work: receipt is
deduplicated by national id, so a lost or old cursor (another host, a restored disk) makes the
next pull fetch filings again, which are recognised and acknowledged again, never received twice.
An acknowledgement that fails stops the round before the cursor moves, so the portal offers the
filing again and it is acknowledged next time.
"""

import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings

from haicap.core.errors import InvalidInput
from haicap.exchange.inbound import parsing
from haicap.exchange.inbound.http import Unreachable, number_setting, request_json, setting
from haicap.exchange.inbound.services import Outcome, receive_filing

logger = logging.getLogger(__name__)

QUEUE_PATH = "/api/v1/queue"
# The acknowledgement of a repeat held for an operator (the portal's logs are in English).
_HELD_REASON = "sent again with other content under a received national id: held for an operator"
MAX_PAGES = 1000  # one round stops there even if the portal keeps answering
DEFAULT_TIMEOUT_SECONDS = 10.0


class NotConfigured(Exception):
    """No address of the national portal is set."""


@dataclass
class PullReport:
    received: int = 0
    duplicates: int = 0
    refused: int = 0
    held: int = 0
    unreadable: int = 0
    acknowledged: int = 0
    pages: int = 0
    problems: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> None:
        if outcome.held is not None:
            self.held += 1
        elif not outcome.first_time:
            self.duplicates += 1
        elif outcome.received:
            self.received += 1
        else:
            self.refused += 1

    def __str__(self) -> str:
        return (
            f"{self.received} received, {self.refused} refused, {self.duplicates} already "
            f"known, {self.held} held for an operator, {self.unreadable} unreadable, "
            f"{self.acknowledged} acknowledged "
            f"({self.pages} pages)"
        )


def cursor_path() -> Path:
    return Path(settings.VAR_DIR) / "exchange" / "dvcqg-queue.cursor"


def read_cursor() -> str:
    try:
        return cursor_path().read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def save_cursor(cursor: str) -> None:
    """Replace the cursor file in one step: a crash leaves the old cursor or the new one."""
    path = cursor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".cursor-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(cursor)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _portal() -> tuple[str, dict[str, str], float]:
    base = setting("HAICAP_NATIONAL_PORTAL_URL")
    if not base:
        raise NotConfigured("HAICAP_NATIONAL_PORTAL_URL is not set")
    headers = {}
    if token := setting("HAICAP_NATIONAL_PORTAL_TOKEN"):
        headers["Authorization"] = f"Bearer {token}"
    timeout = number_setting("HAICAP_NATIONAL_PORTAL_TIMEOUT", DEFAULT_TIMEOUT_SECONDS)
    return base.rstrip("/"), headers, timeout


def pull_once() -> PullReport:
    """Receive and acknowledge everything waiting now.

    Raises ``Unreachable`` when the portal fails mid-round (what was done stays done) and
    ``NotConfigured`` without an address.
    """
    base, headers, timeout = _portal()
    report = PullReport()
    cursor = read_cursor()
    for _page in range(MAX_PAGES):
        reply = request_json(
            "GET",
            f"{base}{QUEUE_PATH}?{urlencode({'after': cursor})}",
            timeout=timeout,
            headers=headers,
        )
        data = reply.data
        if reply.status != 200 or not isinstance(data, dict):
            raise Unreachable(f"the queue answered HTTP {reply.status} without a page")
        items, following = data.get("items"), data.get("next")
        if not isinstance(items, list) or not (following is None or isinstance(following, str)):
            raise Unreachable("the queue's page has no list of items or a bad cursor")
        report.pages += 1
        for item in items:
            _take(item, base, headers, timeout, report)
        if not items or not following or following == cursor:
            if following and following != cursor:
                save_cursor(following)
            break
        save_cursor(following)
        cursor = following
    return report


def _take(item: object, base: str, headers: dict[str, str], timeout: float, report: PullReport):
    try:
        outcome = receive_filing(item)
    except InvalidInput as error:
        # Without a national id it cannot be recorded nor acknowledged: the portal keeps it.
        report.unreadable += 1
        report.problems.append(error.detail)
        logger.warning("national queue: unreadable item skipped: %s", error.detail)
        return
    report.count(outcome)
    record = outcome.record
    national_id = parsing.national_id_of(item)
    ack = request_json(
        "POST",
        f"{base}{QUEUE_PATH}/{quote(national_id, safe='')}/ack",
        timeout=timeout,
        headers=headers,
        body={
            "national_id": national_id,
            "status": "held" if outcome.held else record.status,
            "dossier_code": record.dossier.code if record.dossier else None,
            "reason": _HELD_REASON if outcome.held else record.reason,
        },
    )
    # 404/409: the portal no longer holds it as waiting (an earlier ack did arrive).
    if not (200 <= ack.status < 300 or ack.status in (404, 409)):
        raise Unreachable(f"the acknowledgement of {national_id} was answered HTTP {ack.status}")
    report.acknowledged += 1
