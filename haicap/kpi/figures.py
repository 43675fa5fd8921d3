"""What one dossier adds to the province's figures (pure: no Django).

The figures are counters per day and per month, per handling agency, procedure and channel.
Each dossier adds a fixed set of counts that follows from its current state alone
(``contribution``). When a dossier changes, the figures change by the difference between what
it added before and what it adds now (``difference``); rebuilding adds every dossier's
contribution from nothing. The two give the same figures by construction, and a test checks it.

Counters, each on the day (and month) it happened, in Vietnam's time:

- ``received``: received that day (by channel: online intake is the ``online`` channel);
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

COUNTERS = (
    "received",
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


@dataclass(frozen=True, order=True)
class Key:
    granularity: str  # "day" or "month"
    period: dt.date  # the day, or the first day of the month
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
    added: dict[Key, Counter] = {}
    for day, counter, amount in events:
        for granularity, period in (("day", day), ("month", month_of(day))):
            key = Key(granularity, period, facts.agency_id, facts.procedure_id, facts.channel)
            added.setdefault(key, Counter())[counter] += amount
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
