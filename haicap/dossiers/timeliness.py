"""Whether a dossier was early, on time or late, and what remains of its legal time (pure).

``domain.md``, convention 6: *early* = finished on a working day before the due date;
*on time* = finished on the due date at or before the due moment; *late* = finished after the
due moment. An open dossier is *overdue* once the due moment has passed.
"""

import datetime as dt
from enum import StrEnum

from haicap.calendar.workdays import WorkCalendar


class Timeliness(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


def classify(finished_at: dt.datetime, due_at: dt.datetime, zone: dt.tzinfo) -> Timeliness:
    if finished_at > due_at:
        return Timeliness.LATE
    if finished_at.astimezone(zone).date() < due_at.astimezone(zone).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def shift_by_pause(
    calendar: WorkCalendar, due_at: dt.datetime, paused_at: dt.datetime, resumed_at: dt.datetime
) -> dt.datetime:
    """A deadline once a paused clock runs again: later by the working time the pause took.

    Shifting (rather than counting what was left from the resume) keeps lateness: a dossier
    paused after its due moment is still late by as much as before.
    """
    paused = calendar.working_micros(paused_at, resumed_at)
    return calendar.advance(due_at, paused) if paused else due_at
