"""Who may change what in staffing (the reading rules are the models' ``visible_to``)."""

from django.utils.translation import gettext as _

from haicap.core.errors import PermissionDenied
from haicap.core.roles import Role
from haicap.core.scoping import Scope, scope_of
from haicap.units.kinds import Duty
from haicap.units.models import Agency, duty_roles

# Roles in the staffing authority that edit staff data and draft plans; its leaders approve.
EDITORS = frozenset({Role.SPECIALIST, Role.LEADER, Role.AGENCY_ADMIN})


def _authority_roles(scope: Scope) -> frozenset[Role]:
    return duty_roles(scope, Duty.STAFFING)


def arranges_staff(user: object) -> bool:
    """Edits every agency's staff data and drafts plans: the staffing authority's officers
    (not a read-only supervisor), and system administrators."""
    scope = scope_of(user)
    return scope.is_system_admin or bool(_authority_roles(scope) & EDITORS)


def approves_plans(user: object) -> bool:
    """Approves secondment plans: the staffing authority's leaders (and system administrators)."""
    scope = scope_of(user)
    return scope.is_system_admin or Role.LEADER in _authority_roles(scope)


def edits_agency_staff(user: object, agency: Agency) -> bool:
    """Edits the officers of ``agency``: the staffing authority, or an agency administrator of
    the body the agency belongs to (a commune's administrator, for any office of the commune)."""
    if arranges_staff(user):
        return True
    scope = scope_of(user)
    return any(
        m.role == Role.AGENCY_ADMIN and m.body.includes(agency.pk, agency.unit_id)
        for m in scope.memberships
    )


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not change staffing records."))
