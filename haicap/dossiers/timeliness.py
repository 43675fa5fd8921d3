"""Whether a dossier was early, on time or late, and what remains of its legal time (pure).

``domain.md``, convention 6: *early* = finished on a working day before the due date;
*on time* = finished on the due date at or before the due moment; *late* = finished after the
due moment. An open dossier is *overdue* once the due moment has passed.
"""

import datetime as dt
from enum import StrEnum

from haicap.calendar.workdays import WHOLE_WORKING_DAYS, WorkCalendar


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
    calendar: WorkCalendar,
    due_at: dt.datetime,
    paused_at: dt.datetime,
    resumed_at: dt.datetime,
    legal_unit: str = "",
) -> dt.datetime:
    """A deadline once a paused clock runs again: later by the working time the pause took.

    Shifting (rather than counting what was left from the resume) keeps lateness: a dossier
    paused after its due moment is still late by as much as before.

    A limit in ``whole_working_days`` ends at a day's close, and so it still does after a pause:
    the deadline moves by the paused working time, then on to the close of the working day it
    lands on. Two hours paused on a same-day dossier due Monday 17:30 make it due Tuesday
    17:30, not Tuesday 09:30: the law counts such limits in whole days (Decree 23/2015 Art. 7),
    the applicant's wait must not cost the agency working time, and rounding up to the close
    never takes any from it. (The rule is haicap's: the texts read say nothing of pauses in
    same-day procedures.)
    """
    paused = calendar.working_micros(paused_at, resumed_at)
    if not paused:
        return due_at
    shifted = calendar.advance(due_at, paused)
    if legal_unit == WHOLE_WORKING_DAYS:
        return calendar.close_of_working_day(shifted)
    return shifted
