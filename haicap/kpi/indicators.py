"""The indicators of a slice of dossiers, from its counts (pure: no Django).

Definitions (domain.md, convention 6, and Decision 766's groups):

- on-time rate = (early + on time) / resolved, a refusal being a decision judged like a result;
- online-intake rate = received online / received;
- online full-process rate = received online / received, over the procedures offered fully
  online (Decree 42/2022's "toàn trình");
- average processing time = working days of legal time used by the resolved dossiers / resolved;
- carried over = open at the start of the period; in progress at its end = carried over +
  received − finished; of them overdue = past their due moment (a paused one is not).

A rate over nothing is ``None`` (shown as "—"), never 0 %: a commune that received nothing is not
a commune that failed.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# Decision 766: the groups haicap's data can score, with their maximum points. Publicity (18),
# online payment (10), satisfaction (18) and digitisation (22) need data haicap does not hold.
PROGRESS_POINTS = Decimal(20)  # TDGQ: processing progress, from the on-time rate
ONLINE_POINTS = Decimal(12)  # CLGQ: online public services, from the online-intake rate


@dataclass(frozen=True)
class Totals:
    received: int = 0
    received_online: int = 0
    received_full_online: int = 0  # of procedures offered fully online
    online_of_full_online: int = 0
    resolved: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    refused: int = 0
    withdrawn: int = 0
    returned: int = 0
    closed: int = 0
    worked_days: Decimal = Decimal(0)
    carried_over: int = 0
    overdue_at_end: int = 0
    paused_now: int = 0
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def in_progress_at_end(self) -> int:
        return self.carried_over + self.received - self.closed

    @property
    def in_progress_not_due(self) -> int:
        return self.in_progress_at_end - self.overdue_at_end

    @property
    def on_time_rate(self) -> Decimal | None:
        return ratio(self.early + self.on_time, self.resolved)

    @property
    def online_rate(self) -> Decimal | None:
        return ratio(self.received_online, self.received)

    @property
    def full_online_rate(self) -> Decimal | None:
        return ratio(self.online_of_full_online, self.received_full_online)

    @property
    def average_days(self) -> Decimal | None:
        if not self.resolved:
            return None
        return (Decimal(self.worked_days) / self.resolved).quantize(Decimal("0.01"))

    @property
    def points(self) -> Decimal | None:
        """The Decision 766 points these figures earn in the groups haicap can score."""
        parts = [
            (self.on_time_rate, PROGRESS_POINTS),
            (self.online_rate, ONLINE_POINTS),
        ]
        scored = [rate * most for rate, most in parts if rate is not None]
        if not scored:
            return None
        return sum(scored, Decimal(0)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def ratio(part: int, whole: int) -> Decimal | None:
    """A share between 0 and 1 with four decimals, or ``None`` when there is nothing to share."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def rank(scores: list[tuple[object, Decimal | None]]) -> list[tuple[object, Decimal | None, int]]:
    """Competition ranking, best first: ties share a rank and the next rank skips (1, 2, 2, 4).

    Those without a score come last, unranked (rank 0).
    """
    scored = sorted(
        ((key, score) for key, score in scores if score is not None), key=lambda item: -item[1]
    )
    ranked, previous, place = [], None, 0
    for position, (key, score) in enumerate(scored, start=1):
        if score != previous:
            place, previous = position, score
        ranked.append((key, score, place))
    return ranked + [(key, None, 0) for key, score in scores if score is None]
