"""The control sheet's rows: each hand-over of a dossier and its result (pure: no Django).

Circular 03/2025 Annex I, form 06 (the control sheet; production templates' columns, domain.md
1.9): who handed the dossier to whom and when, and the result of each hand-over: early, on time
or late (domain.md 7, "Control sheet", M). haicap judges a hand-over that ends a work step
against that step's own budget (its share of the legal time, ``moves.step_due``), with the
three classes of convention 6 (``timeliness.classify``). The engine records that judgement on
the event when the step ends, since a later pause or restart moves the budget. The hand-back of
the result to the applicant carries no result: the result was ready when the decision was
signed (the dossier's own timeliness, printed above the table), and when the applicant comes
for it is theirs. Other hand-overs (receipt, waiting for the applicant) carry no budget and no
result either.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from haicap.dossiers.timeliness import Timeliness, classify


@dataclass(frozen=True)
class Handing:
    """One event of the dossier as the sheet sees it."""

    at: dt.datetime
    taker: str | None  # who acted; None for the system (the worker's warnings)
    action: str  # its name in the form's words
    note: str = ""
    step_result: str = ""  # the engine's judgement of the step this event ended, if any
    returns_result: bool = False  # the result handed back to the applicant
    receiver: str = ""  # who took the result back: the applicant, their authorised person, post


@dataclass(frozen=True)
class Row:
    at: dt.datetime
    giver: str
    taker: str
    action: str
    result: Timeliness | None
    note: str


def step_result(handed_at: dt.datetime, step_due_at: dt.datetime, zone: dt.tzinfo) -> Timeliness:
    """A hand-over ending a work step, against that step's budget (convention 6's classes)."""
    return classify(handed_at, step_due_at, zone)


def result_of(handing: Handing) -> Timeliness | None:
    return Timeliness(handing.step_result) if handing.step_result else None


def rows(handings: Sequence[Handing], applicant: str, system: str) -> list[Row]:
    """The sheet's rows in order: the applicant hands the dossier to the first actor; each actor
    is the giver of the next hand-over. The system's notices hand the dossier to no one. The
    return of the result goes from the officer who hands it back to whoever received it."""
    out = []
    giver = applicant
    for handing in handings:
        taker = handing.taker if handing.taker is not None else system
        if handing.returns_result:
            giver, taker = taker, handing.receiver or applicant
        out.append(
            Row(
                handing.at,
                giver,
                taker,
                handing.action,
                result_of(handing),
                handing.note,
            )
        )
        if handing.taker is not None:
            giver = handing.taker
    return out
