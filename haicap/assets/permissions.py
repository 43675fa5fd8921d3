"""Who may change what in assets (the reading rules are the models' ``visible_to``)."""

from django.utils.translation import gettext as _

from haicap.core.errors import PermissionDenied
from haicap.core.roles import Role
from haicap.core.scoping import scope_of
from haicap.units.kinds import Duty
from haicap.units.models import Agency, duty_roles

# Roles in the agencies charged with assets (Finance) that keep the register and draft; its
# leaders sign take-over records and approve allocations.
EDITORS = frozenset({Role.SPECIALIST, Role.LEADER, Role.AGENCY_ADMIN})


def arranges_assets(user: object) -> bool:
    """Keeps the province's register, drafts take-over records and proposals: Finance's
    officers (not a read-only supervisor), and system administrators."""
    scope = scope_of(user)
    return scope.is_system_admin or bool(duty_roles(scope, Duty.ASSETS) & EDITORS)


def decides_assets(user: object) -> bool:
    """Signs take-over records and approves allocations: Finance's leaders (and system
    administrators)."""
    scope = scope_of(user)
    return scope.is_system_admin or Role.LEADER in duty_roles(scope, Duty.ASSETS)


def edits_agency_assets(user: object, agency: Agency) -> bool:
    """Updates what ``agency`` holds (condition, a disposal plan's progress): Finance, or an
    administrator or leader of the body the agency belongs to."""
    if arranges_assets(user):
        return True
    scope = scope_of(user)
    return any(
        m.role in (Role.AGENCY_ADMIN, Role.LEADER) and m.body.includes(agency.pk, agency.unit_id)
        for m in scope.memberships
    )


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not change asset records."))
