"""The feedback figures' sums (pure): what a petition and a rating count for (the periods are
``core.periods``').

For a period read up to a moment ``end`` (the end of its last day, or now when it is not over):

- *received*: petitions received in the period;
- *answered on time* / *answered late*: petitions whose answer that stands at ``end`` was sent
  in the period, at or before their legal deadline / after it. An answer stands while the
  petition is answered or closed: one the sender reopened stands no more (the petition is open
  again, and counts as such), and after a reopening the final answer is the one judged. A
  petition is so counted once in a period, as it stood at its end;
- *overdue*: petitions open at ``end`` (received, assigned or in progress, as their history
  says) whose legal deadline had passed; *open within the deadline*: open at ``end``, not yet
  due;
- *due* and *answered by the deadline*: petitions whose legal deadline fell in the period, and
  those of them answered by it (by the answer that stands): their ratio is the on-time rate
  (the Decision 766 index's ``feedback.petitions_handled``, and the directive target's);
- *ratings* and *satisfied*: ratings given in the period, and those whose overall answer is
  "very satisfied" or "satisfied" (``questions``): their ratio is the satisfaction rate.
"""

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

TENTH = Decimal("0.1")
HUNDREDTH = Decimal("0.01")


def percent(part: int, whole: int, places: Decimal = TENTH) -> Decimal | None:
    """``part`` of ``whole`` in per cent, or ``None`` when there is nothing to share."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(places, ROUND_HALF_UP)


@dataclass(frozen=True)
class PetitionCounts:
    received: int = 0
    answered_on_time: int = 0
    answered_late: int = 0
    overdue: int = 0
    open_in_time: int = 0
    due: int = 0
    answered_by_due: int = 0

    def __add__(self, other: "PetitionCounts") -> "PetitionCounts":
        return PetitionCounts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.answered_by_due, self.due)

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class SatisfactionCounts:
    ratings: int = 0
    satisfied: int = 0

    def __add__(self, other: "SatisfactionCounts") -> "SatisfactionCounts":
        return SatisfactionCounts(self.ratings + other.ratings, self.satisfied + other.satisfied)

    @property
    def rate(self) -> Decimal | None:
        return percent(self.satisfied, self.ratings)
