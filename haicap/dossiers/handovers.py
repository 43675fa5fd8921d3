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

Who gives and who takes: the officer who acts hands the dossier on (a forward, a submission, an
approval ends their step), and the taker is whoever acts on it next, or, while nobody has, the
body of the step it went to. The applicant gives at receipt and when handing back what a
waiting step asked for, and takes when asked to complete or pay and when the result is handed
back. Only hand-overs are rows: the worker's notices (a warning, the overdue marking, a lapse)
hand the dossier to no one, and work within a step (a paper digitised, an apology) hands it to
no one either. An officer who hands the dossier on to a step that is again their own (a
specialist who takes up a dossier and then submits it) gives it to themselves: the row stays,
since it may close a step whose result the sheet owes, and says so (``own_next_step``), as a
"chuyển bước" of one officer rather than a hand-over between two.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from haicap.dossiers.timeliness import Timeliness, classify

RECEIPT = "receipt"  # the applicant hands the dossier to the desk
TO_APPLICANT = "to_applicant"  # into a waiting step: the applicant completes or pays
FROM_APPLICANT = "from_applicant"  # out of a waiting step: the applicant hands it back
RESULT_RETURNED = "result_returned"  # the result to the applicant, their authorised person, post
MOVE = "move"  # on to another step, body or person
WITHIN_STEP = "within_step"  # work within a step: no hand-over
KINDS = (RECEIPT, TO_APPLICANT, FROM_APPLICANT, RESULT_RETURNED, MOVE, WITHIN_STEP)


@dataclass(frozen=True)
class Handing:
    """One event of the dossier as the sheet sees it."""

    at: dt.datetime
    actor: str | None  # who acted; None for the system (the worker's notices)
    action: str  # its name in the form's words
    kind: str = MOVE
    note: str = ""
    step_result: str = ""  # the engine's judgement of the step this event ended, if any
    receiver: str = ""  # who took the result back: the applicant, their authorised person, post
    # who holds the dossier after this event while nobody has acted on it since: the body of
    # the step it went to
    holder: str = ""


@dataclass(frozen=True)
class Row:
    at: dt.datetime
    giver: str
    taker: str
    action: str
    result: Timeliness | None
    note: str
    own_next_step: bool = False  # one officer moving the dossier on to a step of their own


def step_result(handed_at: dt.datetime, step_due_at: dt.datetime, zone: dt.tzinfo) -> Timeliness:
    """A hand-over ending a work step, against that step's budget (convention 6's classes)."""
    return classify(handed_at, step_due_at, zone)


def result_of(handing: Handing) -> Timeliness | None:
    return Timeliness(handing.step_result) if handing.step_result else None


def rows(handings: Sequence[Handing], applicant: str) -> list[Row]:
    """The sheet's rows in order, one for each hand-over among ``handings`` (the module's
    rule: the actor gives, whoever acts next takes)."""
    handovers = [h for h in handings if h.actor is not None and h.kind != WITHIN_STEP]
    out = []
    for index, handing in enumerate(handovers):
        following = handovers[index + 1] if index + 1 < len(handovers) else None
        giver, taker = _giver_and_taker(handing, following, applicant)
        out.append(
            Row(
                handing.at,
                giver,
                taker,
                handing.action,
                result_of(handing),
                handing.note,
                own_next_step=handing.kind == MOVE and giver == taker,
            )
        )
    return out


def _giver_and_taker(
    handing: Handing, following: Handing | None, applicant: str
) -> tuple[str, str]:
    actor = handing.actor or ""
    if handing.kind in (RECEIPT, FROM_APPLICANT):
        return applicant, actor
    if handing.kind == TO_APPLICANT:
        return actor, applicant
    if handing.kind == RESULT_RETURNED:
        return actor, handing.receiver or applicant
    if following is not None and following.kind != FROM_APPLICANT:
        return actor, following.actor or ""
    return actor, handing.holder or "—"
