"""The one place that reads the wall clock, so tests and jobs can reason about time."""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    """The current moment, timezone-aware (UTC inside; shown in Asia/Ho_Chi_Minh)."""
    return timezone.now()
