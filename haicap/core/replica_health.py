"""Is the read replica up and close enough behind the primary? Checked at most every few seconds
per process: the verdict is kept, so a dead replica costs one short connection attempt per
interval, not one per request."""

import logging
import threading
import time
from contextlib import suppress

from django.conf import settings
from django.db import DatabaseError, connections

from haicap.core.replica_lag import ReplicaState, lag_seconds, usable

logger = logging.getLogger(__name__)

REPLICA = "replica"

# pg_last_wal_receive_lsn() is NULL when no WAL receiver runs (then "caught up" is unknown).
LAG_SQL = """
SELECT pg_is_in_recovery(),
       COALESCE(pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(), false),
       EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8
"""

_lock = threading.Lock()
_verdict: tuple[bool, float] | None = None  # (usable, monotonic time it holds until)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def replica_usable() -> bool:
    """The kept verdict, or a new one when it is older than HAICAP_REPLICA_CHECK_SECONDS."""
    global _verdict
    now = time.monotonic()
    kept = _verdict
    if kept is not None and now < kept[1]:
        return kept[0]
    with _lock:
        verdict = _check()
        _verdict = (verdict, now + settings.REPLICA_CHECK_SECONDS)
    return verdict


def mark_down() -> None:
    """A read on the replica failed: read from the primary until the next check is due."""
    global _verdict
    _verdict = (False, time.monotonic() + settings.REPLICA_CHECK_SECONDS)
    _close_replica()


def forget() -> None:
    """Drop the kept verdict: the next read checks again."""
    global _verdict
    _verdict = None


def _check() -> bool:
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, caught_up, since = cursor.fetchone()
    except DatabaseError as error:
        logger.warning(
            "read replica unreachable, reading from the primary: %s", type(error).__name__
        )
        _close_replica()
        return False
    state = ReplicaState(bool(in_recovery), bool(caught_up), since)
    if usable(state, settings.REPLICA_MAX_LAG_SECONDS):
        return True
    logger.warning(
        "read replica behind by %s s (limit %s s), reading from the primary",
        lag_seconds(state),
        settings.REPLICA_MAX_LAG_SECONDS,
    )
    return False


def _close_replica() -> None:
    """A broken connection is not kept for the next request."""
    with suppress(DatabaseError):
        connections[REPLICA].close()
