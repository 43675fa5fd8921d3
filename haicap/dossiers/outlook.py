"""When the deadline sweep has something to do for a running dossier (pure: no Django).

``outlook`` says whether to warn the handler and to draft form 04 now, and the first moment
after which either could be due, so the sweep need not look at the dossier again before then.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from haicap.calendar.workdays import WorkCalendar

WARN_WITHIN = Decimal(1)  # working days left when the assignee is warned
DRAFT_APOLOGY_WITHIN = Decimal(2)  # working days left when form 04 is drafted


@dataclass(frozen=True)
class Outlook:
    """What is due for a running dossier at a moment, and when something next could be."""

    warn: bool
    draft: bool
    look_again_at: dt.datetime | None  # None: nothing more, whatever the time (past due)


def since_left(calendar: WorkCalendar, due_at: dt.datetime, days: Decimal) -> dt.datetime:
    """The earliest moment from which at most ``days`` working days are left until ``due_at``.

    Walked back from the due moment session by session. Working time left does not change
    outside office hours, so when the amount is used up exactly at a session's start the
    moment is the end of the session before.
    """
    remaining = int((days * calendar.day_micros).to_integral_value())
    zone = calendar.zone
    latest = due_at.astimezone(zone)
    day = latest.date()
    for _ in range(3660):  # as the calendar's own walks: no ten years without a working day
        if calendar.is_working_day(day):
            for session in reversed(calendar.sessions):
                start = dt.datetime.combine(day, session.start, tzinfo=zone)
                end = min(dt.datetime.combine(day, session.end, tzinfo=zone), latest)
                if end <= start:
                    continue
                available = (end - start) // dt.timedelta(microseconds=1)
                if remaining < available:
                    return end - dt.timedelta(microseconds=remaining)
                remaining -= available
        day -= dt.timedelta(days=1)
    raise ValueError("no working day within ten years")


def outlook(
    calendar: WorkCalendar, now: dt.datetime, due_at: dt.datetime, *, warned: bool, may_draft: bool
) -> Outlook:
    """Whether to warn and to draft form 04 now, and the first moment after which either could
    be due (or the due moment, when neither ever will be for this due moment).

    ``may_draft``: no draft yet and no new appointment given (then form 04 was sent already).
    """
    if due_at < now:
        return Outlook(False, False, None)
    left = calendar.elapsed(now, due_at)
    last_draft = calendar.close_of_day_before(due_at)
    warn = not warned and left <= WARN_WITHIN
    # Form 04 must go out by the close of the last working day before the due date
    # (domain.md section 7, convention 7): a draft is useful from two working days ahead
    # until then, never later.
    draft = may_draft and left <= DRAFT_APOLOGY_WITHIN and now <= last_draft
    later = [due_at]
    if not warned and not warn:
        later.append(since_left(calendar, due_at, WARN_WITHIN))
    if may_draft and not draft and now <= last_draft:
        opens = since_left(calendar, due_at, DRAFT_APOLOGY_WITHIN)
        if opens <= last_draft:
            later.append(opens)
    return Outlook(warn, draft, min(later))
