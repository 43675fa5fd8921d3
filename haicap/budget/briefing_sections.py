"""The briefing pack's capital section (``haicap.core.briefing``): for each commune visited, the
projects it now invests in with their plan and disbursement, the capital moved to it from the
abolished district's budget, and its disbursement rate against the province's.

The figures are those of the annual plan of the pack's last year, through the last month ended
by the pack's last day (``months``: disbursement is reported by month), with the plan in force
at that month's end, as the directive target's measure reads them. The capital moved is the
commune level's side of the approved transfers (net of their reversals), decided by the pack's
last day, in every plan. Read province-wide like the other sections: what the pack says of a
commune is the same whoever prepares it. Everything is read for all the visited communes at
once, from a fixed number of queries.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence

from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.budget import months, pace, selectors
from haicap.budget.models import InvestmentField, LedgerEntry, Level, Project, TransferBatch
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.briefing import Hundredths, PackSection, Period, Table
from haicap.units.models import AdministrativeUnit
from haicap.units.selectors import the_province


def _share(spent: int, planned: int) -> Hundredths | None:
    """The share disbursed to the hundredth, as the capital pages show it: the pack prints it
    with its two decimals in the page, the PDF and the sheet."""
    reached = pace.share(spent, planned)
    return None if reached is None else Hundredths(reached)


def _moved_to(commune_ids: list[int], by: dt.date) -> dict[int, list[tuple[int, str, int]]]:
    """The commune level's side of the approved transfers of the communes' projects, net of
    reversals, decided by ``by``: (project id, plan name, amount) by commune, in one query."""
    transfers = Q(kind=LedgerEntry.Kind.TRANSFER, batch__status=TransferBatch.Status.APPROVED) | Q(
        kind=LedgerEntry.Kind.REVERSAL, reverses__kind=LedgerEntry.Kind.TRANSFER
    )
    rows = (
        LedgerEntry.objects.filter(transfers)
        .filter(
            level=Level.COMMUNE,
            project__investor__unit_id__in=commune_ids,
            decision_date__lte=by,
        )
        .values_list("project__investor__unit_id", "project_id", "plan__name", "plan__first_year")
        .annotate(total=Sum("amount"))
        .order_by("project__investor__unit_id", "project__code", "plan__first_year", "plan__name")
    )
    moved: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for unit_id, project_id, plan_name, _first_year, total in rows:
        if total:
            moved[unit_id].append((project_id, plan_name, total))
    return moved


def build_capital(
    viewer: object, commune_ids: tuple[int, ...], period: Period
) -> Mapping[int, Sequence[Table]]:
    wanted = list(commune_ids)
    today = clock.now().astimezone(VIETNAM).date()
    by = min(period.end, today - dt.timedelta(days=1))
    year = period.end.year
    month = months.last_month_ended(year, by)
    as_of = pace.month_end(year, month) if month else by
    plan = selectors.annual_plan(year)

    theirs = Project.objects.filter(investor__unit_id__in=wanted)
    projects = list(theirs.select_related("investor").order_by("code"))
    in_force = selectors.totals_by_project(plan, as_of=as_of, projects=theirs) if plan else {}
    disbursed = selectors.disbursed_through(year, month, projects=theirs) if month else {}
    province_plan = sum(selectors.totals_by_project(plan, as_of=as_of).values()) if plan else 0
    province_disbursed = sum(selectors.disbursed_through(year, month).values()) if month else 0
    moved = _moved_to(wanted, period.end)
    communes = {u.pk: u.full_name for u in AdministrativeUnit.objects.filter(pk__in=wanted)}
    province = the_province()
    fields = dict(InvestmentField.choices)

    by_commune: dict[int, list[Project]] = defaultdict(list)
    for project in projects:
        by_commune[project.investor.unit_id].append(project)
    through = f"{month:02d}/{year}" if month else None
    built = {}
    for unit_id in wanted:
        own = by_commune.get(unit_id, [])
        if not own and not moved.get(unit_id):
            continue  # it invests in no project: nothing to show
        rows = []
        for project in own:
            planned = in_force.get(project.pk, 0)
            spent = disbursed.get(project.pk, 0)
            rows.append(
                (
                    project.code,
                    project.name,
                    str(fields.get(project.field, project.field)),
                    planned,
                    spent if month else None,
                    _share(spent, planned) if month else None,
                )
            )
        planned_total = sum(in_force.get(p.pk, 0) for p in own)
        spent_total = sum(disbursed.get(p.pk, 0) for p in own)
        built[unit_id] = (
            _projects_table(year, through, tuple(rows)),
            _moved_table(moved.get(unit_id, []), {p.pk: p for p in own}),
            _rate_table(
                through,
                (communes.get(unit_id, ""), planned_total, spent_total),
                (
                    province.full_name if province else _("Province"),
                    province_plan,
                    province_disbursed,
                ),
                bool(month),
            ),
        )
    return built


def _plan_heading(through: str | None) -> str:
    if through is None:
        return _("Plan in force (VND)")
    return _("Plan in force at the end of month %(month)s (VND)") % {"month": through}


def _projects_table(year: int, through: str | None, rows: tuple) -> Table:
    spent_heading = (
        _("Disbursed through %(month)s (VND)") % {"month": through}
        if through
        else _("Disbursed (VND)")
    )
    return Table(
        title=_("Projects it invests in, %(year)s plan") % {"year": year},
        header=(
            _("Project code"),
            _("Project"),
            _("Field"),
            _plan_heading(through),
            spent_heading,
            _("Share disbursed (%)"),
        ),
        rows=rows,
    )


def _moved_table(moved: list[tuple[int, str, int]], projects: dict[int, Project]) -> Table:
    rows = []
    totals: dict[str, int] = defaultdict(int)
    for project_id, plan_name, amount in moved:
        project = projects[project_id]  # both read the projects the commune invests in
        rows.append((project.code, project.name, plan_name, amount))
        totals[plan_name] += amount
    rows += [("", _("Total"), plan_name, amount) for plan_name, amount in totals.items()]
    return Table(
        title=_("Capital moved to it from the abolished district's budget"),
        header=(_("Project code"), _("Project"), _("Capital plan"), _("Amount moved (VND)")),
        rows=tuple(rows),
    )


def _rate_table(
    through: str | None, commune: tuple[str, int, int], province: tuple[str, int, int], read: bool
) -> Table:
    title = (
        _("Disbursement rate through %(month)s, against the province's") % {"month": through}
        if through
        else _("Disbursement rate against the province's: no month is over yet")
    )

    def row(name: str, planned: int, spent: int) -> tuple:
        return (
            name,
            planned,
            spent if read else None,
            _share(spent, planned) if read else None,
        )

    return Table(
        title=title,
        header=(
            _("Where"),
            _plan_heading(through),
            _("Disbursed (VND)"),
            _("Share disbursed (%)"),
        ),
        rows=(row(*commune), row(*province)),
    )


CAPITAL = PackSection(
    key="budget.capital",
    title=gettext_lazy("Public-investment capital"),
    order=50,
    build=build_capital,
)
