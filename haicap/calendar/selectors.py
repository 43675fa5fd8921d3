"""Reads of the calendar: the working calendar in force for a unit."""

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection

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
    read needs no user. One statement reads the declared days and the unit's hours; the
    calendar built from them is kept for the process, keyed by what was read, so a change an
    administrator saves in any process is seen by the next read in every process.
    """
    changes = CalendarChange._meta.db_table
    hours = OfficeHours._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT date, kind, NULL FROM {changes} UNION ALL "  # noqa: S608 (table names)
            f"SELECT NULL, NULL, sessions FROM {hours} WHERE unit_id = %s",
            [unit.pk if unit is not None else None],
        )
        rows = cursor.fetchall()
    key = tuple(sorted((str(date), kind) for date, kind, _ in rows if kind is not None))
    raw_sessions = next((raw for _, kind, raw in rows if kind is None), None)
    key += (json.dumps(raw_sessions) if not isinstance(raw_sessions, str) else raw_sessions,)
    calendar = _built.get(key)
    if calendar is None:
        if len(_built) >= _BUILT_KEPT:
            _built.clear()
        calendar = _built[key] = _calendar_of(key)
    return calendar


_BUILT_KEPT = 256  # distinct (declared days, office hours) pairs: one a unit with its own hours
_built: dict[tuple, WorkCalendar] = {}


def _calendar_of(key: tuple) -> WorkCalendar:
    """The calendar of a key ``calendar_for`` made: the declared days, then the hours."""
    *declared, raw_sessions = key
    sessions = json.loads(raw_sessions)
    return _declared_from(
        (dt.date.fromisoformat(date[:10]), kind) for date, kind in declared
    ).calendar(parse_sessions(sessions) if sessions is not None else STANDARD_SESSIONS)


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
    return _declared_from(CalendarChange.objects.values_list("date", "kind"))


def _declared_from(changes: Iterable[tuple[dt.date, str]]) -> _Declared:
    """The declared days grouped by kind."""
    lists: dict[str, list[dt.date]] = {kind: [] for kind in CalendarChange.Kind.values}
    for date, kind in changes:
        lists[kind].append(date)
    Kind = CalendarChange.Kind
    return _Declared(
        lists[Kind.DAY_OFF], lists[Kind.WORKING_DAY], lists[Kind.CONFIRMED], lists[Kind.REMOVED]
    )
