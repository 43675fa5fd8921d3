"""The day a transfer batch may be approved on (pure: no Django).

A plan in force on a day is the sum of the entries decided on or before it, so the approving
decision's day is when the batch's entries start to count. It may not come before the districts
ended (there was nothing to transfer while they ran), nor before the latest decision behind a
balance the batch takes from (the batch would move capital before it was there), and from that
day on no balance the batch touches may go below zero (``adjustment.lowest_balance_from``).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from haicap.budget.adjustment import DISTRICTS_ENDED, lowest_balance_from
from haicap.budget.ledger import Entry, Key


class DayProblem(StrEnum):
    BEFORE_REFORM = "before_reform"  # dated while the districts still ran
    BEFORE_LATEST = "before_latest"  # dated before a decision behind what the batch takes
    BELOW_ZERO = "below_zero"  # a balance goes below zero on the day or later


@dataclass(frozen=True)
class DayRefusal:
    problem: DayProblem
    day: dt.date  # the first day allowed, or the day the balance is lowest
    key: Key | None = None  # the balance concerned (project, source, level)
    held: int = 0  # BELOW_ZERO: what the balance holds on ``day`` without the batch
    taken: int = 0  # BELOW_ZERO: what the batch takes from it (positive)


def approval_day_refusal(
    dated: Mapping[Key, Sequence[tuple[dt.date, int]]], entries: Iterable[Entry], day: dt.date
) -> DayRefusal | None:
    """Why the batch ``entries`` cannot be approved by a decision of ``day``, given the
    (decision day, amount) of every ledger entry of each balance (``dated``), or None."""
    if day < DISTRICTS_ENDED:
        return DayRefusal(DayProblem.BEFORE_REFORM, DISTRICTS_ENDED)
    moved: dict[Key, int] = defaultdict(int)
    for entry in entries:
        if entry.amount:
            moved[(entry.project, entry.source, entry.level)] += entry.amount
    taken_from = sorted(key for key, amount in moved.items() if amount < 0)
    behind = [(decided, key) for key in taken_from for decided, _amount in dated.get(key, ())]
    if behind and (latest := max(behind))[0] > day:
        return DayRefusal(DayProblem.BEFORE_LATEST, latest[0], key=latest[1])
    for key in sorted(moved):
        history = list(dated.get(key, ()))
        lowest, when = lowest_balance_from([*history, (day, moved[key])], day)
        if lowest < 0:
            held = sum(amount for decided, amount in history if decided <= when)
            return DayRefusal(
                DayProblem.BELOW_ZERO, when, key=key, held=held, taken=max(-moved[key], 0)
            )
    return None
