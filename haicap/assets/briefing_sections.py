"""The briefing pack's assets section (``haicap.core.briefing``): for each commune visited, the
condition of its offices, its equipment against the norms, and its surplus offices waiting to
be disposed of, with the plan for each and how it stands against its deadline.

Offices are the land and buildings the commune's agencies hold. Equipment is what the gap
table shows (``gaps``): needed, held (in use and usable) and lacking, kind by kind. A surplus
office is one marked surplus or one whose disposal plan is still open; its status is the
directive's rule (``haicap.core.task_status``), as it stood on the pack's last day (a plan
closed after it is still open then), as the staffing section reads its standings.

Read province-wide like the service figures (the register is the province's, and what the pack
says of a commune is the same whoever prepares it); the register holds the present, so the
figures are today's. Everything is read for all the visited communes at once, from a fixed
number of queries.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.assets.gaps import province_gaps
from haicap.assets.models import Asset, Category, DisposalPlan
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.briefing import PackSection, Period, Table
from haicap.core.collation import vietnamese_key
from haicap.core.task_status import Outcome, Status, status_of

STATUS_LABELS = {
    Status.IN_PROGRESS: gettext_lazy("In progress, within the deadline"),
    Status.OVERDUE: gettext_lazy("In progress, overdue"),
    Status.DONE_ON_TIME: gettext_lazy("Done on time"),
    Status.DONE_LATE: gettext_lazy("Done late"),
    Status.NOT_ACHIEVED: gettext_lazy("Not achieved (closed)"),
}


def _plan_of(office: Asset) -> DisposalPlan | None:
    try:
        return office.disposal_plan
    except DisposalPlan.DoesNotExist:
        return None


def build_assets(
    viewer: object, commune_ids: tuple[int, ...], period: Period
) -> Mapping[int, Sequence[Table]]:
    wanted = list(commune_ids)
    on = min(clock.now().astimezone(VIETNAM).date(), period.end)
    gaps = province_gaps(wanted)
    offices: dict[int, list[tuple]] = defaultdict(list)
    surplus: dict[int, list[tuple]] = defaultdict(list)
    held = (
        Asset.objects.filter(kind__category=Category.LAND_BUILDING, holder__unit_id__in=wanted)
        .exclude(status=Asset.Status.DISPOSED)
        .select_related("holder", "disposal_plan__responsible")
        .order_by("identifier")
    )
    for office in sorted(held, key=lambda a: (vietnamese_key(a.name), a.identifier)):
        unit_id = office.holder.unit_id
        offices[unit_id].append(
            (
                office.name,
                office.holder.name,
                office.address,
                office.area_m2,
                str(office.get_condition_display()),
                str(office.get_status_display()),
            )
        )
        plan = _plan_of(office)
        if office.status != Asset.Status.SURPLUS and (plan is None or plan.closed_on):
            continue  # in use, or its plan is carried out
        surplus[unit_id].append(_surplus_row(office, plan, on))
    built = {}
    for commune in gaps.communes:
        equipment = tuple(
            (kind.kind.name, need.needed, need.held, need.gap)
            for kind in gaps.kinds
            if (need := gaps.of(commune.pk, kind.kind.code)) is not None
        )
        if not equipment and not offices[commune.pk]:
            continue  # the register knows nothing of it: nothing to show
        built[commune.pk] = (
            Table(
                title=_("Offices and their condition"),
                header=(
                    _("Office"),
                    _("Held by"),
                    _("Address"),
                    _("Floor area (m²)"),
                    _("Condition"),
                    _("Status"),
                ),
                rows=tuple(offices[commune.pk]),
            ),
            Table(
                title=_("Equipment against the norms"),
                header=(_("Kind"), _("Needed"), _("Usable, in use"), _("Lacking")),
                rows=equipment,
            ),
            Table(
                title=_("Surplus offices waiting to be disposed of"),
                header=(
                    _("Office"),
                    _("What it becomes"),
                    _("Responsible"),
                    _("Deadline"),
                    _("Status"),
                ),
                rows=tuple(surplus[commune.pk]),
            ),
        )
    return built


def _surplus_row(office: Asset, plan: DisposalPlan | None, on: dt.date) -> tuple:
    if plan is None:
        return (office.name, _("No plan yet"), "", None, "")
    closed = plan.closed_on if plan.closed_on and plan.closed_on <= on else None
    outcome = Outcome(plan.outcome) if closed and plan.outcome else None
    status = status_of(plan.deadline, closed, outcome, on)
    return (
        office.name,
        str(plan.get_method_display()),
        plan.responsible.name,
        plan.deadline,
        str(STATUS_LABELS[status]),
    )


ASSETS = PackSection(
    key="assets.offices_equipment",
    title=gettext_lazy("Offices and equipment"),
    order=40,
    build=build_assets,
)
