"""Office sessions written as text, ``[["07:30", "11:30"], ["13:30", "17:30"]]`` (pure)."""

import datetime as dt

from haicap.calendar.workdays import MICROS_PER_HOUR, Session, WorkCalendar

WORKING_DAY_MICROS = 8 * MICROS_PER_HOUR  # convention 1: one working day is 8 working hours


class SessionsError(ValueError):
    pass


def parse_sessions(raw: object) -> tuple[Session, ...]:
    if not isinstance(raw, list) or not raw:
        raise SessionsError("office hours are a list of [start, end] sessions")
    sessions = []
    for item in raw:
        if not (isinstance(item, list | tuple) and len(item) == 2):
            raise SessionsError(f"{item!r} is not a [start, end] pair")
        try:
            start, end = (dt.time.fromisoformat(str(part)) for part in item)
        except ValueError as error:
            raise SessionsError(f"{item!r}: times are written HH:MM") from error
        sessions.append(Session(start, end))
    try:
        calendar = WorkCalendar(sessions)
    except ValueError as error:
        raise SessionsError(str(error)) from error
    if calendar.day_micros != WORKING_DAY_MICROS:
        hours = calendar.day_micros / 3_600_000_000
        raise SessionsError(f"a working day is 8 working hours, these sessions make {hours:g}")
    return tuple(sessions)
