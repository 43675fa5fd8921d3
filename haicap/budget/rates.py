"""How far disbursement has come against the plan in force: per project and grouped by investor,
commune, location, field and investor's level, the province's total, and the projects behind the
pace the province expects at a month's end (reads).

Every figure of a month is read in a fixed number of queries, however many projects there are:
the projects the user reads (one), the annual plan (one), the plan in force per project (one),
what each disbursed (one) and the expected share (one); the rest is ``pace``'s arithmetic.
``rate_for`` is the one unscoped read, for the briefing pack and a directive's measure.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from haicap.budget import pace, permissions, selectors
from haicap.budget.models import (
    Disbursement,
    InvestmentField,
    Level,
    PaceTarget,
    Plan,
    Project,
)
from haicap.core.collation import vietnamese_key
from haicap.core.restricted import Viewer
from haicap.units.kinds import Tier

# The ways the table groups projects; "commune" is the investing commune (a provincial
# investor's projects under the province), "location" the commune a project is built in,
# "level" the investor's level (disbursement is per project, not per budget level: capital
# still held at the district level is counted under its investor's level).
PROJECT, INVESTOR, COMMUNE, LOCATION, FIELD, LEVEL = (
    "project",
    "investor",
    "commune",
    "location",
    "field",
    "level",
)
DIMENSIONS = (PROJECT, INVESTOR, COMMUNE, LOCATION, FIELD, LEVEL)
NONE_KEY = "-"  # the group of projects with nothing to group them by (no investor yet...)
PROVINCE_KEY = "province"


class AgainstPlan:
    """What disbursed from January through a month's end reads against the plan in force then
    (``plan``) and the share the province expects (``expected``; None: not judged)."""

    disbursed: int
    plan: int
    expected: Decimal | None

    @property
    def share(self) -> Decimal | None:
        return pace.share(self.disbursed, self.plan)

    @property
    def behind(self) -> bool:
        return self.expected is not None and pace.behind(self.disbursed, self.plan, self.expected)

    @property
    def above_plan(self) -> bool:
        return pace.above_plan(self.disbursed, self.plan)


@dataclass(frozen=True)
class ProjectRate(AgainstPlan):
    """One project at a month's end: the annual plan in force, what it disbursed from January,
    and the share the province expects by then (None: no pace set, so not judged)."""

    project: Project
    level: str | None  # its investor's level after the reform (None: no investor)
    plan: int
    disbursed: int
    expected: Decimal | None


@dataclass(frozen=True)
class GroupRate(AgainstPlan):
    """The sums of a group of projects (or of them all): plan in force, disbursed, share."""

    key: str
    label: str
    plan: int
    disbursed: int
    projects: int
    expected: Decimal | None
    project: Project | None = None  # grouped by project: the one project

    @property
    def expected_amount(self) -> int | None:
        return pace.expected_amount(self.plan, self.expected)


@dataclass(frozen=True)
class MonthRates:
    """A month's disbursement of the projects a user reads."""

    year: int
    month: int
    plan: Plan | None  # the annual plan of the year (None: there is none)
    expected: Decimal | None
    projects: tuple[ProjectRate, ...]

    @property
    def month_end(self) -> dt.date:
        return pace.month_end(self.year, self.month)

    @property
    def total(self) -> GroupRate:
        tallied = pace.tally(("all", r.plan, r.disbursed) for r in self.projects).get("all")
        tallied = tallied or pace.Tally()
        return GroupRate(
            "all", _("Total"), tallied.plan, tallied.disbursed, tallied.projects, self.expected
        )

    @property
    def behind(self) -> list[ProjectRate]:
        """The projects below the pace at the month's end, furthest behind first."""
        late = [r for r in self.projects if r.behind]
        return sorted(late, key=lambda r: (r.share, r.project.code))

    @property
    def above_plan(self) -> list[ProjectRate]:
        """The projects that disbursed more than their plan in force, by code."""
        return [r for r in self.projects if r.above_plan]

    def by(self, dimension: str) -> list[GroupRate]:
        """The groups of ``dimension`` (one of ``DIMENSIONS``), each with its sums."""
        if dimension == PROJECT:
            return [
                GroupRate(
                    str(r.project.pk),
                    f"{r.project.code} {r.project.name}",
                    r.plan,
                    r.disbursed,
                    1,
                    self.expected,
                    r.project,
                )
                for r in self.projects
            ]
        label_of = LABELS[dimension]
        names: dict[str, str] = {}
        rows = []
        for rate in self.projects:
            key, label = label_of(rate)
            names[key] = label
            rows.append((key, rate.plan, rate.disbursed))
        groups = [
            GroupRate(key, names[key], t.plan, t.disbursed, t.projects, self.expected)
            for key, t in pace.tally(rows).items()
        ]
        return sorted(groups, key=_group_order(dimension))


def _group_order(dimension: str) -> Callable[[GroupRate], tuple]:
    """Choices in their own order (fields, levels); names in Vietnamese order, the province
    first and the projects with nothing to group them by last."""
    if dimension in (FIELD, LEVEL):
        order = [*(InvestmentField.values if dimension == FIELD else Level.values), NONE_KEY]
        return lambda g: (order.index(g.key),)
    return lambda g: (g.key != PROVINCE_KEY, g.key == NONE_KEY, vietnamese_key(g.label))


def _investor(rate: ProjectRate) -> tuple[str, str]:
    investor = rate.project.investor
    if investor is None:
        return NONE_KEY, _("No investor yet")
    return str(investor.pk), investor.name


def _commune(rate: ProjectRate) -> tuple[str, str]:
    investor = rate.project.investor
    if investor is None:
        return NONE_KEY, _("No investor yet")
    if investor.unit.tier == Tier.COMMUNE:
        return str(investor.unit_id), investor.unit.full_name
    return PROVINCE_KEY, _("The province (provincial investors)")


def _location(rate: ProjectRate) -> tuple[str, str]:
    location = rate.project.location
    if location is None:
        return NONE_KEY, _("Several communes or not given")
    return str(location.pk), location.full_name


def _field(rate: ProjectRate) -> tuple[str, str]:
    return rate.project.field, str(InvestmentField(rate.project.field).label)


def _level(rate: ProjectRate) -> tuple[str, str]:
    if rate.level is None:
        return NONE_KEY, _("No investor")
    return rate.level, str(Level(rate.level).label)


LABELS = {
    INVESTOR: _investor,
    COMMUNE: _commune,
    LOCATION: _location,
    FIELD: _field,
    LEVEL: _level,
}


def expected_share(plan: Plan | None, month: int) -> Decimal | None:
    """The share the province expects disbursed by the end of ``month`` (None: not set).
    Not scoped: the pace is what every investor's projects are measured against."""
    if plan is None:
        return None
    target = PaceTarget.objects.filter(plan=plan, month=month).first()
    return target.share if target is not None else None


def month_rates(
    user: Viewer, year: int, month: int, projects: QuerySet[Project] | None = None
) -> MonthRates:
    """The disbursement of the projects ``user`` reads (or of ``projects``, already scoped) at
    the end of ``month`` of ``year``: those with a plan in force or something disbursed."""
    chosen = selectors.visible_projects(user) if projects is None else projects
    plan = selectors.annual_plan(year)
    planned = (
        selectors.totals_by_project(plan, as_of=pace.month_end(year, month), projects=chosen)
        if plan is not None
        else {}
    )
    disbursed = selectors.disbursed_through(year, month, projects=chosen)
    expected = expected_share(plan, month)
    rows = tuple(
        ProjectRate(
            project,
            selectors.destination_level(project),
            planned.get(project.pk, 0),
            disbursed.get(project.pk, 0),
            expected,
        )
        for project in chosen.select_related("investor__unit", "location").order_by("code")
        if planned.get(project.pk) or disbursed.get(project.pk)
    )
    return MonthRates(year, month, plan, expected, rows)


# --- the year month by month (the chart) ---------------------------------------------------


@dataclass(frozen=True)
class YearCurve:
    """Month by month through a year: the plan in force at each month's end, what was disbursed
    from January (None after the month reported on) and the pace expected in đồng."""

    year: int
    plan: list[int]
    disbursed: list[int | None]
    expected: list[int | None]


def year_curve(year: int, through: int, projects: QuerySet[Project]) -> YearCurve:
    """The year's curve of ``projects`` (already scoped), disbursement shown through the month
    ``through``; four queries whatever the number of projects."""
    plan = selectors.annual_plan(year)
    dated: list[tuple[dt.date, int]] = []
    shares: dict[int, Decimal] = {}
    if plan is not None:
        entries = selectors.entries_in_force(plan, projects=projects)
        dated = list(entries.values_list("decision_date").annotate(total=Sum("amount")).order_by())
        shares = dict(PaceTarget.objects.filter(plan=plan).values_list("month", "share"))
    by_month = dict(
        Disbursement.objects.filter(year=year, project__in=projects.values("pk"))
        .values_list("month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    in_force = pace.in_force_by_month(year, dated)
    running = pace.cumulative(by_month)
    return YearCurve(
        year,
        in_force,
        [amount if month <= through else None for month, amount in enumerate(running, 1)],
        [pace.expected_amount(p, shares.get(m)) for m, p in enumerate(in_force, 1)],
    )


# --- for other apps: the briefing pack and a directive's measure ---------------------------


def rate_for(unit_id: int | None, year: int, month: int) -> Decimal | None:
    """The share of the annual plan in force at the end of ``month`` that the projects a
    commune (``unit_id``) invests in disbursed from January, or the province's (None); None
    when nothing is planned. Not scoped: the caller decides who sees it."""
    projects = Project.objects.all()
    if unit_id is not None:
        projects = projects.filter(investor__unit_id=unit_id)
    planned = selectors.plan_in_force_at_month_end(year, month, projects=projects)
    disbursed = selectors.disbursed_through(year, month, projects=projects)
    return pace.share(sum(disbursed.values()), sum(planned.values()))


def years_with_plans() -> list[int]:
    """The years that have an annual plan, latest first (reference data, not scoped)."""
    years = Plan.objects.filter(kind=Plan.Kind.ANNUAL).values_list("first_year", flat=True)
    return sorted(set(years), reverse=True)


def reported_month(today: dt.date, years: Iterable[int]) -> tuple[int, int]:
    """The month a page shows first: the last month ended this year (this month in January);
    a year without a plan shows the last month of the latest year that has one."""
    known = list(years)
    if today.year in known or not known:
        return today.year, max(today.month - 1, 1)
    past = [y for y in known if y < today.year]
    return (max(past), 12) if past else (min(known), 1)


# --- what the entry, pace and project pages read ------------------------------------------


def reportable_projects(
    user: Viewer, *, investor_id: int | None = None, unit_id: int | None = None
) -> list[Project]:
    """The projects ``user`` may enter disbursement for (Finance: every one; an investor's
    officers: its own), narrowed to an investor or an investing commune."""
    projects = selectors.visible_projects(user).order_by("code")
    if investor_id is not None:
        projects = projects.filter(investor_id=investor_id)
    if unit_id is not None:
        projects = projects.filter(investor__unit_id=unit_id)
    return [p for p in projects if may_report(user, p)]


def may_report(user: Viewer, project: Project) -> bool:
    investor = project.investor
    unit_id = investor.unit_id if investor is not None else None
    return permissions.reports_disbursement(user, project.investor_id, unit_id)


def entered_in_month(user: Viewer, year: int, month: int) -> dict[int, int]:
    """What is entered for the month, by project id (the projects ``user`` reads)."""
    rows = Disbursement.objects.restrict(user).filter(year=year, month=month)
    return dict(rows.values_list("project_id", "amount"))


def pace_shares(plan: Plan | None) -> dict[int, Decimal]:
    """The plan's expected share by month (reference data of every reader's rates)."""
    if plan is None:
        return {}
    return dict(PaceTarget.objects.filter(plan=plan).values_list("month", "share"))


@dataclass(frozen=True)
class ProjectMonth(AgainstPlan):
    """One month of a project's year."""

    month: int
    entered: int | None  # disbursed in the month (None: nothing entered)
    disbursed: int  # from January to the month's end
    plan: int  # in force at the month's end
    expected: Decimal | None


def project_year(project: Project, year: int, through: int) -> list[ProjectMonth]:
    """A project's months of ``year`` up to ``through`` (``project`` read in the user's scope)."""
    scoped = Project.objects.filter(pk=project.pk)
    curve = year_curve(year, through, scoped)
    entered = dict(
        Disbursement.objects.filter(project=project, year=year).values_list("month", "amount")
    )
    shares = pace_shares(selectors.annual_plan(year))
    return [
        ProjectMonth(
            m, entered.get(m), curve.disbursed[m - 1] or 0, curve.plan[m - 1], shares.get(m)
        )
        for m in range(1, through + 1)
    ]
