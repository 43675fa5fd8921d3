"""Remaining working time for the rows a desk page shows, with one calendar read per page."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from haicap.calendar.selectors import calendars_for_units
from haicap.calendar.workdays import WorkCalendar
from haicap.dossiers.models import Dossier
from haicap.dossiers.remaining import Remaining, remaining


@dataclass(frozen=True)
class Timed:
    dossier: Dossier
    remaining: Remaining | None  # None when the clock is paused or the dossier is finished


def calendar_of(calendars: dict[int | None, WorkCalendar], dossier: Dossier) -> WorkCalendar:
    return calendars.get(dossier.competent_agency.unit_id) or calendars[None]


def timed(dossiers: Iterable[Dossier], now: dt.datetime) -> list[Timed]:
    return timed_lists({None: dossiers}, now)[None]


def timed_lists(
    lists: dict[object, Iterable[Dossier]], now: dt.datetime
) -> dict[object, list[Timed]]:
    """Several lists of a page timed with one read of the calendars (the desk's queues)."""
    rows = {name: list(dossiers) for name, dossiers in lists.items()}
    units = {d.competent_agency.unit_id for dossiers in rows.values() for d in dossiers}
    calendars = calendars_for_units(units)
    return {
        name: [Timed(d, remaining_of(d, calendar_of(calendars, d), now)) for d in dossiers]
        for name, dossiers in rows.items()
    }


def remaining_of(dossier: Dossier, calendar: WorkCalendar, now: dt.datetime) -> Remaining | None:
    if not dossier.is_open or dossier.is_paused:
        return None
    return remaining(calendar.elapsed(now, dossier.due_at), past_due=dossier.due_at < now)
