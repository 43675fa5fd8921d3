"""The disbursement tests' world: ``world.make()`` (the four Đô Lương projects of the 2025 plan)
with the pace the province expects in 2025 and what each project disbursed month by month.

Through June 2025, against the pace of 45 %:

- ``road`` (10,000 million, xã Đô Lương): 500 in January, 1,500 in March, 1,000 in May →
  3,000 = 30 %, behind;
- ``school`` (5,000 million, xã Bạch Hà): 1,000 in February, 1,500 in April → 2,500 = 50 %;
- ``bridge`` (12,000 million, Department of Construction): 3,000 in June → 25 %, behind;
- ``orphan`` (1,000 million, no investor): nothing → 0 %, behind.
"""

from decimal import Decimal
from types import SimpleNamespace

from haicap.budget.models import Disbursement, PaceTarget
from tests.budget import world

MILLION = world.MILLION
PACE_2025 = {3: Decimal(20), 6: Decimal(45), 9: Decimal(70), 12: Decimal(100)}
MONTHS = {
    "road": {1: 500, 3: 1_500, 5: 1_000},
    "school": {2: 1_000, 4: 1_500},
    "bridge": {6: 3_000},
    "orphan": {},
}


def disburse(made: SimpleNamespace, name: str, month: int, millions: int, year: int = 2025):
    return Disbursement.objects.create(
        project=getattr(made, name),
        year=year,
        month=month,
        amount=millions * MILLION,
        entered_by=made.who.finance,
    )


def make() -> SimpleNamespace:
    made = world.make()
    for month, share in PACE_2025.items():
        PaceTarget.objects.create(plan=made.plans.y2025, month=month, share=share)
    for name, months in MONTHS.items():
        for month, millions in months.items():
            disburse(made, name, month, millions)
    return made
