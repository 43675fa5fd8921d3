"""The audit log in the database: append-only, chained, and verified by a command."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from haicap.core.audit import record_change, verify_chain
from haicap.core.context import acting_as, acting_in_request
from haicap.core.models import AuditChainHead, AuditRecord
from haicap.units.models import Agency
from tests.conftest import set_audit_triggers

pytestmark = pytest.mark.django_db


def test_records_are_numbered_without_gaps_and_chained():
    agency = Agency.objects.first()
    before = AuditRecord.objects.count()
    with transaction.atomic(), acting_in_request("req-12345678", "10.0.0.7"):
        first = record_change("agency.touched", agency, before={"name": "a"}, after={"name": "b"})
        second = record_change("agency.touched", agency, after={"name": "c"})
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
    record = AuditRecord.objects.order_by("seq").first()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).update(action="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).delete()


def test_the_command_names_the_first_tampered_record(capsys):
    call_command("verify_audit_chain")
    assert "audit chain intact" in capsys.readouterr().out
    victim = AuditRecord.objects.order_by("seq")[5]
    set_audit_triggers(False)  # an attacker with database access can drop the triggers
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE core_auditrecord SET object_id = %s WHERE id = %s", ["forged", victim.pk]
            )
    finally:
        set_audit_triggers(True)
    with pytest.raises(CommandError, match=f"broken at record {victim.seq}: its content"):
        call_command("verify_audit_chain")


def test_removing_the_newest_records_is_found():
    last = AuditRecord.objects.order_by("-seq").first()
    set_audit_triggers(False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditrecord WHERE id = %s", [last.pk])
    finally:
        set_audit_triggers(True)
    broken = verify_chain()
    assert broken is not None
    assert broken.seq == last.seq


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
    with pytest.raises(CommandError, match=f"record {seq} no longer has the hash"):
        call_command("verify_audit_chain", "--expect-head", f"{seq}:{'0' * 64}")
    with pytest.raises(CommandError, match="takes SEQ:HASH"):
        call_command("verify_audit_chain", "--expect-head", "yesterday")


def test_a_head_moved_back_is_found():
    head = AuditChainHead.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditchainhead SET last_seq = %s", [head.last_seq - 1])
    broken = verify_chain()
    assert broken is not None
    assert broken.seq == head.last_seq
    assert "head stops" in broken.reason


@pytest.mark.usefixtures("committed_db")
def test_concurrent_writers_keep_one_unbroken_chain():
    errors: list[BaseException] = []
    start = AuditChainHead.objects.get().last_seq

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
    written = AuditRecord.objects.filter(action="x.concurrent").order_by("seq")
    assert list(written.values_list("seq", flat=True)) == list(range(start + 1, start + 61))
    assert verify_chain() is None
