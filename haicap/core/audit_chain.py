"""The hash chains of the audit log and the anchors that tie them together (pure: no Django).

The log is split into ``CHAIN_COUNT`` chains so that writes about different things do not wait
for one another. Each record's hash covers its own content and the previous record's hash in
its chain, so changing, removing or re-ordering any record breaks every link from there on in
that chain; ``first_broken_link`` names the first record whose link does not hold.

A chain alone cannot show that its newest records were cut off together with its head. An
anchor notes every chain's head (position and hash) at a moment and is itself chained to the
anchor before it: a record an anchor names must still be there with the same hash, and the
anchors' own chain, noted outside haicap, proves that nothing up to it was rewritten.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

GENESIS_HASH = "0" * 64

# Fixed: a target's chain depends on it. More chains can be added later (their heads are made
# on demand); verification never recomputes a record's chain from its target.
CHAIN_COUNT = 64


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def link_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    """The hash of one record: SHA-256 over the previous hash and the record's content."""
    payload = prev_hash + "\n" + canonical_json(content)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def chain_for(object_type: str, object_id: str, chains: int = CHAIN_COUNT) -> int:
    """The chain of the records about one target: the same every time, spread evenly."""
    digest = hashlib.sha256(f"{object_type}\n{object_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % chains


@dataclass(frozen=True)
class ChainedRecord:
    seq: int
    content: Mapping[str, Any]
    prev_hash: str
    hash: str
    chain: int = 0


@dataclass(frozen=True)
class BrokenLink:
    seq: int
    reason: str
    chain: int = 0


def first_broken_link(
    records: Iterable[ChainedRecord], expected_last_seq: int | None = None, chain: int = 0
) -> BrokenLink | None:
    """Walk one chain's records in ``seq`` order and return the first link that does not hold.

    ``expected_last_seq`` is the position the chain head says was written last; a shorter
    chain means records were removed from its end, a longer one that the head was moved back.
    """
    previous_hash = GENESIS_HASH
    expected_seq = 1
    for record in records:
        if record.seq != expected_seq:
            return BrokenLink(expected_seq, f"record {expected_seq} is missing", chain)
        if record.prev_hash != previous_hash:
            return BrokenLink(record.seq, "it does not point to the record before it", chain)
        if link_hash(record.prev_hash, record.content) != record.hash:
            return BrokenLink(record.seq, "its content does not match its hash", chain)
        previous_hash = record.hash
        expected_seq += 1
    last_seq = expected_seq - 1
    if expected_last_seq is not None and last_seq < expected_last_seq:
        return BrokenLink(
            last_seq + 1, f"records {last_seq + 1}..{expected_last_seq} are missing", chain
        )
    if expected_last_seq is not None and last_seq > expected_last_seq:
        return BrokenLink(
            expected_last_seq + 1,
            f"the chain head stops at {expected_last_seq}, before the end",
            chain,
        )
    return None


def first_broken_chain(
    records: Iterable[ChainedRecord], heads: Mapping[int, int]
) -> BrokenLink | None:
    """Walk every chain; ``records`` come ordered by (chain, seq), ``heads`` map each chain to
    the position its head says was written last. The first broken link of the lowest chain."""
    seen: set[int] = set()
    current: int | None = None
    batch: list[ChainedRecord] = []

    def check(chain: int, batch: list[ChainedRecord]) -> BrokenLink | None:
        if chain not in heads:
            return BrokenLink(batch[0].seq, f"chain {chain} has records but no head", chain)
        return first_broken_link(batch, heads[chain], chain)

    for record in records:
        if record.chain != current:
            if current is not None and (broken := check(current, batch)):
                return broken
            if record.chain in seen:
                return BrokenLink(record.seq, "the records are not in chain order", record.chain)
            current, batch = record.chain, []
            seen.add(record.chain)
        batch.append(record)
    if current is not None and (broken := check(current, batch)):
        return broken
    for chain in sorted(set(heads) - seen):
        if heads[chain] != 0:
            return BrokenLink(1, f"records 1..{heads[chain]} are missing", chain)
    return None


# --- anchors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """Every chain's head at a moment: ``heads`` maps a chain to (its last seq, that hash)."""

    seq: int
    made_at: str  # ISO 8601 in UTC
    heads: Mapping[int, tuple[int, str]]
    prev_hash: str
    hash: str = field(default="")

    def content(self) -> dict[str, Any]:
        return anchor_content(self.seq, self.made_at, self.heads)


def anchor_content(seq: int, made_at: str, heads: Mapping[int, tuple[int, str]]) -> dict[str, Any]:
    """What an anchor's hash covers (JSON has no integer keys: the heads are a sorted list)."""
    return {
        "seq": seq,
        "made_at": made_at,
        "heads": [[chain, last, digest] for chain, (last, digest) in sorted(heads.items())],
    }


def next_anchor(
    previous: Anchor | None, made_at: str, heads: Mapping[int, tuple[int, str]]
) -> Anchor:
    """The anchor after ``previous`` (the first when None), noting ``heads``."""
    seq = previous.seq + 1 if previous else 1
    prev_hash = previous.hash if previous else GENESIS_HASH
    digest = link_hash(prev_hash, anchor_content(seq, made_at, heads))
    return Anchor(seq, made_at, dict(heads), prev_hash, digest)


@dataclass(frozen=True)
class BrokenAnchor:
    seq: int
    reason: str


def first_broken_anchor(
    anchors: Iterable[Anchor],
    hash_at: Mapping[tuple[int, int], str],
    heads: Mapping[int, int],
    expected_last_seq: int | None = None,
) -> BrokenAnchor | None:
    """Walk the anchors in order: each links to the one before and matches its hash; no chain
    goes back from one anchor to the next; every (chain, seq) it names is a record with that
    hash (``hash_at``; position 0 is the genesis) and not beyond its chain's current head."""
    previous_hash = GENESIS_HASH
    expected_seq = 1
    noted: dict[int, int] = {}
    for anchor in anchors:
        if anchor.seq != expected_seq:
            return BrokenAnchor(expected_seq, f"anchor {expected_seq} is missing")
        if anchor.prev_hash != previous_hash:
            return BrokenAnchor(anchor.seq, "it does not point to the anchor before it")
        if link_hash(anchor.prev_hash, anchor.content()) != anchor.hash:
            return BrokenAnchor(anchor.seq, "its content does not match its hash")
        for chain, (last, digest) in sorted(anchor.heads.items()):
            if last < noted.get(chain, 0):
                return BrokenAnchor(anchor.seq, f"chain {chain} went back to {last}")
            noted[chain] = last
            if last > heads.get(chain, 0):
                return BrokenAnchor(anchor.seq, f"chain {chain}'s head is now before record {last}")
            found = GENESIS_HASH if last == 0 else hash_at.get((chain, last))
            if found is None:
                return BrokenAnchor(anchor.seq, f"record {last} of chain {chain} is missing")
            if found != digest:
                return BrokenAnchor(
                    anchor.seq, f"record {last} of chain {chain} no longer has the noted hash"
                )
        previous_hash = anchor.hash
        expected_seq += 1
    last_seq = expected_seq - 1
    if expected_last_seq is not None and last_seq != expected_last_seq:
        return BrokenAnchor(
            min(last_seq, expected_last_seq) + 1,
            f"the anchors end at {last_seq}, their head says {expected_last_seq}",
        )
    return None


def anchored_positions(anchors: Iterable[Anchor]) -> set[tuple[int, int]]:
    """The (chain, seq) of every record the anchors name (position 0 is no record)."""
    return {
        (chain, last) for a in anchors for chain, (last, _digest) in a.heads.items() if last > 0
    }
