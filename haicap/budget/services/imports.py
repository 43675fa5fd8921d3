"""Importing the plan workbook (``plan_sheet``), all or nothing: what every row names is looked
up in the records first, and every problem, the sheet's own and what the records refuse, is
reported with its sheet, row and column (``PlanImportRefused``); nothing is written then.

Otherwise, in one transaction: a project row whose code haicap holds corrects that project (the
optional columns the sheet does not have keep what haicap holds), any other creates one, with its
structure of sources; each allocation row becomes a ledger entry (``kind=allocation``) unless
the same allocation (project, plan, source, level, amount, decision number and date) is already
recorded, so that importing a file twice allocates nothing twice. The plans of
``projects.PLANS`` are created the first time they are needed.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from haicap.accounts.models import User
from haicap.budget import plan_sheet
from haicap.budget.models import LedgerEntry, Plan, Project
from haicap.budget.plan_columns import SOURCE_TEXT, TITLES, Kind, UnitName
from haicap.budget.plan_sheet import AllocationRow, PlanWorkbook, Problem, ProjectRow
from haicap.budget.services.projects import (
    ProjectDetails,
    check_details,
    create_project,
    details_of,
    ensure_plans,
    locked_project,
    require_arranger,
    save_changes,
)
from haicap.core.audit import record_change, snapshot
from haicap.core.errors import InvalidInput
from haicap.core.text import search_key
from haicap.units.kinds import UNIT_KIND_PREFIX, Tier
from haicap.units.models import AdministrativeUnit, Agency

# What the records refuse, in the words the problems use (the shell translates them).
UNKNOWN_AGENCY = "no agency has the code %(code)s"
FORMER_AGENCY = "%(code)s belongs to a unit that no longer exists"
NOT_AN_INVESTOR = "%(code)s is not a provincial agency or a commune's"
UNKNOWN_COMMUNE = "no current commune or ward is called %(name)s"
UNKNOWN_COMMUNE_CODE = "no current commune or ward has the code %(code)s"
UNKNOWN_DISTRICT = "no former district is called %(name)s"
UNKNOWN_DISTRICT_CODE = "no former district has the code %(code)s"
AMBIGUOUS_UNIT = "%(count)d units are called %(name)s: write its code"
UNKNOWN_PLAN = "no capital plan has the code %(code)s: write %(codes)s"
UNKNOWN_PROJECT = "no project has the code %(code)s, on the sheet %(sheet)s or in haicap"
NOT_A_SOURCE_OF = "%(source)s is not among the sources of the project %(code)s"

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass(frozen=True)
class RowOutcome:
    """What the import did with one row."""

    kind: Kind
    sheet: str
    row: int
    subject: str  # the project's code, or the allocation's project, plan, source and level
    outcome: str  # CREATED, UPDATED or UNCHANGED
    # an allocation's (project, plan, source, level) codes, for a page to say in its words
    allocation: tuple[str, str, str, str] | None = None


@dataclass
class ImportReport:
    rows: list[RowOutcome] = field(default_factory=list)

    def count(self, kind: Kind, outcome: str) -> int:
        return sum(1 for r in self.rows if r.kind == kind and r.outcome == outcome)


class PlanImportRefused(InvalidInput):
    """The problems that refuse the import, each with its place (``found``); the import's shell
    says them in the reader's language."""

    def __init__(self, found: Sequence[Problem]) -> None:
        self.found = list(found)
        super().__init__("; ".join(str(p) for p in self.found))


class _Units:
    """Current communes and former districts, read once, found by how a sheet names them."""

    def __init__(self, tier: str, current: bool) -> None:
        units = AdministrativeUnit.objects.filter(tier=tier, valid_to__isnull=current)
        self.all = list(units)
        self.by_code = {u.code: u for u in self.all if u.code}

    def find(self, wanted: UnitName) -> tuple[AdministrativeUnit | None, int]:
        """The unit, or None with how many carry the name (0: none, 2 or more: which?)."""
        if wanted.code:
            unit = self.by_code.get(wanted.code)
            return unit, int(unit is not None)
        found = [
            u
            for u in self.all
            if search_key(u.name) == search_key(wanted.name)
            and (not wanted.word or search_key(UNIT_KIND_PREFIX[u.kind]) == search_key(wanted.word))
        ]
        return (found[0], 1) if len(found) == 1 else (None, len(found))


@dataclass
class _Resolved:
    row: ProjectRow
    details: ProjectDetails
    project: Project | None  # the project to correct; None to create one


class _References:
    """What the rows name, read once: agencies, units, plans, projects, recorded allocations."""

    def __init__(self, workbook: PlanWorkbook, plans: dict[str, Plan]) -> None:
        investors = {r.investor for r in workbook.projects if r.investor}
        self.agencies = {
            a.code: a for a in Agency.objects.filter(code__in=investors).select_related("unit")
        }
        self.communes = _Units(Tier.COMMUNE, current=True)
        self.districts = _Units(Tier.DISTRICT, current=False)
        self.plans = plans
        codes = {r.code for r in workbook.projects} | {r.project for r in workbook.allocations}
        self.projects = {
            p.code: p
            for p in Project.objects.filter(code__in=codes)
            .select_related("investor__unit", "location", "former_district")
            .prefetch_related("fundings")
        }
        recorded = LedgerEntry.objects.filter(
            kind=LedgerEntry.Kind.ALLOCATION, project__code__in=codes
        ).values_list(
            "project__code",
            "plan__code",
            "source",
            "level",
            "amount",
            "decision_number",
            "decision_date",
        )
        self.recorded = set(recorded)
        # the sources each project will have: the sheet's row, or what haicap holds
        self.sources: dict[str, set[str]] = defaultdict(set)
        for code, project in self.projects.items():
            self.sources[code] = {f.source for f in project.fundings.all()}
        self.in_sheet = {r.code for r in workbook.projects}

    def unit(
        self, row: ProjectRow, key: str, wanted: UnitName | None, problems: list[Problem]
    ) -> AdministrativeUnit | None:
        if wanted is None or key in row.flawed:
            return None
        commune = key == "location"
        units = self.communes if commune else self.districts
        unit, count = units.find(wanted)
        if unit is None:
            if count > 1:
                message, params = AMBIGUOUS_UNIT, {"count": count, "name": str(wanted)}
            elif wanted.code:
                message = UNKNOWN_COMMUNE_CODE if commune else UNKNOWN_DISTRICT_CODE
                params = {"code": wanted.code}
            else:
                message = UNKNOWN_COMMUNE if commune else UNKNOWN_DISTRICT
                params = {"name": str(wanted)}
            problems.append(row.at.problem(key, message, **params))
        return unit

    def investor(self, row: ProjectRow, problems: list[Problem]) -> Agency | None:
        if not row.investor or "investor" in row.flawed:
            return None
        agency = self.agencies.get(row.investor)
        if agency is None:
            problems.append(row.at.problem("investor", UNKNOWN_AGENCY, code=row.investor))
        elif agency.unit.valid_to is not None:
            problems.append(row.at.problem("investor", FORMER_AGENCY, code=row.investor))
        elif agency.unit.tier not in (Tier.PROVINCE, Tier.COMMUNE):
            problems.append(row.at.problem("investor", NOT_AN_INVESTOR, code=row.investor))
        else:
            return agency
        return None


def _resolve_project(row: ProjectRow, refs: _References) -> tuple[_Resolved | None, list]:
    problems: list[Problem] = []
    project = refs.projects.get(row.code)
    held = details_of(project) if project is not None else None
    location = refs.unit(row, "location", row.location, problems)
    investor = refs.investor(row, problems)
    district = refs.unit(row, "former_district", row.former_district, problems)
    # the allocations' sources are checked against the row's, unless a source is misread
    if any(key.startswith("source_") for key in row.flawed):
        refs.sources.pop(row.code, None)
    else:
        refs.sources[row.code] = set(row.fundings)
    if problems or row.flawed:
        return None, problems
    kept = row.absent if held is not None else frozenset()
    given = {
        "location": location,
        "investor": investor,
        "former_investor": row.former_investor,
        "former_district": district,
    }
    for key in kept:  # a column the sheet does not have keeps what haicap holds
        given[key] = getattr(held, key)
    details = ProjectDetails(
        name=row.name,
        field=row.field,
        total_investment=row.total,
        fundings=dict(row.fundings),
        **given,
    )
    return _Resolved(row, details, project), problems


def _check_allocation(row: AllocationRow, refs: _References, sheet: str) -> list[Problem]:
    problems: list[Problem] = []
    if "plan" not in row.flawed and row.plan not in refs.plans:
        codes = ", ".join(sorted(refs.plans))
        problems.append(row.at.problem("plan", UNKNOWN_PLAN, code=row.plan, codes=codes))
    if "project" in row.flawed:
        return problems
    if row.project not in refs.in_sheet and row.project not in refs.projects:
        problems.append(row.at.problem("project", UNKNOWN_PROJECT, code=row.project, sheet=sheet))
    elif (
        "source" not in row.flawed
        and row.source
        and row.project in refs.sources
        and row.source not in refs.sources[row.project]
    ):
        problems.append(
            row.at.problem(
                "source", NOT_A_SOURCE_OF, source=SOURCE_TEXT[row.source], code=row.project
            )
        )
    return problems


def _allocation_key(row: AllocationRow) -> tuple[str, str, str, str]:
    return (row.project, row.plan, row.source, row.level)


def _subject(row: AllocationRow) -> str:
    return " · ".join(_allocation_key(row))


def _allocate(actor: User, row: AllocationRow, project: Project, plan: Plan) -> None:
    entry = LedgerEntry.objects.create(
        plan=plan,
        project=project,
        source=row.source,
        level=row.level,
        amount=row.amount,
        kind=LedgerEntry.Kind.ALLOCATION,
        decision_number=row.decision_number,
        decision_date=row.decision_date,
        reason=row.reason,
        recorded_by=actor,
    )
    record_change("ledger_entry.allocated", entry, actor=actor, after=snapshot(entry))


def import_plan(actor: User, workbook: PlanWorkbook) -> ImportReport:
    """Apply the workbook, all or nothing (see the module); what was done, row by row."""
    require_arranger(actor)
    problems: list[Problem] = list(workbook.problems)
    with transaction.atomic():
        refs = _References(workbook, ensure_plans(actor))
        resolved: list[_Resolved] = []
        for row in workbook.projects:
            found, row_problems = _resolve_project(row, refs)
            problems += row_problems
            if found is not None:
                resolved.append(found)
        sheet = workbook.titles.get(Kind.PROJECTS, TITLES[Kind.PROJECTS])
        for row in workbook.allocations:
            problems += _check_allocation(row, refs, sheet)
        if problems:
            raise PlanImportRefused(plan_sheet.in_order(problems, workbook))
        report = ImportReport()
        for item in resolved:
            check_details(item.details)  # what the sheet checked, checked again where it is written
            at = item.row.at
            if item.project is None:
                project = create_project(actor, item.row.code, item.details)
                outcome = CREATED
            else:
                project = locked_project(item.project)
                changed = details_of(project) != item.details
                if changed and save_changes(actor, project, item.details):
                    outcome = UPDATED
                else:
                    outcome = UNCHANGED
            refs.projects[project.code] = project
            report.rows.append(RowOutcome(at.kind, at.sheet, at.row, project.code, outcome))
        for row in workbook.allocations:
            at = row.at
            if row.identity in refs.recorded:
                outcome = UNCHANGED
            else:
                _allocate(actor, row, refs.projects[row.project], refs.plans[row.plan])
                refs.recorded.add(row.identity)
                outcome = CREATED
            report.rows.append(
                RowOutcome(at.kind, at.sheet, at.row, _subject(row), outcome, _allocation_key(row))
            )
    return report
