"""Recording changes in the audit log. Every service that writes calls ``record_change``.

It must run inside the service's transaction: the record commits or rolls back with the
change it describes.
"""

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.db import connection, models, transaction

from haicap.core import clock, context
from haicap.core.audit_chain import (
    GENESIS_HASH,
    BrokenLink,
    ChainedRecord,
    first_broken_link,
    link_hash,
)
from haicap.core.models import AuditChainHead, AuditRecord

HEAD_ID = 1


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
    head = AuditChainHead.objects.select_for_update().get(pk=HEAD_ID)
    record = AuditRecord(
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
    """What the hash covers: every field a reader relies on."""
    return {
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


def _chained_records(batch_size: int = 2000) -> Iterator[ChainedRecord]:
    for record in AuditRecord.objects.order_by("seq").iterator(chunk_size=batch_size):
        yield ChainedRecord(record.seq, chained_content(record), record.prev_hash, record.hash)


def verify_chain() -> BrokenLink | None:
    """Check the whole log; ``None`` when every link holds."""
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
    expected_last = head.last_seq if head else None
    return first_broken_link(_chained_records(), expected_last_seq=expected_last)


def ensure_chain_head() -> None:
    """Create the head row once (the initial migration does it; tests that flush call this)."""
    with transaction.atomic():
        AuditChainHead.objects.get_or_create(
            pk=HEAD_ID, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
        )
