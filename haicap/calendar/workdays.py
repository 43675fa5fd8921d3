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
* For ``calendar_days`` the period starts the day after receipt and ends at the close of office
  hours on its last day; if that day is not a working day it ends at the close of the next
  working day (Civil Code Art. 147–148).
* ``elapsed`` counts working time between two moments, minus paused intervals, in working days.
  It knows nothing of cut-off times: measure from ``clock_start`` when one applies.

Datetimes must be timezone-aware; results are in the calendar's zone (Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MICROS_PER_HOUR = 3_600_000_000
WORKING_DAYS = "working_days"
WORKING_HOURS = "working_hours"
CALENDAR_DAYS = "calendar_days"
UNITS = (WORKING_DAYS, WORKING_HOURS, CALENDAR_DAYS)


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


@dataclass(frozen=True)
class YearDays:
    """A year's public holidays and the weekend days worked in exchange for bridge days."""

    holidays: frozenset[dt.date]
    make_up_working_days: frozenset[dt.date] = frozenset()


def _micros_of_day(t: dt.time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _micros(delta: dt.timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


@lru_cache(maxsize=256)
def vietnam_public_holidays(year: int) -> YearDays:
    """Vietnam's public holidays of ``year`` and its official make-up working days."""
    import holidays  # imported here so the pure core loads without it until it is needed

    calendar = holidays.country_holidays("VN", years=year)
    return YearDays(
        holidays=frozenset(calendar),
        make_up_working_days=frozenset(d for d in calendar.weekend_workdays if d.year == year),
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
    ) -> None:
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
        self._holidays = holidays
        self.zone = zone
        self.day_micros = sum(s.micros for s in self.sessions)

    @classmethod
    def national(
        cls,
        sessions: Iterable[Session] = STANDARD_SESSIONS,
        days_off: Iterable[dt.date] = (),
        make_up_working_days: Iterable[dt.date] = (),
    ) -> WorkCalendar:
        """Vietnam's public holidays and official swaps, with the standard office sessions."""
        return cls(sessions, days_off, make_up_working_days, holidays=vietnam_public_holidays)

    # --- days -------------------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        return _is_working_day(day, self.days_off, self.make_up_working_days, self._holidays)

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        for _ in range(3660):  # no real calendar has ten years without a working day
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise ValueError("no working day within ten years")

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
        if amount < 0:
            raise ValueError("the amount of legal time cannot be negative")
        if unit == CALENDAR_DAYS:
            return self._add_calendar_days(start, amount)
        return self.advance(self.clock_start(start, cutoff), self._to_micros(amount, unit))

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
        return _working_days_by_year(year, self.days_off, self.make_up_working_days, self._holidays)

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
) -> bool:
    if day in days_off:
        return False
    if day in make_up_working_days:
        return True
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
) -> tuple[int, ...]:
    """Working days of ``year`` up to each day of it: (0, up to 1 Jan, up to 2 Jan, …).

    Kept across calendars: a unit's calendar is made afresh for each request, its days are not.
    """
    counted, day = [0], dt.date(year, 1, 1)
    while day.year == year:
        counted.append(counted[-1] + _is_working_day(day, days_off, make_up_working_days, holidays))
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
