"""Plausible monthly figures for the demo's report history (pure: no Django).

A commune's typical month (``Level``) is what haicap's own figures say where it has them, or
a seeded default; each month varies around it, and the figures keep the report's rules (online
within received, on time within resolved, the fields adding up to the total). Before the reform
a new commune's level is shared among the former communes it replaced (``shares``), so that
their sum, which the trend shows before 1 July 2025, runs on into the new commune's own.

ILLUSTRATIVE: made up, deterministic for a seed.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDREDTH = Decimal("0.01")
# The fields a commune's dossiers mostly fall in, and their usual weights, for a month haicap
# has no figures of (a month it has, the table is its own figures by field).
USUAL_FIELDS = (
    ("Hộ tịch", 5),
    ("Chứng thực", 4),
    ("Đất đai", 2),
    ("Lao động, người có công và xã hội", 1),
)


@dataclass(frozen=True)
class Level:
    """A commune's typical month."""

    officers: int
    received: int
    online_share: float  # of received, 0 to 1
    on_time_share: float  # of resolved, 0 to 1
    petitions: float  # received a month
    staffing_gap: int = 0


def shares(level: Level, weights: Sequence[float]) -> list[Level]:
    """``level`` shared among former communes in proportion to ``weights`` (positive): counts
    that add up to the level's (largest remainders), the same shares of online and on time."""
    total = sum(weights)

    def split(amount: int) -> list[int]:
        exact = [amount * w / total for w in weights]
        parts = [int(x) for x in exact]
        by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
        for i in by_remainder[: amount - sum(parts)]:
            parts[i] += 1
        return parts

    officers, received, gaps = (
        split(level.officers),
        split(level.received),
        split(level.staffing_gap),
    )
    return [
        Level(
            officers=officers[i],
            received=received[i],
            online_share=level.online_share,
            on_time_share=level.on_time_share,
            petitions=level.petitions * weights[i] / total,
            staffing_gap=gaps[i],
        )
        for i in range(len(weights))
    ]


def _around(value: float, rnd: random.Random, spread: float = 0.15) -> int:
    return max(0, round(value * rnd.uniform(1 - spread, 1 + spread)))


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(HUNDREDTH, ROUND_HALF_UP)


def by_field(received: int, rnd: random.Random) -> list[tuple[str, int]]:
    """``received`` split among the usual fields (rows adding up to it; none when 0)."""
    if not received:
        return []
    weights = [w * rnd.uniform(0.7, 1.3) for _name, w in USUAL_FIELDS]
    total = sum(weights)
    counts = [int(received * w / total) for w in weights]
    counts[0] += received - sum(counts)  # the remainder to the largest field
    return [(name, n) for (name, _w), n in zip(USUAL_FIELDS, counts, strict=True) if n]


def month(level: Level, rnd: random.Random) -> dict[str, Decimal | None]:
    """One month's numbers around ``level``, by the report's cell keys."""
    received = _around(level.received, rnd)
    online = min(received, round(received * level.online_share * rnd.uniform(0.9, 1.1)))
    resolved = _around(received * 0.95, rnd, 0.1)
    on_time = min(
        resolved, round(resolved * min(1.0, level.on_time_share * rnd.uniform(0.97, 1.03)))
    )
    petitions = _around(level.petitions, rnd, 0.5)
    answered = min(petitions, _around(petitions * 0.9, rnd, 0.1))
    answered_on_time = min(answered, round(answered * rnd.uniform(0.8, 1.0)))
    officers = level.officers + (rnd.random() < 0.1)  # now and then one more, for a while
    return {
        "officers": Decimal(officers),
        "staffing_gap": Decimal(max(0, level.staffing_gap - (officers - level.officers))),
        "received": Decimal(received),
        "received_online": Decimal(online),
        "resolved": Decimal(resolved),
        "resolved_on_time": Decimal(on_time),
        "on_time_rate": percent(on_time, resolved),
        "backlog": Decimal(_around(received * 0.18, rnd, 0.3)),
        "petitions_received": Decimal(petitions),
        "petitions_answered": Decimal(answered),
        "petitions_on_time": percent(answered_on_time, answered),
        "petitions_overdue": Decimal(max(0, petitions - answered - rnd.randint(0, 1))),
        "satisfaction": Decimal(str(round(rnd.uniform(88, 98), 2))),
    }
