"""Splitting the audit log into chains (core 0003) keeps every record written before valid."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from haicap.core import append_only
from haicap.core.audit import ANCHOR_CHAIN, record_change, verify_anchors, verify_chain
from haicap.core.audit_chain import CHAIN_COUNT, GENESIS_HASH, chain_for, link_hash
from haicap.core.models import AUDIT_ANCHORS, AuditAnchor, AuditChainHead, AuditRecord
from tests.conftest import set_audit_triggers

BEFORE_SPLIT = ("core", "0002_append_only_and_chain_head")


def old_content(seq: int, at: dt.datetime, object_id: str) -> dict:
    """A record's content as the hash covered it before the split (no chain)."""
    return {
        "seq": seq,
        "occurred_at": at.isoformat(timespec="microseconds"),
        "actor_id": None,
        "actor_label": "system",
        "request_id": "r",
        "ip": "",
        "action": "x.before_split",
        "object_type": "job",
        "object_id": object_id,
        "before": None,
        "after": {"n": seq},
    }


@pytest.mark.usefixtures("committed_db")
def test_records_written_before_the_split_become_chain_0_and_still_verify():
    set_audit_triggers(False)
    for model in (AuditRecord, AuditAnchor, AuditChainHead):
        model.objects.all().delete()
    call_command("migrate", "core", BEFORE_SPLIT[1], verbosity=0)
    old_apps = MigrationExecutor(connection).loader.project_state(BEFORE_SPLIT).apps
    previous = GENESIS_HASH
    for seq in (1, 2, 3):
        at = dt.datetime(2026, 5, 1, 8, 0, seq, 123456, tzinfo=dt.UTC)
        digest = link_hash(previous, old_content(seq, at, f"old-{seq}"))
        old_apps.get_model("core", "AuditRecord").objects.create(
            seq=seq,
            occurred_at=at,
            actor_label="system",
            request_id="r",
            action="x.before_split",
            object_type="job",
            object_id=f"old-{seq}",
            after={"n": seq},
            prev_hash=previous,
            hash=digest,
        )
        previous = digest
    old_apps.get_model("core", "AuditChainHead").objects.create(
        pk=1, last_seq=3, last_hash=previous
    )

    call_command("migrate", "core", verbosity=0)

    assert list(AuditRecord.objects.order_by("id").values_list("chain", "seq")) == [
        (0, 1),
        (0, 2),
        (0, 3),
    ]
    heads = {h.chain: (h.last_seq, h.last_hash) for h in AuditChainHead.objects.all()}
    assert set(heads) == {ANCHOR_CHAIN, *range(CHAIN_COUNT)}
    assert heads[0] == (3, previous)
    assert verify_chain() is None
    assert append_only.differences(connection) == []
    assert AUDIT_ANCHORS.differences(connection) == []
    target = next(str(n) for n in range(10_000) if chain_for("job", str(n)) == 0)
    with transaction.atomic():
        record = record_change("x.after_split", ("job", target))
    assert (record.chain, record.seq, record.prev_hash) == (0, 4, previous)
    call_command("verify_audit_chain", verbosity=0)
    assert verify_anchors() is None
