"""What a commune's equipment norms ask of it, and what it lacks (pure: no Django).

A norm says how many of a kind each one-stop desk, or each office (agency) of a commune,
should have. A commune needs the norm times its desks, plus the norm times its offices; it has
the usable assets of the kind its agencies hold (an unusable one counts for nothing). The gap is
what it lacks; a surplus is what it holds beyond the need, which a commune keeps: only assets
marked surplus are moved to others.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Norm:
    per_desk: int = 0
    per_office: int = 0

    def __post_init__(self) -> None:
        if min(self.per_desk, self.per_office) < 0:
            raise ValueError("a norm counts items: 0 or more")


@dataclass(frozen=True)
class Need:
    needed: int
    held: int

    @property
    def gap(self) -> int:
        return max(0, self.needed - self.held)

    @property
    def beyond(self) -> int:
        return max(0, self.held - self.needed)


def need_of(norm: Norm, desks: int, offices: int, held: int) -> Need:
    """What a commune with ``desks`` one-stop desks and ``offices`` offices needs of a kind
    under ``norm``, against the ``held`` usable ones."""
    if min(desks, offices, held) < 0:
        raise ValueError("desks, offices and items are counted: 0 or more")
    return Need(norm.per_desk * desks + norm.per_office * offices, held)
