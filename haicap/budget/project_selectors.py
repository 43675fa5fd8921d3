"""Reads of the project pages and API, each starting from the projects the user sees
(``selectors.visible_projects``): the filtered list and its totals, a plan's amounts by budget
level for a page of projects, a project's balances plan by plan and its ledger history.

Every read here is one query whatever the number of projects, so that a page of the list costs
the same for ten projects as for a thousand."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from haicap.budget import selectors
from haicap.budget.models import LedgerEntry, Level, Plan, Project, Source
from haicap.core.errors import NotFound
from haicap.core.restricted import Viewer
from haicap.core.text import search_key
from haicap.units.models import AdministrativeUnit, Agency

LEVELS = tuple(Level.values)  # province, district, commune: the columns of the list


def filter_projects(
    user: Viewer,
    *,
    query: str = "",
    field: str = "",
    investor_id: int | None = None,
    location_id: int | None = None,
    former_district_id: int | None = None,
    plan: Plan | None = None,
) -> QuerySet[Project]:
    """The projects ``user`` sees that match: every word of ``query`` in the code or name
    (accents ignored), the field, the investor (an agency id), the commune it is built in, the
    former district, and capital in ``plan`` (any entry of it)."""
    projects = selectors.visible_projects(user)
    for word in search_key(query).split():
        projects = projects.filter(search_name__contains=word)
    if field:
        projects = projects.filter(field=field)
    if investor_id is not None:
        projects = projects.filter(investor_id=investor_id)
    if location_id is not None:
        projects = projects.filter(location_id=location_id)
    if former_district_id is not None:
        projects = projects.filter(former_district_id=former_district_id)
    if plan is not None:
        projects = projects.filter(pk__in=LedgerEntry.objects.filter(plan=plan).values("project"))
    return projects.order_by("code")


def default_plan(user: Viewer, plans: list[Plan], today: dt.date) -> Plan | None:
    """The plan a list shows first: this year's annual plan if the user's projects have capital
    in it, else the latest plan they have capital in (one query)."""
    used = set(
        LedgerEntry.objects.filter(project__in=selectors.visible_projects(user).values("pk"))
        .order_by()
        .values_list("plan_id", flat=True)
        .distinct()
    )
    held = [plan for plan in plans if plan.pk in used]
    for plan in held:
        if plan.kind == Plan.Kind.ANNUAL and plan.first_year == today.year:
            return plan
    if not held:
        return None
    return max(held, key=lambda p: (p.last_year, p.kind == Plan.Kind.ANNUAL))


def amounts_by_level(plan: Plan, projects: list[Project]) -> dict[int, dict[str, int]]:
    """What each of ``projects`` holds in ``plan`` by budget level (all its entries), by project
    id, in one query."""
    rows = (
        LedgerEntry.objects.filter(plan=plan, project__in=[p.pk for p in projects])
        .values_list("project_id", "level")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    amounts: dict[int, dict[str, int]] = defaultdict(dict)
    for project_id, level, total in rows:
        amounts[project_id][level] = total
    return amounts


@dataclass(frozen=True)
class Totals:
    count: int
    total_investment: int
    by_level: dict[str, int] = field(default_factory=dict)

    @property
    def in_plan(self) -> int:
        return sum(self.by_level.values())


def list_totals(projects: QuerySet[Project], plan: Plan | None) -> Totals:
    """How many projects are listed, their total investment and, in ``plan``, what they hold
    by level: two queries."""
    figures = projects.order_by().aggregate(count=Count("pk"), total=Sum("total_investment"))
    by_level: dict[str, int] = {}
    if plan is not None:
        rows = (
            LedgerEntry.objects.filter(plan=plan, project__in=projects.order_by().values("pk"))
            .values_list("level")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        by_level = dict(rows)
    return Totals(figures["count"], figures["total"] or 0, by_level)


def filter_choices(user: Viewer) -> dict[str, list[tuple[int, str]]]:
    """The investors, communes and former districts of the projects ``user`` sees, for the
    list's filters (three queries)."""
    projects = selectors.visible_projects(user).order_by()
    investors = (
        Agency.objects.restrict(user)
        .filter(pk__in=projects.values("investor_id"))
        .order_by("-unit__tier", "unit__search_name", "name")
    )
    communes = AdministrativeUnit.objects.filter(pk__in=projects.values("location_id")).order_by(
        "search_name"
    )
    districts = AdministrativeUnit.objects.filter(
        pk__in=projects.values("former_district_id")
    ).order_by("search_name")
    return {
        "investor": [(a.pk, a.name) for a in investors],
        "location": [(u.pk, u.full_name) for u in communes],
        "former_district": [(u.pk, u.full_name) for u in districts],
    }


# --- a project ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceRow:
    source: str
    by_level: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_level.values())

    @property
    def label(self) -> str:
        return Source(self.source).label


@dataclass(frozen=True)
class PlanTable:
    """What a project holds in one plan: a row per source, a column per level."""

    plan: Plan
    rows: list[SourceRow]

    @property
    def by_level(self) -> dict[str, int]:
        return {level: sum(r.by_level.get(level, 0) for r in self.rows) for level in LEVELS}

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)


def plan_tables(project: Project) -> list[PlanTable]:
    """The project's balance in every plan it has entries in, source by level (one query); a
    source whose balances are all zero is still shown when it had entries."""
    rows = (
        LedgerEntry.objects.filter(project=project)
        .values_list("plan_id", "source", "level")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    held: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for plan_id, source, level, total in rows:
        held[plan_id][source][level] = total
    plans = Plan.objects.filter(pk__in=list(held)).order_by("kind", "first_year")
    order = list(Source.values)
    return [
        PlanTable(
            plan,
            [
                SourceRow(source, dict(levels))
                for source, levels in sorted(held[plan.pk].items(), key=lambda i: order.index(i[0]))
            ],
        )
        for plan in plans
    ]


def project_entries(project: Project) -> QuerySet[LedgerEntry]:
    """The project's ledger history, oldest first (by decision, then as recorded), with the
    plan, who recorded it and its reversal (if any) read along."""
    return (
        LedgerEntry.objects.filter(project=project)
        .select_related("plan", "recorded_by", "reverses", "reversal", "batch")
        .order_by("decision_date", "recorded_at", "pk")
    )


def get_entry(user: Viewer, entry_id: int) -> LedgerEntry:
    """A ledger entry of a project ``user`` sees (a 404 for any other)."""
    entry = (
        LedgerEntry.objects.restrict(user)
        .select_related("plan", "project", "recorded_by", "reverses", "reversal")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise NotFound(_("No such ledger entry."))
    return entry
