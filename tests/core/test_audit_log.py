"""The audit log in the database: append-only, chained, and verified by a command."""

import contextlib
import datetime as dt
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from haicap.core.audit import (
    ANCHOR_CHAIN,
    chained_content,
    record_change,
    verify_anchors,
    verify_chain,
    write_anchor,
)
from haicap.core.audit_chain import CHAIN_COUNT, chain_for, link_hash
from haicap.core.context import acting_as, acting_in_request
from haicap.core.models import AUDIT_ANCHORS, AuditAnchor, AuditChainHead, AuditRecord
from haicap.units.models import Agency
from tests.conftest import set_audit_triggers

pytestmark = pytest.mark.django_db


def _job_in_chain(wanted) -> str:
    """A ``("job", id)`` target whose chain ``wanted`` accepts."""
    return next(str(n) for n in range(10_000) if wanted(chain_for("job", str(n))))


def test_records_are_numbered_without_gaps_and_chained():
    agency = Agency.objects.first()
    chain = chain_for("units.agency", str(agency.pk))
    before = AuditChainHead.objects.get(chain=chain).last_seq
    with transaction.atomic(), acting_in_request("req-12345678", "10.0.0.7"):
        first = record_change("agency.touched", agency, before={"name": "a"}, after={"name": "b"})
        second = record_change("agency.touched", agency, after={"name": "c"})
    assert first.chain == second.chain == chain
    assert second.seq == first.seq + 1 == before + 2
    assert second.prev_hash == first.hash
    assert (first.request_id, first.ip, first.actor_label) == ("req-12345678", "10.0.0.7", "system")
    assert verify_chain() is None


def test_a_job_is_named_as_the_actor():
    with transaction.atomic(), acting_as("nightly-import"):
        record = record_change("x.done", ("job", "1"))
    assert record.actor_label == "nightly-import"
    assert len(record.request_id) == 32


def test_a_record_rolled_back_with_its_change_leaves_the_chain_whole():
    count = AuditRecord.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        record_change("x.attempt", ("job", "2"))
        raise RuntimeError("the service failed after recording")
    assert AuditRecord.objects.count() == count
    with transaction.atomic():
        record_change("x.after", ("job", "3"))
    assert verify_chain() is None


@pytest.mark.usefixtures("committed_db")
def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        record_change("x.loose", ("job", "4"))


def test_the_database_refuses_to_update_or_delete_a_record():
    record = AuditRecord.objects.order_by("id").first()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).update(action="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).delete()


def test_the_command_names_the_first_tampered_record(capsys):
    call_command("verify_audit_chain")
    assert "audit chain intact" in capsys.readouterr().out
    victim = AuditRecord.objects.order_by("id")[5]
    set_audit_triggers(False)  # an attacker with database access can drop the triggers
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE core_auditrecord SET object_id = %s WHERE id = %s", ["forged", victim.pk]
            )
    finally:
        set_audit_triggers(True)
    broken_at = f"chain {victim.chain} broken at record {victim.seq}: its content"
    with pytest.raises(CommandError, match=broken_at):
        call_command("verify_audit_chain")


def test_removing_the_newest_records_is_found():
    last = AuditRecord.objects.order_by("-id").first()
    set_audit_triggers(False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditrecord WHERE id = %s", [last.pk])
    finally:
        set_audit_triggers(True)
    broken = verify_chain()
    assert broken is not None
    assert (broken.chain, broken.seq) == (last.chain, last.seq)


def test_emptying_the_log_is_refused():
    statement = {
        "postgresql": "TRUNCATE core_auditrecord",
        "sqlite": "DELETE FROM core_auditrecord",
    }[connection.vendor]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditRecord.objects.exists()


def test_the_command_refuses_when_the_triggers_are_gone():
    set_audit_triggers(False)
    try:
        with pytest.raises(CommandError, match="append-only triggers are missing"):
            call_command("verify_audit_chain")
    finally:
        set_audit_triggers(True)


# Ways someone with database access could defeat the triggers while leaving triggers of the
# right names in place: per database, the statements and what the command must say.
TAMPERING = {
    "a harmless trigger of the same name": {
        "sqlite": (
            [
                "DROP TRIGGER core_auditrecord_no_update",
                "CREATE TRIGGER core_auditrecord_no_update BEFORE UPDATE ON core_auditrecord "
                "BEGIN SELECT 1; END",
            ],
            "core_auditrecord_no_update is not the one haicap made",
        ),
        "postgresql": (
            [
                "CREATE FUNCTION haicap_let_through() RETURNS trigger AS "
                "$$ BEGIN RETURN OLD; END; $$ LANGUAGE plpgsql",
                "DROP TRIGGER core_auditrecord_append_only ON core_auditrecord",
                "CREATE TRIGGER core_auditrecord_append_only BEFORE UPDATE OR DELETE "
                "ON core_auditrecord FOR EACH ROW EXECUTE FUNCTION haicap_let_through()",
            ],
            "core_auditrecord_append_only is not the one haicap made",
        ),
    },
    "the refusal taken out of the body": {
        "sqlite": (
            [
                "DROP TRIGGER core_auditrecord_no_delete",
                "CREATE TRIGGER core_auditrecord_no_delete BEFORE DELETE ON core_auditrecord "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only') WHERE 0; END",
            ],
            "core_auditrecord_no_delete is not the one haicap made",
        ),
        "postgresql": (
            [
                "CREATE OR REPLACE FUNCTION haicap_refuse_audit_change() RETURNS trigger AS "
                "$$ BEGIN RETURN OLD; END; $$ LANGUAGE plpgsql"
            ],
            "core_auditrecord_append_only calls a function that is not the one haicap made",
        ),
    },
    "the trigger made never to fire": {
        "sqlite": (
            [
                "DROP TRIGGER core_auditrecord_no_update",
                "CREATE TRIGGER core_auditrecord_no_update BEFORE UPDATE ON core_auditrecord "
                "WHEN 0 BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            ],
            "core_auditrecord_no_update is not the one haicap made",
        ),
        "postgresql": (
            ["ALTER TABLE core_auditrecord DISABLE TRIGGER core_auditrecord_no_truncate"],
            "core_auditrecord_no_truncate is disabled",
        ),
    },
    "a trigger haicap did not make": {
        vendor: (
            ["CREATE TRIGGER core_auditrecord_extra AFTER INSERT ON core_auditrecord " + body],
            "core_auditrecord_extra should not be there",
        )
        for vendor, body in [
            ("sqlite", "BEGIN SELECT 1; END"),
            ("postgresql", "FOR EACH ROW EXECUTE FUNCTION haicap_refuse_audit_change()"),
        ]
    },
}


@pytest.mark.parametrize("tampering", TAMPERING)
def test_the_command_refuses_triggers_that_are_not_the_ones_haicap_made(tampering):
    call_command("verify_audit_chain")
    statements, complaint = TAMPERING[tampering][connection.vendor]
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    with pytest.raises(CommandError, match=complaint):
        call_command("verify_audit_chain")


def test_a_noted_head_proves_the_log_was_not_rewritten(capsys):
    call_command("verify_audit_chain")
    head = capsys.readouterr().out.split("head: ")[1].strip()
    call_command("verify_audit_chain", "--expect-head", head)
    seq = head.split(":")[0]
    with pytest.raises(CommandError, match=f"anchor {seq} no longer has the hash"):
        call_command("verify_audit_chain", "--expect-head", f"{seq}:{'0' * 64}")
    with pytest.raises(CommandError, match="takes SEQ:HASH"):
        call_command("verify_audit_chain", "--expect-head", "yesterday")


def test_a_head_moved_back_is_found():
    head = AuditChainHead.objects.get(chain=AuditRecord.objects.order_by("-id").first().chain)
    AuditChainHead.objects.filter(pk=head.pk).update(last_seq=head.last_seq - 1)
    broken = verify_chain()
    assert broken is not None
    assert (broken.chain, broken.seq) == (head.chain, head.last_seq)
    assert "head stops" in broken.reason


@pytest.mark.usefixtures("committed_db")
def test_concurrent_writers_keep_every_chain_unbroken():
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            for i in range(15):
                with transaction.atomic():
                    record_change("x.concurrent", ("writer", f"{number}-{i}"))
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    written = AuditRecord.objects.filter(action="x.concurrent")
    assert written.count() == 60
    assert all(r.chain == chain_for("writer", r.object_id) for r in written)
    assert len({r.chain for r in written}) > 1
    assert verify_chain() is None


def test_records_about_different_targets_go_to_their_own_chains():
    chains = {}
    for number in range(40):
        with transaction.atomic():
            record = record_change("x.spread", ("job", str(number)))
        chains[number] = record.chain
    assert chains == {number: chain_for("job", str(number)) for number in range(40)}
    assert len(set(chains.values())) > 10
    assert verify_chain() is None


def test_one_transaction_writes_to_the_chain_of_its_first_target():
    first, second = _targets_in_two_chains()
    with transaction.atomic():
        a = record_change("x.first", ("job", first))
        with transaction.atomic():  # a savepoint is the same transaction
            b = record_change("x.second", ("job", second))
    assert a.chain == b.chain == chain_for("job", first) != chain_for("job", second)
    assert (b.seq, b.prev_hash) == (a.seq + 1, a.hash)
    with transaction.atomic():
        c = record_change("x.third", ("job", second))
    assert c.chain == chain_for("job", second)


@pytest.mark.usefixtures("committed_db")
def test_a_service_wrapped_in_one_atomic_decorator_spreads_its_transactions():
    """The decorator enters the same Atomic object on every call: each call is still a
    transaction of its own, with the chain of its own target."""
    first, second = _targets_in_two_chains()

    @transaction.atomic
    def service(target: str) -> AuditRecord:
        return record_change("x.decorated", ("job", target))

    assert service(first).chain == chain_for("job", first)
    assert service(second).chain == chain_for("job", second)


def test_a_savepoint_rolled_back_lets_the_transaction_choose_its_chain_again():
    first, second = _targets_in_two_chains()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            record_change("x.undone", ("job", first))
            raise RuntimeError("the savepoint rolls back, with its record and its head lock")
        kept = record_change("x.kept", ("job", second))
    assert kept.chain == chain_for("job", second)


def _targets_in_two_chains() -> tuple[str, str]:
    first = "1"
    second = next(
        str(n) for n in range(2, 500) if chain_for("job", str(n)) != chain_for("job", "1")
    )
    return first, second


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.usefixtures("committed_db")
def test_transactions_meeting_two_targets_in_opposite_orders_do_not_deadlock():
    """Each would lock both chains' heads in its own order if a record's chain followed its own
    target: PostgreSQL would then abort one as a deadlock."""
    first, second = _targets_in_two_chains()
    both_recorded_once = threading.Barrier(2, timeout=10)
    errors: list[BaseException] = []

    def writer(order: tuple[str, str]) -> None:
        try:
            with transaction.atomic():
                record_change("x.crossed", ("job", order[0]))
                # Broken when the other waits for this one's lock: no deadlock either way.
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_recorded_once.wait()
                record_change("x.crossed", ("job", order[1]))
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=writer, args=(order,))
        for order in [(first, second), (second, first)]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditRecord.objects.filter(action="x.crossed").count() == 4
    assert verify_chain() is None


def test_the_chain_number_is_in_the_hash_from_chain_1_on():
    with transaction.atomic():
        record = record_change("x.moved", ("job", _job_in_chain(lambda chain: chain != 0)))
    assert record.chain != 0
    moved = AuditRecord(**{**_fields(record), "chain": 0})
    assert link_hash(record.prev_hash, chained_content(moved)) != record.hash


def _fields(record: AuditRecord) -> dict:
    return {f.attname: getattr(record, f.attname) for f in AuditRecord._meta.concrete_fields}


def test_a_record_of_chain_0_is_hashed_as_before_the_log_was_split():
    """The records written before the split are chain 0: their hashes must still hold."""
    chain_0 = AuditChainHead.objects.get(chain=0)
    target = _job_in_chain(lambda chain: chain == 0)
    with transaction.atomic():
        record = record_change("x.old", ("job", target))
    assert record.chain == 0
    spelled_before = {
        "seq": record.seq,
        "occurred_at": record.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": None,
        "actor_label": record.actor_label,
        "request_id": record.request_id,
        "ip": "",
        "action": "x.old",
        "object_type": "job",
        "object_id": target,
        "before": None,
        "after": None,
    }
    assert record.hash == link_hash(chain_0.last_hash, spelled_before)


def test_every_chain_and_the_anchors_have_a_head():
    chains = set(AuditChainHead.objects.values_list("chain", flat=True))
    assert chains == {ANCHOR_CHAIN, *range(CHAIN_COUNT)}


def test_an_anchor_notes_every_head_and_only_when_a_chain_moved():
    first = write_anchor() or AuditAnchor.objects.order_by("-seq").first()
    assert write_anchor() is None  # nothing moved
    with transaction.atomic():
        record = record_change("x.anchored", ("job", "anchored"))
    second = write_anchor()
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.hash
    noted = {chain: (last, digest) for chain, last, digest in second.heads}
    assert set(noted) == set(range(CHAIN_COUNT))
    assert noted[record.chain] == (record.seq, record.hash)
    assert AuditChainHead.objects.get(chain=ANCHOR_CHAIN).last_seq == second.seq
    assert verify_anchors() is None


def test_cutting_a_chain_short_with_its_head_is_found_by_the_anchors():
    with transaction.atomic():
        record = record_change("x.cut", ("job", "cut"))
    write_anchor()
    set_audit_triggers(False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditrecord WHERE id = %s", [record.pk])
    finally:
        set_audit_triggers(True)
    AuditChainHead.objects.filter(chain=record.chain).update(
        last_seq=record.seq - 1, last_hash=record.prev_hash
    )
    assert verify_chain() is None  # the chain alone looks whole
    broken = verify_anchors()
    assert broken is not None
    assert f"chain {record.chain}" in broken.reason
    with pytest.raises(CommandError, match=f"chain {record.chain}"):
        call_command("verify_audit_chain")


def test_the_anchors_are_append_only():
    anchor = write_anchor() or AuditAnchor.objects.order_by("-seq").first()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditAnchor.objects.filter(pk=anchor.pk).update(hash="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditAnchor.objects.filter(pk=anchor.pk).delete()


def test_the_command_refuses_when_the_anchors_triggers_are_gone():
    with connection.cursor() as cursor:
        for sql in AUDIT_ANCHORS.statements(connection.vendor, create=False):
            cursor.execute(sql)
    with pytest.raises(CommandError, match="core_auditanchor"):
        call_command("verify_audit_chain")
