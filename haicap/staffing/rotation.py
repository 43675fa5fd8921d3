"""When a one-stop desk posting must rotate, and when a secondment ends soon (pure: no Django).

Decree 118/2025/NĐ-CP, Art. 11: officers at a one-stop desk (the Public Administration Service
Centre) are posted there for 12 to 36 months at a time, then rotated. Twelve months is the
shortest posting, not a deadline: between 12 and 36 months the province rotates an officer when
it suits it, and haicap says nothing. Thirty-six months is the limit, so haicap warns:

- **due for rotation** from ``warn_days`` days before the posting reaches 36 months (the
  province's ``STAFFING_WARNING_DAYS``, 30 by default: the time to arrange a successor);
- **past the limit** from the day it reaches 36 months (``rotation_limit``), until it ends.

A posting with an end date (``posted_until``) that has passed is over and never warned about.
The same ``warn_days`` names the secondments ending soon: those whose last day is at most that
many days away.
"""

import calendar
import datetime as dt
from enum import StrEnum

DESK_POSTING_MIN_MONTHS = 12
DESK_POSTING_MAX_MONTHS = 36
# 36 months are never fewer days than this (three years of 365, a short February's clamp
# included): postings that began later are not near their limit yet.
SHORTEST_LIMIT_DAYS = 1095


class Rotation(StrEnum):
    DUE = "due"  # the limit is at most ``warn_days`` days away
    PAST = "past"  # the posting has lasted 36 months or more


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it is shorter (31 January plus
    one month is 28 or 29 February)."""
    if months < 0:
        raise ValueError("months are counted forwards")
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rotation_limit(posted_from: dt.date) -> dt.date:
    """The day a desk posting that began on ``posted_from`` reaches 36 months."""
    return add_months(posted_from, DESK_POSTING_MAX_MONTHS)


def latest_start_warned(today: dt.date, warn_days: int) -> dt.date:
    """No desk posting that began after this day is due for rotation on ``today``."""
    return today + dt.timedelta(days=warn_days - SHORTEST_LIMIT_DAYS)


def desk_rotation(
    posted_from: dt.date, posted_until: dt.date | None, today: dt.date, warn_days: int
) -> Rotation | None:
    """Whether a desk posting is due for rotation or past its limit on ``today`` (None: neither,
    or the posting is over)."""
    if warn_days < 0:
        raise ValueError("warn_days counts days ahead: 0 or more")
    if posted_from > today or (posted_until is not None and posted_until < today):
        return None
    limit = rotation_limit(posted_from)
    if today >= limit:
        return Rotation.PAST
    if (limit - today).days <= warn_days:
        return Rotation.DUE
    return None


def ends_soon(start: dt.date, end: dt.date, today: dt.date, warn_days: int) -> bool:
    """A secondment running on ``today`` whose last day (``end``) is at most ``warn_days`` away."""
    if warn_days < 0:
        raise ValueError("warn_days counts days ahead: 0 or more")
    return start <= today <= end and (end - today).days <= warn_days
