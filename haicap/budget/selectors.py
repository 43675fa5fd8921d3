"""Reads of capital records, each through its kind's one scoping rule (``restrict``).

The plan amounts are never stored: a plan in force on a day is the sum of its ledger entries
decided on or before that day, read in one grouped query."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from haicap.budget import ledger, pace
from haicap.budget.models import (
    Disbursement,
    LedgerEntry,
    Level,
    Plan,
    Project,
    reads_capital,
)
from haicap.core.errors import NotFound
from haicap.core.restricted import Viewer
from haicap.core.scoping import scope_of
from haicap.units.kinds import Tier

# The budget level a project's capital belongs to, by its investor's tier after the reform.
LEVEL_OF_TIER = {
    Tier.PROVINCE: Level.PROVINCE,
    Tier.COMMUNE: Level.COMMUNE,
    Tier.DISTRICT: Level.DISTRICT,
}


def reads_province(user: Viewer) -> bool:
    """Reads every project of the province (Finance, supervisors)."""
    return reads_capital(scope_of(user))


def visible_projects(user: Viewer) -> QuerySet[Project]:
    return Project.objects.restrict(user).select_related(
        "investor__unit", "location", "former_district"
    )


def get_project(user: Viewer, project_id: int) -> Project:
    project = visible_projects(user).filter(pk=project_id).first()
    if project is None:
        raise NotFound(_("No such project."))
    return project


def visible_plans(user: Viewer) -> QuerySet[Plan]:
    """Plans are the province's; a commune reads them through its own projects' entries, so the
    plans themselves are listed to everyone who reads a project."""
    return Plan.objects.all() if visible_projects(user).exists() else Plan.objects.none()


def get_plan(user: Viewer, code: str) -> Plan:
    plan = visible_plans(user).filter(code=code).first()
    if plan is None:
        raise NotFound(_("No such capital plan."))
    return plan


def destination_level(project: Project) -> str | None:
    """The level the project's capital belongs to now: its investor's (None without one)."""
    if project.investor_id is None:
        return None
    return LEVEL_OF_TIER[project.investor.unit.tier]


def destinations(projects: Iterable[Project]) -> dict[str, str | None]:
    """``destination_level`` by project code (the projects read with ``investor__unit``)."""
    return {project.code: destination_level(project) for project in projects}


def entries_in_force(
    plan: Plan, *, as_of: dt.date | None = None, projects: QuerySet[Project] | None = None
) -> QuerySet[LedgerEntry]:
    """The plan's ledger entries decided on or before ``as_of`` (all of them: None), of
    ``projects`` (every project: None). Not scoped: callers pass the projects the user reads."""
    entries = LedgerEntry.objects.filter(plan=plan)
    if as_of is not None:
        entries = entries.filter(decision_date__lte=as_of)
    if projects is not None:
        entries = entries.filter(project__in=projects.values("pk"))
    return entries


def balances(
    plan: Plan, *, as_of: dt.date | None = None, projects: QuerySet[Project] | None = None
) -> dict[ledger.Key, int]:
    """What each (project code, source, level) holds in ``plan``, in one query; zero balances
    are left out."""
    rows = (
        entries_in_force(plan, as_of=as_of, projects=projects)
        .values_list("project__code", "source", "level")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {(code, source, level): total for code, source, level, total in rows if total}


def totals_by_project(
    plan: Plan, *, as_of: dt.date | None = None, projects: QuerySet[Project] | None = None
) -> dict[int, int]:
    """The plan in force per project id, in one query."""
    rows = (
        entries_in_force(plan, as_of=as_of, projects=projects)
        .values_list("project_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {project_id: total for project_id, total in rows}


def annual_plan(year: int) -> Plan | None:
    """The annual plan of ``year`` (not scoped: the plans are reference data of the rates)."""
    return Plan.objects.filter(kind=Plan.Kind.ANNUAL, first_year=year).first()


def disbursed_through(
    year: int, month: int, *, projects: QuerySet[Project] | None = None
) -> dict[int, int]:
    """What each project disbursed in ``year`` from January to ``month``, cumulative, by project
    id, in one query (projects with nothing disbursed are left out)."""
    rows = Disbursement.objects.filter(year=year, month__lte=month)
    if projects is not None:
        rows = rows.filter(project__in=projects.values("pk"))
    totals = rows.values_list("project_id").annotate(total=Sum("amount")).order_by()
    return {project_id: total for project_id, total in totals if total}


def plan_in_force_at_month_end(
    year: int, month: int, *, projects: QuerySet[Project] | None = None
) -> dict[int, int]:
    """The annual plan of ``year`` in force at the end of ``month`` per project id (empty when
    there is no such plan): what a month's disbursement is measured against."""
    plan = annual_plan(year)
    if plan is None:
        return {}
    return totals_by_project(plan, as_of=pace.month_end(year, month), projects=projects)
