"""Reads of the desk's home: the dossiers' own reads gathered for one page."""

import datetime as dt
from decimal import Decimal

from haicap.accounts.models import User
from haicap.calendar.selectors import calendar_for
from haicap.desk.timing import Timed, timed_lists
from haicap.dossiers import selectors


def approaching_until(now: dt.datetime) -> dt.datetime:
    """One working day from now: a running dossier due by then is approaching its due moment."""
    return calendar_for(None).add(now, Decimal(1), "working_days")


def home_queues(user: User, now: dt.datetime) -> tuple[dict[str, int], dict[str, list[Timed]], int]:
    """Each work queue's count and its first ``QUEUE_ROWS`` rows with their time left (one query
    for all the queues, one calendar read for all the rows), and how many online submissions
    wait for the user's desk."""
    counts, heads = selectors.queue_heads(user, now, approaching_until(now))
    return counts, timed_lists(heads, now), selectors.pending_submissions(user).count()
