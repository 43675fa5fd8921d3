"""The capital world (``world.make``) after the transfer of the former Đô Lương district's
capital, approved, and some months of disbursement: what the open-data package, the briefing
pack's capital section and the disbursement-rate measure read.

The transfer is written straight to the ledger as an approved batch would write it (the batch
services are tested on their own): for each project with an investor, each source's district
allocation moves, a minus on the district level and a plus on the investor's level."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from haicap.budget import selectors
from haicap.budget.models import Disbursement, LedgerEntry, Level, TransferBatch
from tests.budget import world

TRANSFERRED = dt.date(2025, 8, 15)
DECISION = "2150/QĐ-UBND"
MILLION = world.MILLION

# Disbursed in each month of 2025 (in million đồng): the road, the school, the bridge.
MONTHS = {
    "road": {1: 100, 2: 250, 3: 50, 8: 600},
    "school": {3: 500, 9: 1_000},
    "bridge": {6: 3_000},
}


def transfer(made: SimpleNamespace) -> TransferBatch:
    """Approve the transfer of the 2025 plan's district capital of the projects with an
    investor (the orphan keeps its capital at the district level)."""
    who = made.who
    batch = TransferBatch.objects.create(
        plan=made.plans.y2025,
        title="Chuyển vốn ngân sách huyện Đô Lương năm 2025",
        district=made.district,
        created_by=who.finance,
    )
    for project in (made.road, made.school, made.bridge):
        level = selectors.destination_level(project)
        for entry in list(LedgerEntry.objects.filter(project=project, level=Level.DISTRICT)):
            for side_level, amount in ((Level.DISTRICT, -entry.amount), (level, entry.amount)):
                LedgerEntry.objects.create(
                    plan=entry.plan,
                    project=project,
                    source=entry.source,
                    level=side_level,
                    amount=amount,
                    kind=LedgerEntry.Kind.TRANSFER,
                    decision_number=DECISION,
                    decision_date=TRANSFERRED,
                    reason="Chuyển vốn về cấp ngân sách của chủ đầu tư sau sắp xếp",
                    batch=batch,
                    recorded_by=who.finance_leader,
                )
    TransferBatch.objects.filter(pk=batch.pk).update(
        status=TransferBatch.Status.APPROVED,
        decision_number=DECISION,
        decision_date=TRANSFERRED,
        approved_by=who.finance_leader,
        approved_at=timezone.now(),
    )
    return batch


def disburse(made: SimpleNamespace, months: dict = MONTHS, year: int = 2025) -> None:
    for name, by_month in months.items():
        for month, amount in by_month.items():
            Disbursement.objects.create(
                project=getattr(made, name),
                year=year,
                month=month,
                amount=amount * MILLION,
                entered_by=made.who.finance,
            )


def make() -> SimpleNamespace:
    made = world.make()
    made.batch = transfer(made)
    disburse(made)
    return made
