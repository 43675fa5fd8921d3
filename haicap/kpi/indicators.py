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

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal

from haicap.core.service_index import GROUPS, group_points, ratio, rounded

# Decision 766's groups these counts feed, with their maximum points (``core.service_index``):
# TDGQ from the on-time rate, CLGQ from the online-intake rate. The other groups' inputs are
# registered by the apps that hold their data; the whole index is ``kpi.index``'s.
_MOST = {group.code: group.most for group in GROUPS}
PROGRESS_POINTS = _MOST["TDGQ"]
ONLINE_POINTS = _MOST["CLGQ"]


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

    @classmethod
    def of_counts(cls, counts: Sequence) -> "Totals":
        """``Totals(*counts)``, every count given, in the fields' order: a province's dashboard
        makes thousands (a commune × field table), and the dataclass's own ``__init__`` sets a
        frozen field at a time through ``object.__setattr__``, twice as slow."""
        made = object.__new__(cls)
        values = made.__dict__
        values.update(zip(_COUNTED, counts, strict=True))
        values["extra"] = {}
        return made

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
        """The Decision 766 points these counts earn in the two groups they feed (TDGQ, CLGQ),
        by haicap's formula (``core.service_index``: ratio × the group's maximum, each group
        having one input here). It ranks fields and agencies, which the other groups' inputs
        (kept per unit) do not reach."""
        scored = [
            points
            for rate, most in (
                (self.on_time_rate, PROGRESS_POINTS),
                (self.online_rate, ONLINE_POINTS),
            )
            if (points := group_points([rate], most)) is not None
        ]
        if not scored:
            return None
        return rounded(sum(scored, Decimal(0)))


_COUNTED = tuple(f.name for f in fields(Totals) if f.name != "extra")


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
