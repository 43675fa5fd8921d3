"""The one place that reads the wall clock.

``fixed_at`` makes "now" a given moment for the code running inside it: for replaying history
(imports, rebuilding read models) and for tests that walk a dossier through dates.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_fixed: ContextVar[datetime | None] = ContextVar("haicap_fixed_now", default=None)


def now() -> datetime:
    """The current moment, timezone-aware (UTC inside; shown in Asia/Ho_Chi_Minh)."""
    return _fixed.get() or timezone.now()


@contextmanager
def fixed_at(moment: datetime) -> Iterator[datetime]:
    if moment.tzinfo is None:
        raise ValueError("a fixed moment must be timezone-aware")
    token = _fixed.set(moment)
    try:
        yield moment
    finally:
        _fixed.reset(token)
