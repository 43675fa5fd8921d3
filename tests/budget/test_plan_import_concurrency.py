"""The same plan workbook imported twice at once, under one Idempotency-Key: the allocation is
recorded once (on PostgreSQL the second import waits for the first, then finds it done)."""

import pytest

from haicap.budget.models import LedgerEntry
from haicap.budget.plan_import import import_file
from tests.budget import world
from tests.budget.test_plan_import import workbook
from tests.budget.test_transfer_concurrency import all_at_once

ROW = [
    "DL-GT-01",
    "2026",
    "Ngân sách trung ương hỗ trợ",
    "Xã",
    "700.000.000",
    "120/QĐ-UBND",
    "10/07/2025",
    "Giao kế hoạch vốn năm 2026",
]


@pytest.mark.usefixtures("committed_demo")
def test_one_workbook_sent_twice_at_once_allocates_once():
    made = world.make()
    content = workbook(None, [ROW])

    def send(_index: int) -> object:
        return import_file(made.who.finance, "von.xlsx", content, idempotency_key="k1")

    done, errors = all_at_once(send)
    assert not errors, errors
    assert len(done) >= 2
    recorded = LedgerEntry.objects.filter(plan=made.plans.y2026, project=made.road)
    assert recorded.count() == 1 and recorded.get().amount == 700_000_000
