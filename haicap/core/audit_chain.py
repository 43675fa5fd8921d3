"""The hash chain of the audit log (pure: no Django).

Each record's hash covers its own content and the previous record's hash, so changing,
removing or re-ordering any record breaks every link from there on. ``first_broken_link``
names the first record whose link does not hold.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def link_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    """The hash of one record: SHA-256 over the previous hash and the record's content."""
    payload = prev_hash + "\n" + canonical_json(content)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainedRecord:
    seq: int
    content: Mapping[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class BrokenLink:
    seq: int
    reason: str


def first_broken_link(
    records: Iterable[ChainedRecord], expected_last_seq: int | None = None
) -> BrokenLink | None:
    """Walk the records in ``seq`` order and return the first link that does not hold.

    ``expected_last_seq`` is the sequence number the chain head says was written last; a
    shorter chain means records were removed from its end, a longer one that the head was
    moved back.
    """
    previous_hash = GENESIS_HASH
    expected_seq = 1
    for record in records:
        if record.seq != expected_seq:
            return BrokenLink(expected_seq, f"record {expected_seq} is missing")
        if record.prev_hash != previous_hash:
            return BrokenLink(record.seq, "it does not point to the record before it")
        if link_hash(record.prev_hash, record.content) != record.hash:
            return BrokenLink(record.seq, "its content does not match its hash")
        previous_hash = record.hash
        expected_seq += 1
    last_seq = expected_seq - 1
    if expected_last_seq is not None and last_seq < expected_last_seq:
        return BrokenLink(last_seq + 1, f"records {last_seq + 1}..{expected_last_seq} are missing")
    if expected_last_seq is not None and last_seq > expected_last_seq:
        return BrokenLink(
            expected_last_seq + 1, f"the chain head stops at {expected_last_seq}, before the end"
        )
    return None
