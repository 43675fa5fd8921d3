"""Reads of the desk's home: the dossiers' own reads gathered for one page."""

import datetime as dt
from decimal import Decimal

from haicap.accounts.models import User
from haicap.calendar.selectors import calendar_for
from haicap.desk.timing import Timed, timed_lists
from haicap.dossiers import selectors
from haicap.dossiers.selectors import QUEUE_ROWS


def approaching_until(now: dt.datetime) -> dt.datetime:
    """One working day from now: a running dossier due by then is approaching its due moment."""
    return calendar_for(None).add(now, Decimal(1), "working_days")


def home_queues(user: User, now: dt.datetime) -> tuple[dict[str, int], dict[str, list[Timed]], int]:
    """Each work queue's count and its first ``QUEUE_ROWS`` rows with their time left (one
    calendar read for all), and how many online submissions wait for the user's desk."""
    queues, counts = selectors.counted_work_queues(user, now, approaching_until(now))
    rows = timed_lists({name: queue[:QUEUE_ROWS] for name, queue in queues.items()}, now)
    return counts, rows, selectors.pending_submissions(user).count()
