"""When a take-over record may be signed (pure: no Django).

Every asset the abolished unit held must have a destination, an agency that takes it over or
a way of disposing of it; one without blocks the signature, and the refusal names each.
"""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    identifier: str
    name: str
    destination: int | None  # an agency's id
    disposal: str  # "" when none


def without_destination(lines: Iterable[Line]) -> list[Line]:
    """The lines that keep the record from being signed, in the order given."""
    return [line for line in lines if line.destination is None and not line.disposal]


def may_sign(lines: Iterable[Line]) -> bool:
    """A record with no asset cannot be signed either: there is nothing to hand over."""
    lines = list(lines)
    return bool(lines) and not without_destination(lines)
