"""Which surplus asset goes to which commune lacking its kind: nearest first (pure: no Django).

The rule is the province's: surplus equipment goes where it is lacking, the nearest first, so
nothing travels further than it must. Every (surplus item, lacking commune) pair of the same kind
within reach is taken in order of travel time (then the larger gap, then the item's and the
commune's identifiers, so the same inputs always give the same proposals); a pair is kept while
the item is unplaced and the commune still lacks that kind. An item never goes to the commune
that holds it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Surplus:
    asset_id: int
    kind: str
    place: str  # the unit code of the commune (or the province) that holds it


@dataclass(frozen=True)
class Lack:
    place: str  # the commune's unit code
    kind: str
    gap: int


@dataclass(frozen=True)
class Proposal:
    asset_id: int
    kind: str
    from_place: str
    to_place: str
    minutes: int


# Minutes between two places, or None when the table has no way between them.
Minutes = Callable[[str, str], int | None]


def allocate(
    surplus: Iterable[Surplus], lacks: Iterable[Lack], minutes: Minutes, max_minutes: int
) -> list[Proposal]:
    """Proposals placing surplus items where their kind is lacking, nearest first."""
    items = sorted(surplus, key=lambda s: s.asset_id)
    wanting = {(lack.place, lack.kind): lack.gap for lack in lacks if lack.gap > 0}
    pairs = []
    for item in items:
        for (place, kind), gap in wanting.items():
            if kind != item.kind or place == item.place:
                continue
            travel = minutes(item.place, place)
            if travel is not None and travel <= max_minutes:
                pairs.append((travel, -gap, item.asset_id, place, item))
    pairs.sort(key=lambda pair: pair[:4])
    placed: set[int] = set()
    proposals = []
    for travel, _gap, asset_id, place, item in pairs:
        if asset_id in placed or wanting[(place, item.kind)] == 0:
            continue
        placed.add(asset_id)
        wanting[(place, item.kind)] -= 1
        proposals.append(Proposal(asset_id, item.kind, item.place, place, travel))
    return proposals
