"""Two leaders approving the same batch at the same moment: one approval wins, the other is
refused as already approved, and the ledger holds the batch's entries once; a draft sent twice
at once with one Idempotency-Key is made once (both databases)."""

import datetime as dt
import threading

import pytest
from django.db import connections

from haicap.budget.models import LedgerEntry, TransferBatch
from haicap.budget.services import transfer
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.context import acting_as
from haicap.core.roles import Role
from tests.budget import world

AT_ONCE = 2
NOW = dt.datetime(2025, 7, 20, 9, 0, tzinfo=VIETNAM)


def all_at_once(work) -> tuple[list[object], list[BaseException]]:
    barrier = threading.Barrier(AT_ONCE)
    done: list[object] = []
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            with acting_as("test"), clock.fixed_at(NOW):
                done.append(work(index))
        except BaseException as error:  # counted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done, errors


@pytest.mark.usefixtures("committed_demo")
def test_two_approvals_at_once_write_the_batch_once():
    made = world.make()
    batch = transfer.draft_batch(
        made.who.finance, made.plans.y2025, made.district, title="Chuyển vốn Đô Lương"
    )
    second_leader = world.staff("lanhdao2.vondautu", world.FINANCE, Role.LEADER)
    leaders = [made.who.finance_leader, second_leader]

    def approve(index: int) -> str:
        return transfer.approve(
            leaders[index],
            TransferBatch.objects.get(pk=batch.pk),
            decision_number=f"{100 + index}/QĐ-UBND",
            decision_date=dt.date(2025, 7, 15),
        ).decision_number

    done, errors = all_at_once(approve)
    assert len(done) == 1
    assert [type(error) for error in errors] == [transfer.BatchApproved]
    batch.refresh_from_db()
    assert batch.decision_number == done[0]
    written = LedgerEntry.objects.filter(batch=batch)
    assert written.count() == 8
    assert set(written.values_list("decision_number", flat=True)) == {done[0]}


@pytest.mark.usefixtures("committed_demo")
def test_one_key_sent_twice_at_once_drafts_one_batch():
    made = world.make()

    def draft(_index: int) -> int:
        return transfer.draft_batch(
            made.who.finance,
            made.plans.y2025,
            made.district,
            title="Chuyển vốn Đô Lương",
            idempotency_key="draft-once",
        ).pk

    done, errors = all_at_once(draft)
    assert errors == []
    assert len(done) == AT_ONCE and len(set(done)) == 1
    assert TransferBatch.objects.count() == 1
