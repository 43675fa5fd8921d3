"""Reads of the calendar: the working calendar in force for a unit."""

import datetime as dt
from dataclasses import dataclass

from haicap.calendar.models import CalendarChange, OfficeHours
from haicap.calendar.sessions import parse_sessions
from haicap.calendar.workdays import (
    PROVISIONAL_SOURCES,
    STANDARD_SESSIONS,
    CalendarDay,
    Session,
    WorkCalendar,
)
from haicap.units.models import AdministrativeUnit


def calendar_for(unit: AdministrativeUnit | None = None) -> WorkCalendar:
    """Vietnam's holidays, the province's declared changes and the unit's office hours.

    The calendar is public information (citizens check appointment dates with it), so this
    read needs no user.
    """
    declared = _declared_changes()
    sessions = STANDARD_SESSIONS
    if unit is not None:
        hours = OfficeHours.objects.filter(unit=unit).first()
        if hours is not None:
            sessions = parse_sessions(hours.sessions)
    return declared.calendar(sessions)


def calendars_for_units(unit_ids: set[int]) -> dict[int | None, WorkCalendar]:
    """The calendar of each unit in two queries, whatever their number (lists and queues).

    Units without their own office hours share the standard calendar, kept under ``None``.
    """
    declared = _declared_changes()
    calendars: dict[int | None, WorkCalendar] = {None: declared.calendar(STANDARD_SESSIONS)}
    if unit_ids:
        for unit_id, sessions in OfficeHours.objects.filter(unit_id__in=unit_ids).values_list(
            "unit_id", "sessions"
        ):
            calendars[unit_id] = declared.calendar(parse_sessions(sessions))
    return calendars


@dataclass(frozen=True)
class DayOfYear:
    """A day off or make-up working day as the calendar page lists it."""

    day: CalendarDay
    reason: str  # the province's reason or decision, when it has said something of the day

    @property
    def reviewable(self) -> bool:
        """A provisional day, or one the province already settled (it may change its word)."""
        return self.day.source in PROVISIONAL_SOURCES


def days_of_year(year: int) -> list[DayOfYear]:
    """Every day off and make-up working day of ``year``, where it comes from and its status.

    Public information, like ``calendar_for``: the calendar page and the due-date API read it.
    """
    reasons = dict(CalendarChange.objects.filter(date__year=year).values_list("date", "reason"))
    return [DayOfYear(day, reasons.get(day.date, "")) for day in calendar_for().days_of_year(year)]


@dataclass(frozen=True)
class _Declared:
    days_off: list[dt.date]
    working_days: list[dt.date]
    confirmed: list[dt.date]
    removed: list[dt.date]

    def calendar(self, sessions: tuple[Session, ...]) -> WorkCalendar:
        return WorkCalendar.national(
            sessions,
            self.days_off,
            self.working_days,
            confirmed_days=self.confirmed,
            removed_days=self.removed,
        )


def _declared_changes() -> _Declared:
    """The province's declared days off and make-up working days, and its word on provisional
    days off."""
    lists: dict[str, list[dt.date]] = {kind: [] for kind in CalendarChange.Kind.values}
    for date, kind in CalendarChange.objects.values_list("date", "kind"):
        lists[kind].append(date)
    Kind = CalendarChange.Kind
    return _Declared(
        lists[Kind.DAY_OFF], lists[Kind.WORKING_DAY], lists[Kind.CONFIRMED], lists[Kind.REMOVED]
    )
