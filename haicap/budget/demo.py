"""The demo province's public-investment capital: the former Đô Lương district's projects
(``demo_data``) imported with their medium-term and 2025 allocations at the district level and
their 2026 plan at their investors' levels; the 2025 plan's district capital moved to the
province or the six communes by investor, approved and balanced to the đồng; the medium-term
plan's transfer drafted and waiting for the Finance leader; the pace the province expects; and
the months of disbursement up to the last month ended.

ILLUSTRATIVE, and said so where an officer reads it (``demo_data.NOTE`` in the plan's reasons and
the open-data package): the projects, amounts, decisions and pace are invented.

Everything goes through the services, audited, as Finance's officers would do it: the plan as an
import, the transfer drafted by the specialist and approved by the leader, each month entered.
"""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.db import transaction

from haicap.accounts.models import User
from haicap.budget import demo_data as data
from haicap.budget import rates
from haicap.budget.models import Plan, Project
from haicap.budget.plan_columns import TITLES, Kind, UnitName
from haicap.budget.plan_sheet import AllocationRow, Place, PlanWorkbook, ProjectRow
from haicap.budget.services import disbursement, transfer
from haicap.budget.services.imports import import_plan
from haicap.budget.services.projects import ensure_plans
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.units.kinds import Duty, Tier
from haicap.units.models import AdministrativeUnit, Agency, AgencyDuty

FINANCE = "000.04.00.H40"
SPECIALIST, LEADER = "chuyenvien.dautu", "lanhdao.taichinh"
THOUSAND = 1_000


@dataclass(frozen=True)
class LoadedCapital:
    projects: int
    moved: int  # đồng of the 2025 plan moved from the district level
    to_communes: int
    to_province: int
    months: int  # months of disbursement entered, over both years
    behind: int  # projects behind the pace at the last month entered


def _workbook() -> PlanWorkbook:
    projects, allocations = [], []
    for n, project in enumerate(data.PROJECTS, start=2):
        projects.append(
            ProjectRow(
                at=Place(Kind.PROJECTS, TITLES[Kind.PROJECTS], n),
                code=project.code,
                name=project.name,
                field=project.field,
                location=UnitName(code=project.location) if project.location else None,
                investor=project.investor,
                former_investor=data.FORMER_INVESTOR,
                former_district=UnitName(name="Đô Lương", word="huyện"),
                total=project.total_investment,
                fundings=dict(project.fundings),
            )
        )
    tiers = dict(
        Agency.objects.filter(code__in={p.investor for p in data.PROJECTS}).values_list(
            "code", "unit__tier"
        )
    )
    row = 1
    for project in data.PROJECTS:
        # the 2026 plan was allocated after the reform: at its investor's level
        investor_level = "commune" if tiers[project.investor] == Tier.COMMUNE else "province"
        plans = (
            (
                "2021-2025",
                "district",
                project.medium_term,
                data.MEDIUM_TERM_DECISION,
                "Giao kế hoạch đầu tư công trung hạn 2021–2025",
            ),
            (
                "2025",
                "district",
                project.plan_2025,
                data.ALLOCATION_2025,
                "Giao kế hoạch vốn năm 2025",
            ),
            (
                "2026",
                investor_level,
                project.plan_2026,
                data.ALLOCATION_2026,
                "Giao kế hoạch vốn năm 2026",
            ),
        )
        for plan, level, amounts, (number, day), reason in plans:
            for source, amount in amounts:
                row += 1
                allocations.append(
                    AllocationRow(
                        at=Place(Kind.ALLOCATIONS, TITLES[Kind.ALLOCATIONS], row),
                        project=project.code,
                        plan=plan,
                        source=source,
                        level=level,
                        amount=amount,
                        decision_number=number,
                        decision_date=day,
                        reason=f"{reason} ({data.NOTE})",
                    )
                )
    return PlanWorkbook(projects=tuple(projects), allocations=tuple(allocations))


def _cumulative(plan: int, project: data.DemoProject, month: int) -> int:
    """What the project has disbursed by the end of ``month``: the province's pace scaled by
    how fast it goes, never above its plan, in whole thousands of đồng."""
    reached = min(data.PACE[month] * project.pace, Decimal(100))
    amount = (Decimal(plan) * reached / 100).to_integral_value(rounding=ROUND_FLOOR)
    return int(amount) // THOUSAND * THOUSAND


def _disburse(specialist: User, year: int, last_month: int, plans: dict[str, int]) -> int:
    entered = 0
    by_code = {p.code: p for p in Project.objects.filter(code__in=plans)}
    for project in data.PROJECTS:
        planned, before = plans[project.code], 0
        for month in range(1, last_month + 1):
            now = _cumulative(planned, project, month)
            disbursement.record(specialist, by_code[project.code], year, month, now - before)
            before = now
            entered += 1
    return entered


def _planned(plan: Plan) -> dict[str, int]:
    totals: dict[str, int] = {}
    for project in data.PROJECTS:
        amounts = {"2025": project.plan_2025, "2026": project.plan_2026}[plan.code]
        totals[project.code] = sum(amount for _source, amount in amounts)
    return totals


def load_demo_capital() -> LoadedCapital | None:
    """Load the capital plans into a province that has no project yet (None otherwise, or when
    the demo's Finance accounts are missing)."""
    if Project.objects.exists():
        return None
    specialist = User.objects.filter(username=SPECIALIST).first()
    leader = User.objects.filter(username=LEADER).first()
    if specialist is None or leader is None:
        return None
    today = clock.now().astimezone(VIETNAM).date()
    with transaction.atomic():
        AgencyDuty.objects.get_or_create(agency=Agency.objects.get(code=FINANCE), duty=Duty.CAPITAL)
        for user in (specialist, leader):
            user.forget_scope()
        plans = ensure_plans(specialist)
        import_plan(specialist, _workbook())
        district = AdministrativeUnit.objects.get(tier=Tier.DISTRICT, name="Đô Lương")
        batch = transfer.draft_batch(
            specialist,
            plans["2025"],
            district,
            title="Điều chuyển vốn năm 2025 của huyện Đô Lương cũ về ngân sách tỉnh và các xã",
        )
        number, day = data.TRANSFER_2025
        transfer.approve(leader, batch, decision_number=number, decision_date=day)
        transfer.draft_batch(
            specialist,
            plans["2021-2025"],
            district,
            title="Điều chuyển vốn trung hạn 2021–2025 của huyện Đô Lương cũ",
        )
        for code in ("2025", "2026"):
            disbursement.set_pace_months(specialist, plans[code], data.PACE)
        months, last_entered = 0, (2025, 1)
        for year in (2025, 2026):
            last = 12 if today.year > year else today.month - 1 if today.year == year else 0
            if last:
                months += _disburse(specialist, year, last, _planned(plans[str(year)]))
                last_entered = (year, last)
    entries = list(batch.ledger_entries.values_list("level", "amount"))
    moved = -sum(amount for level, amount in entries if amount < 0)
    return LoadedCapital(
        projects=len(data.PROJECTS),
        moved=moved,
        to_communes=sum(amount for level, amount in entries if level == "commune"),
        to_province=sum(amount for level, amount in entries if level == "province"),
        months=months,
        behind=len(rates.month_rates(specialist, *last_entered).behind),
    )
