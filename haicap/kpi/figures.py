"""What one dossier adds to the province's figures (pure: no Django).

The figures are counters per day and per month, per handling agency, procedure and channel
(``kpi.services`` adds them up by dekad, year and field too: ``by_dekad_and_year``,
``by_field``). Each dossier adds a fixed set of counts that follows from its current state alone
(``contribution``). When a dossier changes, the figures change by the difference between what
it added before and what it adds now (``difference``); rebuilding adds every dossier's
contribution from nothing. The two give the same figures by construction, and a test checks it.

Counters, each on the day (and month) it happened, in Vietnam's time:

- ``received``: received that day; ``received_online`` those received online (the ``online``
  channel), ``received_full_online`` those of a procedure offered fully online (Decree 42/2022's
  "toàn trình", as the catalogue now says), ``online_of_full_online`` both;
- ``resolved`` with ``early``, ``on_time``, ``late``: decided that day (a result or a refusal),
  classed as convention 6 of domain.md says; ``refused`` counts the refusals among them;
- ``withdrawn``: stopped at the applicant's request (not resolved, not judged for timeliness);
- ``returned``: decided that day and the result since handed back;
- ``worked_days``: working days of legal time the resolved dossiers used (for the average);
- ``closed``: finished that day whatever the outcome;
- ``overdue_from`` / ``overdue_until``: a dossier is overdue from the end of its due day until
  the day it is finished late, or for good while open (not while its clock is paused).

Stocks follow from flows: open at the end of a day = received − closed up to that day; overdue
at the end of a day = overdue_from − overdue_until up to that day. A pause shifts the due moment;
the figures use the due moment as it now stands, for every past day alike, and a dossier whose
clock is paused now is not counted overdue on any day (documented choices).
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from haicap.kpi.periods import dekad_of

COUNTERS = (
    "received",
    "received_online",
    "received_full_online",
    "online_of_full_online",
    "resolved",
    "early",
    "on_time",
    "late",
    "refused",
    "withdrawn",
    "returned",
    "closed",
    "overdue_from",
    "overdue_until",
)
WORKED = "worked_days"  # a decimal sum, kept apart from the whole counts


@dataclass(frozen=True)
class Facts:
    """The state of a dossier that the figures depend on (local dates, Vietnam time)."""

    agency_id: int
    procedure_id: int
    channel: str
    received_on: dt.date
    due_on: dt.date  # the day from whose end the dossier is overdue
    finished_on: dt.date | None
    outcome: str  # "" while not at its end, or returned / refused / withdrawn
    timeliness: str  # "" or early / on_time / late
    worked_days: Decimal | None
    paused: bool = False
    full_online: bool = False  # the procedure is offered fully online
    field_id: int | None = None  # the procedure's field (for the figures by field)


@dataclass(frozen=True, order=True)
class Key:
    granularity: str  # "day", "month" (or "dekad" and "year", added by ``by_dekad_and_year``)
    period: dt.date  # the day, or the first day of the dekad, month or year
    agency_id: int
    procedure_id: int
    channel: str


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def contribution(facts: Facts | None) -> dict[Key, Counter]:
    """The counts one dossier adds, by key. ``None`` (no dossier) adds nothing."""
    if facts is None:
        return {}
    events: list[tuple[dt.date, str, Decimal | int]] = [(facts.received_on, "received", 1)]
    online = facts.channel == "online"
    if online:
        events.append((facts.received_on, "received_online", 1))
    if facts.full_online:
        events.append((facts.received_on, "received_full_online", 1))
        if online:
            events.append((facts.received_on, "online_of_full_online", 1))
    finished = facts.finished_on
    if finished is not None:
        events.append((finished, "closed", 1))
        if facts.timeliness:
            events.append((finished, "resolved", 1))
            events.append((finished, facts.timeliness, 1))
            if facts.worked_days is not None:
                events.append((finished, WORKED, facts.worked_days))
        if facts.outcome == "refused":
            events.append((finished, "refused", 1))
        elif facts.outcome == "withdrawn":
            events.append((finished, "withdrawn", 1))
        elif facts.outcome == "returned":
            events.append((finished, "returned", 1))
    if finished is None and not facts.paused:
        events.append((facts.due_on, "overdue_from", 1))  # counted once its due day is over
    elif finished is not None and facts.timeliness == "late":
        events.append((facts.due_on, "overdue_from", 1))
        events.append((finished, "overdue_until", 1))
    by_day: dict[dt.date, Counter] = {}  # a few days at most: one key each, not one an event
    for day, counter, amount in events:
        counts = by_day.get(day)
        if counts is None:
            counts = by_day[day] = Counter()
        counts[counter] += amount
    rest = (facts.agency_id, facts.procedure_id, facts.channel)
    added: dict[Key, Counter] = {}
    for day, counts in by_day.items():
        added[Key("day", day, *rest)] = counts
        month = Key("month", month_of(day), *rest)
        if month in added:
            added[month].update(counts)
        else:
            added[month] = Counter(counts)
    return added


def difference(before: Facts | None, after: Facts | None) -> dict[Key, dict[str, Decimal | int]]:
    """What changes in the figures when a dossier goes from ``before`` to ``after``."""
    old, new = contribution(before), contribution(after)
    changes: dict[Key, dict[str, Decimal | int]] = {}
    for key in old.keys() | new.keys():
        counts = {
            name: new.get(key, Counter())[name] - old.get(key, Counter())[name]
            for name in (*COUNTERS, WORKED)
        }
        counts = {name: value for name, value in counts.items() if value}
        if counts:
            changes[key] = counts
    return changes


def total(contributions: Iterable[dict[Key, Counter]]) -> dict[Key, Counter]:
    """The figures of many dossiers: their contributions added up (what a rebuild writes)."""
    figures: dict[Key, Counter] = {}
    for added in contributions:
        for key, counts in added.items():
            figures.setdefault(key, Counter()).update(counts)
    return figures


@dataclass(frozen=True, order=True)
class FieldKey:
    """The key of the figures by field: what every slice but a procedure or a channel reads."""

    granularity: str  # "day", "dekad", "month" or "year"
    period: dt.date
    agency_id: int
    field_id: int


STOCKS = ("open", "overdue")  # a balance's two columns


def by_dekad_and_year(changes: dict[Key, dict]) -> dict[Key, dict]:
    """The day keys' counts added up by dekad (period: its first day) and the month keys' by
    calendar year (period: 1 January)."""
    coarser: dict[Key, Counter] = {}
    for key, counts in changes.items():
        if key.granularity == "day":
            wider = Key("dekad", dekad_of(key.period), *_rest(key))
        elif key.granularity == "month":
            wider = Key("year", key.period.replace(month=1), *_rest(key))
        else:
            continue
        coarser.setdefault(wider, Counter()).update(counts)
    return _nonzero(coarser)


def by_field(changes: dict[Key, dict], field_of: dict[int, int]) -> dict[FieldKey, dict]:
    """The counts added up by agency and the procedure's field (``field_of``: procedure → field)."""
    folded: dict[FieldKey, Counter] = {}
    for key, counts in changes.items():
        coarse = FieldKey(key.granularity, key.period, key.agency_id, field_of[key.procedure_id])
        folded.setdefault(coarse, Counter()).update(counts)
    return _nonzero(folded)


def stock_changes(changes: dict[Key, dict]) -> dict[Key, dict]:
    """How the day keys' counts move the stocks at every moment from their day on.

    Open = received − closed, overdue = overdue from − overdue until (see the module's text).
    """
    moved: dict[Key, dict] = {}
    for key, counts in changes.items():
        if key.granularity != "day":
            continue
        stocks = {
            "open": counts.get("received", 0) - counts.get("closed", 0),
            "overdue": counts.get("overdue_from", 0) - counts.get("overdue_until", 0),
        }
        stocks = {name: value for name, value in stocks.items() if value}
        if stocks:
            moved[key] = stocks
    return moved


def _rest(key: Key) -> tuple:
    return key.agency_id, key.procedure_id, key.channel


def _nonzero(summed: dict) -> dict:
    out = {}
    for key, counts in summed.items():
        kept = {name: value for name, value in counts.items() if value}
        if kept:
            out[key] = kept
    return out
