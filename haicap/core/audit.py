"""Recording changes in the audit log. Every service that writes calls ``record_change``.

It must run inside the service's transaction: the record commits or rolls back with the
change it describes. The log is ``CHAIN_COUNT`` chains, each with its own head row, so writes
in different chains do not wait for one another; ``write_anchor`` ties the chains together.
"""

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction

from haicap.core import clock, context
from haicap.core.audit_chain import (
    CHAIN_COUNT,
    GENESIS_HASH,
    Anchor,
    BrokenAnchor,
    BrokenLink,
    ChainedRecord,
    anchored_positions,
    chain_for,
    first_broken_anchor,
    first_broken_chain,
    link_hash,
    next_anchor,
)
from haicap.core.models import AuditAnchor, AuditChainHead, AuditRecord

ANCHOR_CHAIN = -1  # the anchors' head among the chain heads


def json_value(value: Any) -> Any:
    """A value as JSON keeps it in both databases: dates, decimals and ids as text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID | float):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_value(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The audited state of a row: its concrete fields (foreign keys as ids)."""
    wanted = set(fields) if fields is not None else None
    state = {}
    for field in instance._meta.concrete_fields:
        if wanted is not None and field.name not in wanted:
            continue
        if field.name in {"password"}:
            continue  # never log secrets, not even hashed
        state[field.attname] = json_value(field.value_from_object(instance))
    return state


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    return {key: after[key] for key in after if before.get(key) != after[key]}


def actor_label_for(actor: Any) -> str:
    if actor is not None and getattr(actor, "pk", None):
        return actor.get_username()
    return context.current().job or "system"


def record_change(
    action: str,
    target: models.Model | tuple[str, str],
    *,
    actor: Any = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditRecord:
    """Append one record to the chain. ``target`` is a row, or ``(type, id)`` for other things."""
    if not connection.in_atomic_block:
        raise RuntimeError("record_change must run inside the service's transaction")
    if isinstance(target, models.Model):
        object_type, object_id = target._meta.label_lower, str(target.pk)
    else:
        object_type, object_id = target
    acting = context.current()
    chain = _chain_of_transaction(object_type, object_id)
    head = AuditChainHead.objects.select_for_update().get(chain=chain)
    record = AuditRecord(
        chain=chain,
        seq=head.last_seq + 1,
        occurred_at=clock.now(),
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        actor_label=actor_label_for(actor),
        request_id=acting.request_id,
        ip=acting.ip or "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=json_value(before) if before is not None else None,
        after=json_value(after) if after is not None else None,
        prev_hash=head.last_hash,
    )
    record.hash = link_hash(record.prev_hash, chained_content(record))
    record.save(force_insert=True)
    head.last_seq, head.last_hash = record.seq, record.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return record


@dataclass(frozen=True)
class _NotedChain:
    """Registered with ``on_commit`` to note the chain a transaction writes to: Django drops it
    when the transaction ends either way, or when the savepoint it was noted in rolls back (on
    PostgreSQL that releases the head's lock too)."""

    transaction: object
    chain: int

    def __call__(self) -> None:
        """Nothing to do on commit."""


def _chain_of_transaction(object_type: str, object_id: str) -> int:
    """The chain of the first target the transaction records: every later record of the same
    transaction goes there too. A transaction then locks one head, as when there was one chain;
    locking the head of each target it meets could deadlock with another transaction meeting
    the same two targets in the other order."""
    blocks = connection.atomic_blocks
    # A test's own wrapping transaction does not count: the service's inside it does.
    outermost = next((b for b in blocks if not getattr(b, "_from_testcase", False)), blocks[0])
    for _savepoints, hook, *_robust in connection.run_on_commit:
        if isinstance(hook, _NotedChain) and hook.transaction is outermost:
            return hook.chain
    chain = chain_for(object_type, object_id)
    transaction.on_commit(_NotedChain(outermost, chain))
    return chain


def record_save(
    instance: models.Model, before: Mapping[str, Any] | None, *, actor: Any = None
) -> None:
    """Record a row just saved: ``<model>.created`` when ``before`` is None (a new row), else
    ``<model>.updated`` with the fields that changed (nothing when none did)."""
    label = instance._meta.model_name
    after = snapshot(instance)
    if before is None:
        record_change(f"{label}.created", instance, actor=actor, after=after)
        return
    diff = changed_fields(before, after)
    if diff:
        record_change(
            f"{label}.updated",
            instance,
            actor=actor,
            before={key: before.get(key) for key in diff},
            after=diff,
        )


def chained_content(record: AuditRecord) -> dict[str, Any]:
    """What the hash covers: every field a reader relies on. The chain is covered from chain 1
    on; chain 0's records (all of them, before the log was split) are hashed as they always
    were, so their links still hold."""
    content = {
        "seq": record.seq,
        "occurred_at": record.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": record.actor_id,
        "actor_label": record.actor_label,
        "request_id": record.request_id,
        "ip": record.ip,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "before": record.before,
        "after": record.after,
    }
    if record.chain:
        content["chain"] = record.chain
    return content


def _chained_records(batch_size: int = 2000) -> Iterator[ChainedRecord]:
    records = AuditRecord.objects.order_by("chain", "seq").iterator(chunk_size=batch_size)
    for record in records:
        yield ChainedRecord(
            record.seq, chained_content(record), record.prev_hash, record.hash, record.chain
        )


def _chain_heads() -> dict[int, AuditChainHead]:
    return {head.chain: head for head in AuditChainHead.objects.all()}


def verify_chain() -> BrokenLink | None:
    """Check every chain of the log from its genesis to its head; ``None`` when every link
    holds."""
    heads = {chain: head.last_seq for chain, head in _chain_heads().items() if chain >= 0}
    return first_broken_chain(_chained_records(), heads)


def _anchor_of(row: AuditAnchor) -> Anchor:
    heads = {chain: (last, digest) for chain, last, digest in row.heads}
    made_at = row.made_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return Anchor(row.seq, made_at, heads, row.prev_hash, row.hash)


def verify_anchors() -> BrokenAnchor | None:
    """Check the anchors: linked to one another, each naming records that are still there with
    the hashes it noted; ``None`` when all hold. Run after ``verify_chain``."""
    anchors = [_anchor_of(row) for row in AuditAnchor.objects.order_by("seq")]
    by_chain: dict[int, list[int]] = {}
    for chain, seq in sorted(anchored_positions(anchors)):
        by_chain.setdefault(chain, []).append(seq)
    hash_at: dict[tuple[int, int], str] = {}
    for chain, positions in by_chain.items():
        for start in range(0, len(positions), 1000):
            rows = AuditRecord.objects.filter(chain=chain, seq__in=positions[start : start + 1000])
            hash_at.update(
                ((chain, seq), digest) for seq, digest in rows.values_list("seq", "hash")
            )
    heads = _chain_heads()
    anchor_head = heads.pop(ANCHOR_CHAIN, None)
    return first_broken_anchor(
        anchors,
        hash_at,
        {chain: head.last_seq for chain, head in heads.items()},
        anchor_head.last_seq if anchor_head else None,
    )


def write_anchor() -> AuditAnchor | None:
    """Note every chain's head in a new anchor, or nothing (None) when no chain moved since
    the last one. Its own transaction; safe to run from several workers at once."""
    with transaction.atomic():
        anchor_head = AuditChainHead.objects.select_for_update().get(chain=ANCHOR_CHAIN)
        # One query reads the heads as committed at one moment: every record they name is in.
        heads = {
            head.chain: (head.last_seq, head.last_hash)
            for head in AuditChainHead.objects.filter(chain__gte=0)
        }
        last = AuditAnchor.objects.order_by("-seq").first()
        previous = _anchor_of(last) if last else None
        if previous is not None and dict(previous.heads) == heads:
            return None
        made_at = clock.now()
        made_at_text = made_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
        anchor = next_anchor(previous, made_at_text, heads)
        row = AuditAnchor.objects.create(
            seq=anchor.seq,
            made_at=made_at,
            heads=anchor.content()["heads"],
            prev_hash=anchor.prev_hash,
            hash=anchor.hash,
        )
        anchor_head.last_seq, anchor_head.last_hash = anchor.seq, anchor.hash
        anchor_head.save(update_fields=["last_seq", "last_hash"])
    return row


def run_anchor() -> str:
    """The worker's job: a new anchor if the log moved."""
    row = write_anchor()
    return f"anchor {row.seq}" if row else "no change since the last anchor"


def ensure_chain_head() -> None:
    """Create the heads once: every chain's and the anchors' (the migrations do it; tests that
    flush call this)."""
    with transaction.atomic():
        present = set(AuditChainHead.objects.values_list("chain", flat=True))
        AuditChainHead.objects.bulk_create(
            [
                AuditChainHead(chain=chain, last_seq=0, last_hash=GENESIS_HASH)
                for chain in [ANCHOR_CHAIN, *range(CHAIN_COUNT)]
                if chain not in present
            ],
            ignore_conflicts=True,  # another process made them meanwhile
        )
