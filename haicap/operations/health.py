"""Whether haicap is healthy, judged from facts read elsewhere (pure: no Django).

Three checks: the database answers, the worker beat recently, and no outbox message has waited
undelivered too long. Each is "ok", "failing", or "unknown" (not read: the database is down).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

OK, FAILING, UNKNOWN = "ok", "failing", "unknown"


@dataclass(frozen=True)
class Facts:
    database: bool
    now: dt.datetime
    last_heartbeat: dt.datetime | None = None
    oldest_pending: dt.datetime | None = None  # the oldest outbox message not yet delivered


@dataclass(frozen=True)
class Limits:
    worker_seconds: int
    outbox_seconds: int


def _age(now: dt.datetime, moment: dt.datetime | None) -> int | None:
    return None if moment is None else max(0, int((now - moment).total_seconds()))


def judge(facts: Facts, limits: Limits) -> dict[str, Any]:
    """The health report: overall "ok" only when every check is."""
    if not facts.database:
        checks: dict[str, dict[str, Any]] = {
            "database": {"status": FAILING},
            "worker": {"status": UNKNOWN},
            "outbox": {"status": UNKNOWN},
        }
    else:
        beat_age = _age(facts.now, facts.last_heartbeat)
        waited = _age(facts.now, facts.oldest_pending) or 0
        checks = {
            "database": {"status": OK},
            "worker": {
                "status": OK
                if beat_age is not None and beat_age <= limits.worker_seconds
                else FAILING,
                "last_heartbeat_seconds_ago": beat_age,
                "limit_seconds": limits.worker_seconds,
            },
            "outbox": {
                "status": OK if waited <= limits.outbox_seconds else FAILING,
                "oldest_undelivered_seconds": waited,
                "limit_seconds": limits.outbox_seconds,
            },
        }
    healthy = all(check["status"] == OK for check in checks.values())
    return {"status": OK if healthy else "unavailable", "checks": checks}
