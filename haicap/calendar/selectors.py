"""Reads of the calendar: the working calendar in force for a unit."""

import datetime as dt

from haicap.calendar.models import CalendarChange, OfficeHours
from haicap.calendar.sessions import parse_sessions
from haicap.calendar.workdays import STANDARD_SESSIONS, WorkCalendar
from haicap.units.models import AdministrativeUnit


def calendar_for(unit: AdministrativeUnit | None = None) -> WorkCalendar:
    """Vietnam's holidays, the province's declared changes and the unit's office hours.

    The calendar is public information (citizens check appointment dates with it), so this
    read needs no user.
    """
    days_off, working_days = _declared_changes()
    sessions = STANDARD_SESSIONS
    if unit is not None:
        hours = OfficeHours.objects.filter(unit=unit).first()
        if hours is not None:
            sessions = parse_sessions(hours.sessions)
    return WorkCalendar.national(sessions, days_off, working_days)


def calendars_for_units(unit_ids: set[int]) -> dict[int | None, WorkCalendar]:
    """The calendar of each unit in two queries, whatever their number (lists and queues).

    Units without their own office hours share the standard calendar, kept under ``None``.
    """
    days_off, working_days = _declared_changes()
    calendars: dict[int | None, WorkCalendar] = {
        None: WorkCalendar.national(STANDARD_SESSIONS, days_off, working_days)
    }
    if unit_ids:
        for unit_id, sessions in OfficeHours.objects.filter(unit_id__in=unit_ids).values_list(
            "unit_id", "sessions"
        ):
            calendars[unit_id] = WorkCalendar.national(
                parse_sessions(sessions), days_off, working_days
            )
    return calendars


def _declared_changes() -> tuple[list[dt.date], list[dt.date]]:
    """The province's declared days off and make-up working days."""
    days_off, working_days = [], []
    for date, kind in CalendarChange.objects.values_list("date", "kind"):
        (days_off if kind == CalendarChange.Kind.DAY_OFF else working_days).append(date)
    return days_off, working_days
