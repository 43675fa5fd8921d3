"""Comparing what haicap sent with what a national system holds, for one day (pure).

Each side is a set of entries ``(stream, position, kind)``: the dossier, its event's number, and
what the event was. The digest is SHA-256 over the sorted lines ``stream|position|kind``, the
same on both sides, so equal digests mean equal sets without listing them.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

Entry = tuple[str, int, str]


def digest(entries: Iterable[Entry]) -> str:
    lines = sorted(f"{stream}|{position}|{kind}" for stream, position, kind in set(entries))
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@dataclass(frozen=True)
class Comparison:
    missing: list[Entry]  # held here, not there: to send again
    extra: list[Entry]  # there, not here: to explain
    local_digest: str
    remote_digest: str

    @property
    def differences(self) -> int:
        return len(self.missing) + len(self.extra)


def compare(local: Iterable[Entry], remote: Iterable[Entry]) -> Comparison:
    here, there = set(local), set(remote)
    return Comparison(
        missing=sorted(here - there),
        extra=sorted(there - here),
        local_digest=digest(here),
        remote_digest=digest(there),
    )
