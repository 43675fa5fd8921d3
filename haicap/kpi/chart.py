"""A bar chart as plain numbers for an inline SVG: no script, readable by a screen reader."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT, GAP = 600, 160, 6


@dataclass(frozen=True)
class Bar:
    label: object  # the month
    rate: Decimal | None
    x: float
    width: float
    height: float  # 0 when there is no rate
    y: float


def bars(series: list[tuple[object, object]], rate_of: Callable) -> list[Bar]:
    """One bar per month, its height the month's rate out of 100 %."""
    if not series:
        return []
    width = WIDTH / len(series)
    out = []
    for index, (label, totals) in enumerate(series):
        rate = rate_of(totals)
        height = float(rate) * HEIGHT if rate is not None else 0.0
        out.append(Bar(label, rate, index * width + GAP / 2, width - GAP, height, HEIGHT - height))
    return out
