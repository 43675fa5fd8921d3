"""Codes the receiver understands: a message waits, with its reason, for a missing mapping."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from haicap.core import clock
from haicap.exchange.comparison import compare, digest
from haicap.exchange.mapping import prepare, prepare_all, release_held
from haicap.exchange.models import CodeMapping, OutboxMessage, Reconciliation
from haicap.exchange.national_codes import Unmapped, translate
from haicap.exchange.reconciliation import reconcile
from haicap.exchange.services import reconcile_yesterday
from tests.conftest import client_for
from tests.dossiers.test_scenarios import at, receive

PAYLOAD = {
    "procedure_code": "X.HT.001",
    "receiving_agency": "17662.05.H40",
    "competent_agency": "17662.02.H40",
    "status": {"step": "received", "outcome": ""},
    "event": {"seq": 1, "action": "receive", "at": "2026-03-02T09:00:00+07:00"},
}
NATIONAL = {
    ("procedure", "X.HT.001"): "1.000894",
    ("agency", "17662.05.H40"): "G22.40.05",
    ("agency", "17662.02.H40"): "G22.40.02",
    ("status", "received"): "1",
}


def test_a_message_is_put_in_national_codes():
    national = translate(PAYLOAD, lambda kind, code: NATIONAL.get((kind, code)))
    assert national["procedure_code"] == "1.000894"
    assert (national["receiving_agency"], national["competent_agency"]) == (
        "G22.40.05",
        "G22.40.02",
    )
    assert national["status"]["national_code"] == "1"
    assert PAYLOAD["procedure_code"] == "X.HT.001"  # the outbox keeps haicap's own words


def test_every_missing_code_is_named():
    partial = {k: v for k, v in NATIONAL.items() if k[0] != "agency"}
    with pytest.raises(Unmapped) as held:
        translate(PAYLOAD, lambda kind, code: partial.get((kind, code)))
    assert held.value.missing == [("agency", "17662.02.H40"), ("agency", "17662.05.H40")]
    assert "agency 17662.02.H40" in str(held.value)


entries = st.sets(st.tuples(st.sampled_from(["A", "B", "C"]), st.integers(1, 4), st.just("k")))


@given(entries, entries)
def test_the_comparison_finds_exactly_the_differences(here, there):
    result = compare(here, there)
    assert set(result.missing) == here - there and set(result.extra) == there - here
    assert (result.local_digest == result.remote_digest) == (here == there)
    assert digest(here) == digest(sorted(here))  # the order of listing does not matter


@pytest.mark.django_db
def test_a_message_with_an_unmapped_code_is_held_then_released(user, tmp_path):
    dossier = receive(user, at(3, 2, 9), "X.HT.001").dossier
    message = OutboxMessage.objects.get(stream=dossier.code)
    assert prepare(message)["procedure_code"] == "X.HT.001"  # the demo maps codes to themselves
    CodeMapping.objects.filter(kind="procedure", local_code="X.HT.001").delete()
    with pytest.raises(Unmapped):
        prepare(message)
    message.status = OutboxMessage.Status.HELD
    message.save()
    assert release_held() == 0
    assert "procedure X.HT.001" in OutboxMessage.objects.get(pk=message.pk).last_error
    sheet = tmp_path / "mappings.csv"
    sheet.write_text(
        "target,kind,local_code,national_code,note\ndvcqg,procedure,X.HT.001,1.000894,\n",
        encoding="utf-8",
    )
    call_command("import_code_mappings", str(sheet), verbosity=0)
    released = OutboxMessage.objects.get(pk=message.pk)
    assert released.status == OutboxMessage.Status.PENDING and released.last_error == ""
    assert prepare(released)["procedure_code"] == "1.000894"


def _messages(count: int, procedures: list[str]) -> list[OutboxMessage]:
    """Unsaved messages of ``count`` dossiers, their procedures taken in turn."""
    return [
        OutboxMessage(
            target="dvcqg",
            kind="dossier.status",
            stream=f"D-{n}",
            position=1,
            payload={**PAYLOAD, "procedure_code": procedures[n % len(procedures)]},
        )
        for n in range(count)
    ]


@pytest.mark.django_db
def test_a_batch_reads_the_mappings_once_whatever_its_size():
    for (kind, local), national in NATIONAL.items():
        CodeMapping.objects.update_or_create(
            target="dvcqg", kind=kind, local_code=local, defaults={"national_code": national}
        )
    CodeMapping.objects.update_or_create(
        target="dvcqg", kind="procedure", local_code="X.HT.007", defaults={"national_code": "7"}
    )
    CodeMapping.objects.filter(target="dvcqg", kind="procedure", local_code="X.XD.001").delete()
    counts = []
    for size in (2, 40):
        batch = _messages(size, ["X.HT.001", "X.HT.007", "X.XD.001"])
        with CaptureQueriesContext(connection) as queries:
            prepared = prepare_all(batch)
        counts.append(len(queries))
        assert [p["procedure_code"] for p in prepared if not isinstance(p, Unmapped)] == [
            {"X.HT.001": "1.000894", "X.HT.007": "7"}[m.payload["procedure_code"]]
            for m in batch
            if m.payload["procedure_code"] != "X.XD.001"
        ]
        held = [p for p in prepared if isinstance(p, Unmapped)]
        assert len(held) == size // 3 + (size % 3 > 2)
        assert all(p.missing == [("procedure", "X.XD.001")] for p in held)
    assert counts == [1, 1]
    # one message alone, as the mapping page and release use it, reads them the same way
    assert prepare(_messages(1, ["X.HT.007"])[0])["procedure_code"] == "7"


@pytest.mark.django_db
def test_a_bad_mapping_sheet_is_refused_whole(tmp_path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        "target,kind,local_code,national_code\n"
        "dvcqg,procedure,X.HT.001,1.1\n"
        "dvcqg,colour,X,1\n"
        "dvcqg,procedure,X.HT.001,1.2\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"line 3: kind must be one of.*line 4: the same code"):
        call_command("import_code_mappings", str(sheet))
    assert (
        CodeMapping.objects.get(kind="procedure", local_code="X.HT.001").national_code == "X.HT.001"
    )


@pytest.mark.django_db
def test_the_admin_imports_mappings():
    upload = SimpleUploadedFile(
        "ma.csv", b"target,kind,local_code,national_code\ndvcqg,status,received,01\n"
    )
    response = client_for("admin").post(
        reverse("admin:exchange_codemapping_import"), {"file": upload}
    )
    assert response.status_code == 302
    assert CodeMapping.objects.get(kind="status", local_code="received").national_code == "01"


@pytest.mark.django_db
def test_reconciliation_sends_again_what_the_target_lacks_and_lists_the_rest(user):
    first = receive(user, at(3, 2, 9), "X.HT.001").dossier
    second = receive(user, at(3, 2, 10), "X.HT.001").dossier
    OutboxMessage.objects.update(status=OutboxMessage.Status.SENT)
    there = [(first.code, 1, "dossier.receive"), ("17662.05.H40-260302-9999", 1, "dossier.receive")]
    result = reconcile("dvcqg", dt.date(2026, 3, 2), lambda target, day: there)
    assert result.local_count == 2 and result.remote_count == 2 and result.resent == 1
    sides = {d["entry"][0]: d["side"] for d in result.differences}
    assert sides == {second.code: "missing_there", "17662.05.H40-260302-9999": "only_there"}
    assert OutboxMessage.objects.get(stream=second.code).status == OutboxMessage.Status.PENDING
    assert OutboxMessage.objects.get(stream=first.code).status == OutboxMessage.Status.SENT


@pytest.mark.django_db
def test_an_unreachable_target_is_recorded_and_nothing_changes(user):
    receive(user, at(3, 2, 9), "X.HT.001")
    OutboxMessage.objects.update(status=OutboxMessage.Status.SENT)

    def away(target, day):
        raise ConnectionRefusedError("connection refused")

    result = reconcile("dvcqg", dt.date(2026, 3, 2), away)
    assert result.error == "connection refused" and result.remote_count is None
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()
    assert Reconciliation.objects.count() == 1


@pytest.mark.django_db
def test_operators_see_and_retry_given_up_messages_and_others_cannot(user):
    dossier = receive(user, at(3, 2, 9), "X.HT.001").dossier
    OutboxMessage.objects.update(
        status=OutboxMessage.Status.DEAD, attempts=8, last_error="500 from 040195012345"
    )
    admin = client_for("admin")
    page = admin.get(reverse("desk:outbox"), {"status": "dead"}).content.decode()
    assert dossier.code in page and "040******345" in page and "040195012345" not in page
    assert client_for("tiepnhan.doluong").get(reverse("desk:outbox")).status_code == 404
    assert client_for("giamsat").post(reverse("desk:outbox_retry")).status_code == 302
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.DEAD  # a supervisor reads
    admin.post(reverse("desk:outbox_retry"), {"message": OutboxMessage.objects.get().pk})
    again = OutboxMessage.objects.get()
    assert (again.status, again.attempts) == (OutboxMessage.Status.PENDING, 0)


@pytest.mark.django_db
def test_the_nightly_job_reconciles_yesterday_for_each_target(user, settings):
    receive(user, at(3, 2, 9), "X.HT.001")
    settings.HAICAP_NATIONAL_PORTAL_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.HAICAP_NATIONAL_PORTAL_TIMEOUT = 1
    with clock.fixed_at(at(3, 3, 2)):
        (result,) = reconcile_yesterday()
    assert (result.target, result.day, result.local_count) == ("dvcqg", dt.date(2026, 3, 2), 1)
    assert result.error and result.remote_count is None  # said, not silently skipped
