"""The audit log in the database: append-only, chained, and verified by a command."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from haicap.core.audit import record_change, verify_chain
from haicap.core.context import acting_as, acting_in_request
from haicap.core.models import AuditRecord
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
