"""Working-day arithmetic for legal deadlines (pure: no Django).

This is a public API: the dossier engine, the reports and outside tools rely on it.

Rules (``domain.md``, "haicap's conventions"):

* **Working days** are Monday to Friday, minus public holidays and declared days off, plus
  declared make-up working days (a Saturday worked in exchange for a bridge day).
  ``WorkCalendar.national()`` takes Vietnam's public holidays and the official swaps from the
  ``holidays`` package.
* **Office sessions** are the same on every working day; the national default is 07:30–11:30 and
  13:30–17:30. A session is half-open: 11:30 itself is already outside the morning session.
* **One working day** is the full set of sessions of a day (8 hours by default, so 1 working day
  is 8 working hours). Amounts may be fractional; they are resolved to the microsecond.
* **When the clock starts** (``clock_start``): a dossier received inside a session starts the
  clock at that moment; one received outside the sessions (before opening, at lunch, in the
  evening, on a weekend or holiday) starts at the opening of the next session. With a cut-off
  time (for example 15:00), a dossier received on a working day after the cut-off (15:00:00
  itself is still in time) starts at the opening of the next working day.
* **The due moment** (``add``) for ``working_days`` and ``working_hours`` is the clock start plus
  the amount counted in working time: 3 working days from Monday 10:00 is Thursday 10:00 when no
  holiday intervenes. It is the earliest moment at which that much working time has passed, so
  a period that uses up a session exactly ends at the session's close (1 working day from
  Monday 07:30 is Monday 17:30), never at the next opening.
* For ``whole_working_days`` (``domain.md`` section 7, convention 1) the period ends at the
  close of office hours of its n-th working day, day 1 being the day on which the clock starts:
  "within the day of receipt, or within the next working day if received after 15:00" (Decree
  23/2015 Art. 7(1); Law on Civil Status 2014) is ``n = 1`` with a 15:00 cut-off. Received
  Monday 09:00, it is due Monday 17:30, not Tuesday 09:00 as 1 working day counted in hours.
* For ``calendar_days`` the period starts the day after receipt and ends at the close of office
  hours on its last day; if that day is not a working day it ends at the close of the next
  working day (Civil Code Art. 147–148).
* ``elapsed`` counts working time between two moments, minus paused intervals, in working days.
  It knows nothing of cut-off times: measure from ``clock_start`` when one applies.

Where each day off comes from (``DaySource``) is kept beside the days: the Labour Code's
holidays (2019 Art. 112, compensatory days Art. 111(3)), a swap announced by a Government
notice, the province's own declaration, a package's estimate for a year whose schedule has not
been announced, and a policy not yet in the Labour Code (24 November, Vietnam Culture Day:
Resolution 80-NQ/TW, ``domain.md`` section 7). Estimates and policy days stay *provisional*
until the province confirms or removes them; due dates that cross one say so.

Datetimes must be timezone-aware; results are in the calendar's zone (Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from haicap.calendar import holiday_table

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MICROS_PER_HOUR = 3_600_000_000
WORKING_DAYS = "working_days"
WORKING_HOURS = "working_hours"
CALENDAR_DAYS = "calendar_days"
WHOLE_WORKING_DAYS = "whole_working_days"
UNITS = (WORKING_DAYS, WORKING_HOURS, CALENDAR_DAYS, WHOLE_WORKING_DAYS)


@dataclass(frozen=True, order=True)
class Session:
    """One office session of a working day, ``start`` inclusive, ``end`` exclusive."""

    start: dt.time
    end: dt.time

    @property
    def micros(self) -> int:
        return _micros_of_day(self.end) - _micros_of_day(self.start)


STANDARD_SESSIONS = (
    Session(dt.time(7, 30), dt.time(11, 30)),
    Session(dt.time(13, 30), dt.time(17, 30)),
)

HolidaySource = Callable[[int], "YearDays"]


class DaySource(StrEnum):
    """Where a day off (or a make-up working day) comes from."""

    LABOUR_CODE = "labour_code"  # Labour Code 2019 Art. 112, compensatory days Art. 111(3)
    GOVERNMENT_NOTICE = "government_notice"  # a swap the Government announced for the year
    PROVINCE = "province"  # the province's own declaration
    ESTIMATE = "estimate"  # a package's estimate for a year not yet announced
    POLICY = "policy"  # a policy not yet found in the Labour Code (24/11, Resolution 80-NQ/TW)


PROVISIONAL_SOURCES = frozenset({DaySource.ESTIMATE, DaySource.POLICY})


class DayStatus(StrEnum):
    IN_FORCE = "in_force"
    PROVISIONAL = "provisional"  # an estimate or a policy the province has not confirmed
    CONFIRMED = "confirmed"  # a provisional day the province confirmed
    REMOVED = "removed"  # a provisional day the province removed: the weekday rule applies


@dataclass(frozen=True)
class SourcedDay:
    """One day off or make-up working day of a holiday source, with where it comes from."""

    date: dt.date
    name: str
    source: DaySource
    working: bool = False  # a make-up working day rather than a day off


@dataclass(frozen=True)
class CalendarDay:
    """A day that differs from the plain Monday–Friday week, as the calendar in force has it."""

    date: dt.date
    name: str
    source: DaySource
    working: bool
    status: DayStatus

    @property
    def provisional(self) -> bool:
        return self.status is DayStatus.PROVISIONAL


@dataclass(frozen=True)
class YearDays:
    """A year's public holidays and the weekend days worked in exchange for bridge days."""

    holidays: frozenset[dt.date]
    make_up_working_days: frozenset[dt.date] = frozenset()
    sourced: tuple[SourcedDay, ...] = ()  # the same days, each with its source

    @property
    def provisional(self) -> frozenset[dt.date]:
        return frozenset(d.date for d in self.sourced if d.source in PROVISIONAL_SOURCES)


def _micros_of_day(t: dt.time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _micros(delta: dt.timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


# Labour Code 2019 Art. 112: the holidays whose date is fixed in the solar calendar. The others
# (Tết's five days, the day next to 2 September, compensatory days) are set or follow from the
# year's schedule, which the Government announces year by year.
FIXED_SOLAR_HOLIDAYS = frozenset({(1, 1), (4, 30), (5, 1), (9, 2)})
CULTURE_DAY = (11, 24)  # Resolution 80-NQ/TW (2026): a policy, not yet in Labour Code Art. 112


def last_announced_year() -> int:
    """The last year whose schedule the ``holidays`` package took from a Government notice.

    The package records each year's announced swaps (Office of Government letters, e.g.
    9859/VPCP-KGVX for 2026); for any later year its dates are computed rules: an estimate.
    """
    kept = holiday_table.table()
    return kept.last_announced_year if kept else holiday_table.last_announced_year_of_package()


@lru_cache(maxsize=256)
def vietnam_public_holidays(year: int) -> YearDays:
    """Vietnam's public holidays of ``year`` and its official make-up working days."""
    # The package's answer, from its table where it has the year (``holiday_table``). The
    # Vietnamese names are the Office of Government's; the page shows them as they are.
    kept = holiday_table.table()
    answer = kept.years.get(year) if kept else None
    if answer is None:
        answer = holiday_table.from_package(year)
    estimated_year = year > last_announced_year()
    sourced = []
    for day, name in answer.days:
        if (day.month, day.day) == CULTURE_DAY:
            source = DaySource.POLICY
        elif name.startswith("Ngày nghỉ (thay cho"):  # a swap of working days
            source = DaySource.GOVERNMENT_NOTICE
        elif estimated_year and (day.month, day.day) not in FIXED_SOLAR_HOLIDAYS:
            source = DaySource.ESTIMATE
        else:
            source = DaySource.LABOUR_CODE
        sourced.append(SourcedDay(day, name, source))
    worked = answer.worked
    sourced += [
        SourcedDay(d, "Ngày làm việc bù", DaySource.GOVERNMENT_NOTICE, working=True) for d in worked
    ]
    return YearDays(
        holidays=frozenset(day for day, _name in answer.days),
        make_up_working_days=frozenset(worked),
        sourced=tuple(sourced),
    )


class WorkCalendar:
    """A working calendar: office sessions, holidays, days off and make-up working days."""

    def __init__(
        self,
        sessions: Iterable[Session] = STANDARD_SESSIONS,
        days_off: Iterable[dt.date] = (),
        make_up_working_days: Iterable[dt.date] = (),
        holidays: HolidaySource | None = None,
        zone: ZoneInfo = VIETNAM,
        confirmed_days: Iterable[dt.date] = (),
        removed_days: Iterable[dt.date] = (),
    ) -> None:
        """``confirmed_days`` and ``removed_days`` are the province's word on provisional days.

        A removed day loses what the holiday source says of it: the weekday rule applies.
        """
        self.sessions = tuple(sorted(sessions))
        if not self.sessions:
            raise ValueError("a working day needs at least one office session")
        for session in self.sessions:
            if session.start >= session.end:
                raise ValueError(f"session {session.start}–{session.end} ends before it starts")
        for earlier, later in zip(self.sessions, self.sessions[1:], strict=False):
            if later.start < earlier.end:
                raise ValueError(f"sessions overlap at {later.start}")
        self.days_off = frozenset(days_off)
        self.make_up_working_days = frozenset(make_up_working_days)
        both = self.days_off & self.make_up_working_days
        if both:
            raise ValueError(f"{min(both)} cannot be both a day off and a make-up working day")
        self.confirmed_days = frozenset(confirmed_days)
        self.removed_days = frozenset(removed_days)
        self._holidays = holidays
        self.zone = zone
        self.day_micros = sum(s.micros for s in self.sessions)

    @classmethod
    def national(
        cls,
        sessions: Iterable[Session] = STANDARD_SESSIONS,
        days_off: Iterable[dt.date] = (),
        make_up_working_days: Iterable[dt.date] = (),
        confirmed_days: Iterable[dt.date] = (),
        removed_days: Iterable[dt.date] = (),
    ) -> WorkCalendar:
        """Vietnam's public holidays and official swaps, with the standard office sessions."""
        return cls(
            sessions,
            days_off,
            make_up_working_days,
            holidays=vietnam_public_holidays,
            confirmed_days=confirmed_days,
            removed_days=removed_days,
        )

    # --- days -------------------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        return _is_working_day(
            day, self.days_off, self.make_up_working_days, self._holidays, self.removed_days
        )

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        for _ in range(3660):  # no real calendar has ten years without a working day
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise ValueError("no working day within ten years")

    def previous_working_day(self, day: dt.date) -> dt.date:
        """The last working day strictly before ``day``."""
        for _ in range(3660):
            day -= dt.timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise ValueError("no working day within ten years")

    def close_of(self, day: dt.date) -> dt.datetime:
        """The end of the last office session of ``day``."""
        return self._session_bounds(day)[-1][1]

    def close_of_working_day(self, moment: dt.datetime) -> dt.datetime:
        """The close of the working day ``moment`` falls on, or of the next one if it is none."""
        day = self._local(moment).date()
        return self.close_of(day if self.is_working_day(day) else self.next_working_day(day))

    def close_of_day_before(self, moment: dt.datetime) -> dt.datetime:
        """The close of the last working day before the day of ``moment``.

        The latest time for an apology and new appointment (form 04) when ``moment`` is the due
        moment: "chậm nhất 01 ngày trước ngày hết hạn" (``domain.md`` section 7, convention 7).
        """
        return self.close_of(self.previous_working_day(self._local(moment).date()))

    def _session_bounds(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        return [
            (
                dt.datetime.combine(day, s.start, tzinfo=self.zone),
                dt.datetime.combine(day, s.end, tzinfo=self.zone),
            )
            for s in self.sessions
        ]

    def _local(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("datetimes must be timezone-aware")
        return moment.astimezone(self.zone)

    # --- the clock ----------------------------------------------------------------------------

    def clock_start(self, received_at: dt.datetime, cutoff: dt.time | None = None) -> dt.datetime:
        """When the legal time starts for something received at ``received_at``."""
        moment = self._local(received_at)
        day = moment.date()
        if self.is_working_day(day):
            if cutoff is not None and moment.time() > cutoff:
                return self._session_bounds(self.next_working_day(day))[0][0]
            for start, end in self._session_bounds(day):
                if moment < end:
                    return max(moment, start)
        return self._session_bounds(self.next_working_day(day))[0][0]

    def add(
        self,
        start: dt.datetime,
        amount: int | Decimal,
        unit: str,
        cutoff: dt.time | None = None,
    ) -> dt.datetime:
        """The due moment: ``amount`` of ``unit`` after the clock starts for ``start``."""
        amount = Decimal(amount)
        if unit == WHOLE_WORKING_DAYS:
            return self._add_whole_working_days(start, amount, cutoff)
        if amount < 0:
            raise ValueError("the amount of legal time cannot be negative")
        if unit == CALENDAR_DAYS:
            return self._add_calendar_days(start, amount)
        return self.advance(self.clock_start(start, cutoff), self._to_micros(amount, unit))

    def _add_whole_working_days(
        self, start: dt.datetime, amount: Decimal, cutoff: dt.time | None
    ) -> dt.datetime:
        """The close of the n-th working day, day 1 being the day the clock starts."""
        if not amount.is_finite() or amount != amount.to_integral_value() or amount < 1:
            raise ValueError("whole working days are a whole number, 1 or more")
        day = self._local(self.clock_start(start, cutoff)).date()
        for _ in range(int(amount) - 1):
            day = self.next_working_day(day)
        return self.close_of(day)

    def advance(self, start: dt.datetime, micros: int) -> dt.datetime:
        """The earliest moment at which ``micros`` of working time have passed since ``start``."""
        if micros < 0:
            raise ValueError("working time cannot be negative")
        remaining = micros
        moment = self.clock_start(start)
        day = moment.date()
        while True:
            if self.is_working_day(day):
                for session_start, session_end in self._session_bounds(day):
                    if moment >= session_end:
                        continue
                    begin = max(moment, session_start)
                    available = _micros(session_end - begin)
                    if remaining <= available:
                        return begin + dt.timedelta(microseconds=remaining)
                    remaining -= available
            day = self.next_working_day(day)
            moment = self._session_bounds(day)[0][0]

    def _to_micros(self, amount: Decimal, unit: str) -> int:
        if unit == WORKING_DAYS:
            scaled = amount * self.day_micros
        elif unit == WORKING_HOURS:
            scaled = amount * MICROS_PER_HOUR
        else:
            raise ValueError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
        return int(scaled.to_integral_value(rounding=ROUND_HALF_EVEN))

    def _add_calendar_days(self, start: dt.datetime, amount: Decimal) -> dt.datetime:
        if amount != amount.to_integral_value():
            raise ValueError("calendar days are whole days")
        last_day = self._local(start).date() + dt.timedelta(days=int(amount))
        if not self.is_working_day(last_day):
            last_day = self.next_working_day(last_day)
        return self._session_bounds(last_day)[-1][1]

    # --- measuring ----------------------------------------------------------------------------

    def working_micros(self, start: dt.datetime, end: dt.datetime) -> int:
        """Working time between two moments, in microseconds (0 when ``end`` is not later)."""
        start, end = self._local(start), self._local(end)
        first, last = start.date(), end.date()
        if (last - first).days < 3:
            return self._micros_day_by_day(start, end)
        # Every working day strictly between holds all its sessions: counted, not walked
        # (a dossier years overdue would otherwise walk a thousand days each time it is shown).
        after_first = dt.datetime.combine(first + dt.timedelta(days=1), dt.time(0), self.zone)
        last_midnight = dt.datetime.combine(last, dt.time(0), self.zone)
        between = self.working_days_in(first + dt.timedelta(days=1), last - dt.timedelta(days=1))
        return (
            self._micros_day_by_day(start, after_first)
            + between * self.day_micros
            + self._micros_day_by_day(last_midnight, end)
        )

    def _micros_day_by_day(self, start: dt.datetime, end: dt.datetime) -> int:
        total = 0
        day = start.date()
        while day <= end.date():
            if self.is_working_day(day):
                for session_start, session_end in self._session_bounds(day):
                    overlap = min(end, session_end) - max(start, session_start)
                    if overlap > dt.timedelta(0):
                        total += _micros(overlap)
            day += dt.timedelta(days=1)
        return total

    def working_days_in(self, first: dt.date, last: dt.date) -> int:
        """How many working days from ``first`` to ``last``, both included (0 if none)."""
        if last < first:
            return 0
        if first.year == last.year:
            counted = self._working_days_by_year(first.year)
            return counted[last.timetuple().tm_yday] - counted[first.timetuple().tm_yday - 1]
        whole_years = sum(
            self._working_days_by_year(year)[-1] for year in range(first.year + 1, last.year)
        )
        return (
            self.working_days_in(first, dt.date(first.year, 12, 31))
            + whole_years
            + self.working_days_in(dt.date(last.year, 1, 1), last)
        )

    def _working_days_by_year(self, year: int) -> tuple[int, ...]:
        return _working_days_by_year(
            year, self.days_off, self.make_up_working_days, self._holidays, self.removed_days
        )

    # --- where the days come from -------------------------------------------------------------

    def days_of_year(self, year: int) -> list[CalendarDay]:
        """Every day off and make-up working day of ``year``, with its source and status.

        The province's declarations come first: a date it declared is its word, whatever the
        holiday source says. Weekends are left out: they are off by Decision 188/1999/QĐ-TTg.
        """
        days: dict[dt.date, CalendarDay] = {}
        for day in self.days_off | self.make_up_working_days:
            if day.year == year:
                working = day in self.make_up_working_days
                days[day] = CalendarDay(day, "", DaySource.PROVINCE, working, DayStatus.IN_FORCE)
        source = self._holidays(year) if self._holidays else YearDays(frozenset())
        for sourced in source.sourced:
            if sourced.date in days:
                continue
            status = DayStatus.IN_FORCE
            if sourced.date in self.removed_days:
                status = DayStatus.REMOVED
            elif sourced.source in PROVISIONAL_SOURCES:
                confirmed = sourced.date in self.confirmed_days
                status = DayStatus.CONFIRMED if confirmed else DayStatus.PROVISIONAL
            days[sourced.date] = CalendarDay(
                sourced.date, sourced.name, sourced.source, sourced.working, status
            )
        return sorted(days.values(), key=lambda d: d.date)

    def provisional_days_off(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The provisional days off from ``first`` to ``last``, both included.

        A due date computed across one of them may move when the province confirms or removes it.
        Only weekdays count: a provisional holiday on a weekend is off either way.
        """
        found = []
        for year in range(first.year, last.year + 1):
            if self._holidays is None:
                break
            for day in self._holidays(year).provisional:
                if (
                    first <= day <= last
                    and day.weekday() < 5
                    and day not in self.confirmed_days
                    and day not in self.days_off
                    and not self.is_working_day(day)
                ):
                    found.append(day)
        return sorted(found)

    def provisional_days_crossed(self, start: dt.datetime, due: dt.datetime) -> list[dt.date]:
        """The provisional days off between a receipt (or clock start) and its due moment."""
        return self.provisional_days_off(self._local(start).date(), self._local(due).date())

    def elapsed(
        self,
        start: dt.datetime,
        end: dt.datetime,
        pauses: Iterable[tuple[dt.datetime, dt.datetime]] = (),
    ) -> Decimal:
        """Working days from ``start`` to ``end`` minus the paused intervals (negative if earlier).

        Pauses are ``(from, until)`` pairs; overlapping pauses count once, and only their part
        between ``start`` and ``end`` is taken off.
        """
        if self._local(end) < self._local(start):
            return -self.elapsed(end, start, pauses)
        worked = self.working_micros(start, end)
        for pause_start, pause_end in _merged(pauses, self._local):
            worked -= self.working_micros(
                max(pause_start, self._local(start)), min(pause_end, self._local(end))
            )
        return Decimal(worked) / Decimal(self.day_micros)


def _is_working_day(
    day: dt.date,
    days_off: frozenset[dt.date],
    make_up_working_days: frozenset[dt.date],
    holidays: HolidaySource | None,
    removed_days: frozenset[dt.date] = frozenset(),
) -> bool:
    if day in days_off:
        return False
    if day in make_up_working_days:
        return True
    if day in removed_days:
        return day.weekday() < 5
    year = holidays(day.year) if holidays else None
    if year is not None and day in year.make_up_working_days:
        return True
    if day.weekday() >= 5:
        return False
    return year is None or day not in year.holidays


@lru_cache(maxsize=1024)
def _working_days_by_year(
    year: int,
    days_off: frozenset[dt.date],
    make_up_working_days: frozenset[dt.date],
    holidays: HolidaySource | None,
    removed_days: frozenset[dt.date] = frozenset(),
) -> tuple[int, ...]:
    """Working days of ``year`` up to each day of it: (0, up to 1 Jan, up to 2 Jan, …).

    Kept across calendars: a unit's calendar is made afresh for each request, its days are not.
    """
    counted, day = [0], dt.date(year, 1, 1)
    while day.year == year:
        counted.append(
            counted[-1]
            + _is_working_day(day, days_off, make_up_working_days, holidays, removed_days)
        )
        day += dt.timedelta(days=1)
    return tuple(counted)


def _merged(
    pauses: Iterable[tuple[dt.datetime, dt.datetime]],
    local: Callable[[dt.datetime], dt.datetime],
) -> list[tuple[dt.datetime, dt.datetime]]:
    intervals = sorted((local(a), local(b)) for a, b in pauses)
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for begin, finish in intervals:
        if finish <= begin:
            raise ValueError("a pause must end after it starts")
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return merged
