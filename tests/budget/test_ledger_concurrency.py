"""Two Finance officers changing one project at the same moment take turns: decreases that each
fit the balance but together do not are written only as far as the balance goes, and an entry
reversed at once by two leaders is reversed once."""

import datetime as dt
import threading

import pytest
from django.db import connections

from haicap.budget import selectors
from haicap.budget.models import LedgerEntry
from haicap.budget.services import ledger
from haicap.core.errors import Conflict, InvalidInput
from tests.budget import world

RUNS = 4
M = world.MILLION


def all_at_once(run) -> tuple[list, list[BaseException]]:
    barrier = threading.Barrier(RUNS)
    answers: list = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            answers.append(run())
        except BaseException as error:  # each refusal is counted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, errors


@pytest.mark.usefixtures("committed_demo")
def test_decreases_at_once_never_take_the_balance_below_zero():
    made = world.make()

    def decrease():
        return ledger.adjust(
            made.who.finance,
            made.plans.y2025,
            made.road,
            "district",
            "district",
            -3_000 * M,
            "210/QĐ-UBND",
            dt.date(2025, 8, 20),
            "Điều chỉnh giảm",
        )

    answers, errors = all_at_once(decrease)
    assert len(answers) == 2  # 8,000 million hold two decreases of 3,000, not three
    assert len(errors) == 2 and all(isinstance(e, InvalidInput) for e in errors)
    held = selectors.balances(made.plans.y2025)[("DL-GT-01", "district", "district")]
    assert held == 2_000 * M


@pytest.mark.usefixtures("committed_demo")
def test_an_entry_reversed_at_once_is_reversed_once():
    made = world.make()
    entry = LedgerEntry.objects.get(project=made.school)

    def reverse():
        return ledger.reverse(
            made.who.finance_leader, entry, "300/QĐ-UBND", dt.date(2025, 9, 1), "Trùng lặp"
        )

    answers, errors = all_at_once(reverse)
    assert len(answers) == 1
    assert len(errors) == RUNS - 1 and all(isinstance(e, Conflict) for e in errors)
    assert LedgerEntry.objects.filter(reverses=entry).count() == 1
