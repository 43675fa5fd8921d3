"""The briefing pack's staffing section (``haicap.core.briefing``): for each commune visited,
its standing in each field (norm, officers, gap and the workload behind the norm) and the
secondments in effect into and out of it.

The figures are the commune's standing on the last day the pack covers, read province-wide
like the service figures: what the pack says of a commune is the same whoever prepares it.
The secondments listed are those of approved plans, the province's decisions. Everything is
read for all the visited communes at once, from a fixed number of queries.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.core.briefing import PackSection, Period, Table
from haicap.core.collation import vietnamese_key
from haicap.staffing.explain import why
from haicap.staffing.models import Secondment
from haicap.staffing.standings import in_effect, province_standings


def build_staffing(
    viewer: object, commune_ids: tuple[int, ...], period: Period
) -> Mapping[int, Sequence[Table]]:
    standings = province_standings(period.end, list(commune_ids))
    fields = sorted(standings.fields, key=lambda f: vietnamese_key(f.name))
    running: dict[int, list[tuple]] = defaultdict(list)
    wanted = set(commune_ids)
    secondments = (
        Secondment.objects.filter(in_effect(standings.on))
        .filter(Q(to_agency__unit_id__in=wanted) | Q(from_agency__unit_id__in=wanted))
        .select_related("officer", "from_agency", "to_agency", "field")
        .order_by("end_date", "officer__full_name", "pk")
    )
    for secondment in secondments:
        row = (
            secondment.officer.full_name,
            secondment.from_agency.name,
            secondment.to_agency.name,
            secondment.field.name,
            secondment.end_date,
        )
        for unit_id in {secondment.to_agency.unit_id, secondment.from_agency.unit_id} & wanted:
            running[unit_id].append(row)
    built = {}
    for commune in standings.communes:
        gaps = []
        for staff_field in fields:
            standing = standings.of(commune.pk, staff_field.code)
            if standing is None:
                continue
            rule = standings.rule_of(commune.pk, staff_field.code)
            gaps.append(
                (
                    staff_field.name,
                    standing.norm,
                    standing.filled,
                    standing.gap,
                    standing.dossiers_per_month if staff_field.catalog_field_id else None,
                    standing.overdue_open if staff_field.catalog_field_id else None,
                    why(
                        commune.full_name,
                        staff_field.name,
                        standing,
                        rule,
                        standings.moves_of(commune.pk, staff_field.code),
                    ),
                )
            )
        if not gaps and not running[commune.pk]:
            continue  # the province has no staffing data for it: nothing to show
        built[commune.pk] = (
            Table(
                title=_("Officers by field on %(day)s")
                % {"day": standings.on.strftime("%d/%m/%Y")},
                header=(
                    _("Field"),
                    _("Norm"),
                    _("Officers"),
                    _("Gap"),
                    _("Dossiers a month"),
                    _("Overdue dossiers"),
                    _("Why"),
                ),
                rows=tuple(gaps),
            ),
            Table(
                title=_("Secondments in effect into and out of the commune"),
                header=(
                    _("Officer"),
                    _("Seconded from"),
                    _("Seconded to"),
                    _("Field"),
                    _("Until"),
                ),
                rows=tuple(running[commune.pk]),
            ),
        )
    return built


STAFFING = PackSection(
    key="staffing.gaps",
    title=gettext_lazy("Staff and secondments"),
    order=30,
    build=build_staffing,
)
