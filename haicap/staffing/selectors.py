"""Reads of staffing records, each through its kind's one scoping rule (``restrict``)."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haicap.core.errors import NotFound
from haicap.core.restricted import Viewer
from haicap.core.scoping import scope_of
from haicap.staffing.models import (
    Officer,
    Position,
    Secondment,
    SecondmentPlan,
    administers_staffing,
)


def reads_province(user: Viewer) -> bool:
    """Reads every commune's staff and standing (the staffing authority, supervisors)."""
    return administers_staffing(scope_of(user))


def visible_communes(user: Viewer) -> list[int] | None:
    """The communes (unit ids) whose standing ``user`` reads: None for the whole province."""
    return None if reads_province(user) else sorted(scope_of(user).communes)


def visible_officers(user: Viewer) -> QuerySet[Officer]:
    return Officer.objects.restrict(user).select_related("agency__unit", "position__field", "user")


def get_officer(user: Viewer, officer_id: int) -> Officer:
    officer = visible_officers(user).filter(pk=officer_id).first()
    if officer is None:
        raise NotFound(_("No such officer."))
    return officer


def visible_positions(user: Viewer) -> QuerySet[Position]:
    return Position.objects.restrict(user).select_related("agency__unit", "field")


# --- secondment plans ---------------------------------------------------------------------------


def sees_plans(user: Viewer) -> bool:
    """Plans are the staffing authority's working papers, and the supervisors' to read."""
    return reads_province(user)


def visible_plans(user: Viewer) -> QuerySet[SecondmentPlan]:
    return SecondmentPlan.objects.restrict(user).select_related(
        "revises", "created_by", "approved_by"
    )


def get_plan(user: Viewer, plan_id: int) -> SecondmentPlan:
    plan = visible_plans(user).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(_("No such plan."))
    return plan


def plan_secondments(user: Viewer, plan: SecondmentPlan) -> QuerySet[Secondment]:
    """The plan's secondments, the largest gaps first, with what their page and figures read."""
    return (
        Secondment.objects.restrict(user)
        .filter(plan=plan)
        .select_related(
            "officer",
            "from_agency__unit",
            "to_agency__unit",
            "field",
            "donor_field",
        )
        .order_by("-host_gap_before", "to_agency__unit__name", "field__code", "officer__full_name")
    )


def plan_versions(user: Viewer, plan: SecondmentPlan) -> list[SecondmentPlan]:
    """Every version of the plan's family, the first first: the version it started from and
    each revision of it (a discarded draft included)."""
    plans = visible_plans(user)
    root = plan
    while root.revises_id is not None:
        root = plans.get(pk=root.revises_id)
    family, frontier = [root], [root.pk]
    while frontier:
        found = list(plans.filter(revises_id__in=frontier))
        family += found
        frontier = [p.pk for p in found]
    return sorted(family, key=lambda p: (p.version, p.pk))


def open_revision(user: Viewer, plan: SecondmentPlan) -> SecondmentPlan | None:
    """The draft revising ``plan``, if one is open."""
    return visible_plans(user).filter(revises=plan, status=SecondmentPlan.Status.DRAFT).first()
