"""The briefing pack's sections this app fills (``haicap.core.briefing``): the commune's service
figures against the province's, and its open directives and earlier findings.

Each builds the tables of all the visited communes at once, from a fixed number of queries.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Field, Procedure
from haicap.core import clock
from haicap.core.briefing import PackSection, Period, Table
from haicap.core.task_status import status_of
from haicap.kpi.indicators import Totals
from haicap.kpi.selectors import indicators, indicators_by
from haicap.oversight.models import STATUS_LABELS, Directive, Finding

MOST_OFTEN_LATE = 5  # procedures listed per commune
TENTHS = Decimal("0.1")


def _percent(rate: Decimal | None) -> Decimal | None:
    return None if rate is None else (rate * 100).quantize(TENTHS)


def build_indicators(
    viewer: object, commune_ids: tuple[int, ...], period: Period
) -> Mapping[int, Sequence[Table]]:
    """Read province-wide (``indicators(None, ...)``): the figures are the same whoever
    prepares the pack."""
    wanted = set(commune_ids)
    read = indicators_by(None, period.start, period.end, [None, "unit", "unit,field"])
    province: Totals = read[None][None]
    by_unit: dict = read["unit"]
    by_field: dict[int, list[tuple[int, Totals]]] = defaultdict(list)
    for (unit_id, field_id), totals in read["unit,field"].items():
        if unit_id in wanted:
            by_field[unit_id].append((field_id, totals))
    late: dict[int, list[tuple[int, Totals]]] = defaultdict(list)
    for (unit_id, procedure_id), totals in indicators(
        None, period.start, period.end, "unit,procedure"
    ).items():
        if unit_id in wanted and totals.late:
            late[unit_id].append((procedure_id, totals))
    for unit_id in late:
        late[unit_id] = sorted(late[unit_id], key=lambda p: (-p[1].late, p[0]))[:MOST_OFTEN_LATE]
    field_names = dict(Field.objects.values_list("pk", "name"))
    procedure_names = dict(
        Procedure.objects.filter(
            pk__in={p for rows in late.values() for p, _t in rows}
        ).values_list("pk", "name")
    )
    built = {}
    for unit_id in commune_ids:
        commune = by_unit.get(unit_id, Totals())
        built[unit_id] = (
            Table(
                title=_("The commune's figures against the province's"),
                header=(_("Indicator"), _("Commune"), _("Province")),
                rows=(
                    (
                        _("On-time rate (%)"),
                        _percent(commune.on_time_rate),
                        _percent(province.on_time_rate),
                    ),
                    (
                        _("Online intake rate (%)"),
                        _percent(commune.online_rate),
                        _percent(province.online_rate),
                    ),
                    (_("Received"), commune.received, province.received),
                    (
                        _("In progress at the end"),
                        commune.in_progress_at_end,
                        province.in_progress_at_end,
                    ),
                    (_("Of them overdue"), commune.overdue_at_end, province.overdue_at_end),
                ),
            ),
            Table(
                title=_("Dossiers in progress and overdue, by field"),
                header=(_("Field"), _("In progress"), _("Overdue")),
                rows=tuple(
                    (field_names.get(field_id, ""), t.in_progress_at_end, t.overdue_at_end)
                    for field_id, t in sorted(
                        by_field[unit_id], key=lambda f: field_names.get(f[0], "")
                    )
                    if t.in_progress_at_end or t.overdue_at_end
                ),
            ),
            Table(
                title=_("The procedures most often late"),
                header=(_("Procedure"), _("Late"), _("Resolved")),
                rows=tuple(
                    (procedure_names.get(p, ""), t.late, t.resolved) for p, t in late[unit_id]
                ),
            ),
        )
    return built


def build_directives(
    viewer: object, commune_ids: tuple[int, ...], period: Period
) -> Mapping[int, Sequence[Table]]:
    """What the viewer may see (``restrict``): the open directives concerning each commune and
    the findings of inspections held up to the pack's last day."""
    wanted = set(commune_ids)
    today = clock.now().astimezone(VIETNAM).date()
    open_directives: dict[int, dict[int, tuple]] = defaultdict(dict)
    rows = (
        Directive.objects.restrict(viewer)
        .filter(closed_at__isnull=True)
        .filter(
            Q(lead_agency__unit_id__in=wanted)
            | Q(findings__commune_id__in=wanted)
            | Q(target__unit_id__in=wanted)
        )
        .order_by("deadline", "pk")
        .values_list(
            "pk",
            "title",
            "lead_agency__name",
            "deadline",
            "lead_agency__unit_id",
            "findings__commune_id",
            "target__unit_id",
        )
    )
    for pk, title, lead, deadline, *places in rows:
        status = STATUS_LABELS[status_of(deadline, None, None, today)]
        for commune in set(places) & wanted:
            open_directives[commune][pk] = (title, lead, deadline, str(status))
    findings: dict[int, list[tuple]] = defaultdict(list)
    for commune, held_on, category, text, agency in (
        Finding.objects.restrict(viewer)
        .filter(commune_id__in=wanted, inspection__held_on__lte=period.end)
        .order_by("-inspection__held_on", "pk")
        .values_list("commune_id", "inspection__held_on", "category", "text", "agency_to_act__name")
    ):
        findings[commune].append((held_on, str(Finding.Category(category).label), text, agency))
    return {
        unit_id: (
            Table(
                title=_("Open directives"),
                header=(_("Directive"), _("Lead agency"), _("Deadline"), _("Status")),
                rows=tuple(open_directives[unit_id].values()),
            ),
            Table(
                title=_("Findings of earlier inspections"),
                header=(_("Date"), _("Category"), _("Finding"), _("Agency that must act")),
                rows=tuple(findings[unit_id]),
            ),
        )
        for unit_id in commune_ids
    }


INDICATORS = PackSection(
    key="oversight.indicators",
    title=gettext_lazy("Service figures"),
    order=10,
    build=build_indicators,
)
DIRECTIVES = PackSection(
    key="oversight.directives",
    title=gettext_lazy("Directives and findings"),
    order=20,
    build=build_directives,
)
