"""Reads of the calendar: the working calendar in force for a unit."""

from haicap.calendar.models import CalendarChange, OfficeHours
from haicap.calendar.sessions import parse_sessions
from haicap.calendar.workdays import STANDARD_SESSIONS, WorkCalendar
from haicap.units.models import AdministrativeUnit


def calendar_for(unit: AdministrativeUnit | None = None) -> WorkCalendar:
    """Vietnam's holidays, the province's declared changes and the unit's office hours.

    The calendar is public information (citizens check appointment dates with it), so this
    read needs no user.
    """
    days_off, working_days = [], []
    for date, kind in CalendarChange.objects.values_list("date", "kind"):
        (days_off if kind == CalendarChange.Kind.DAY_OFF else working_days).append(date)
    sessions = STANDARD_SESSIONS
    if unit is not None:
        hours = OfficeHours.objects.filter(unit=unit).first()
        if hours is not None:
            sessions = parse_sessions(hours.sessions)
    return WorkCalendar.national(sessions, days_off, working_days)
