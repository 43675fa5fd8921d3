"""Matching haicap's payments of a day against the gateway's statement (pure: no Django).

A payment is matched by its reference (haicap's, one per payment request); every difference is
listed, none is settled here: the reconciliation shows them to the people who settle them.
"""

from collections.abc import Iterable
from dataclasses import dataclass

MISSING_HERE = "missing_here"  # the gateway took money haicap has no record of
MISSING_THERE = "missing_there"  # haicap counts as paid what the gateway does not list
AMOUNT_DIFFERS = "amount_differs"
STATUS_DIFFERS = "status_differs"
TRANSACTION_DIFFERS = "transaction_differs"  # the same payment under another transaction id


@dataclass(frozen=True)
class Line:
    reference: str
    transaction_id: str
    amount_vnd: int
    status: str


@dataclass(frozen=True)
class Difference:
    kind: str
    reference: str
    here: Line | None
    there: Line | None


def compare(here: Iterable[Line], there: Iterable[Line]) -> list[Difference]:
    """Every difference between the two sides, ordered by reference then kind.

    ``here`` holds haicap's payments the statement's day concerns (paid that day, or named by
    the statement); a payment of ``here`` that is not paid and not named there is no
    difference: it is simply not paid yet.
    """
    ours = {line.reference: line for line in here}
    theirs = {line.reference: line for line in there}
    found: list[Difference] = []
    for reference in sorted(ours.keys() | theirs.keys()):
        mine, other = ours.get(reference), theirs.get(reference)
        if other is None:
            if mine is not None and mine.status == "paid":
                found.append(Difference(MISSING_THERE, reference, mine, None))
            continue
        if mine is None:
            found.append(Difference(MISSING_HERE, reference, None, other))
            continue
        if mine.amount_vnd != other.amount_vnd:
            found.append(Difference(AMOUNT_DIFFERS, reference, mine, other))
        if mine.status != other.status:
            found.append(Difference(STATUS_DIFFERS, reference, mine, other))
        elif mine.transaction_id and mine.transaction_id != other.transaction_id:
            found.append(Difference(TRANSACTION_DIFFERS, reference, mine, other))
    return found
