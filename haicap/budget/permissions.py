"""Who may change what in the capital plans (the reading rules are the models' ``visible_to``)."""

from django.utils.translation import gettext as _

from haicap.core.errors import PermissionDenied
from haicap.core.roles import Role
from haicap.core.scoping import scope_of
from haicap.units.kinds import Duty
from haicap.units.models import duty_roles

# Roles in the agencies charged with capital plans (Finance) that import plans and draft
# transfers; its leaders approve them.
EDITORS = frozenset({Role.SPECIALIST, Role.LEADER, Role.AGENCY_ADMIN})


def arranges_capital(user: object) -> bool:
    """Imports plans, drafts and corrects entries and transfer batches, sets the expected pace:
    Finance's officers (not a read-only supervisor), and system administrators."""
    scope = scope_of(user)
    return scope.is_system_admin or bool(duty_roles(scope, Duty.CAPITAL) & EDITORS)


def approves_capital(user: object) -> bool:
    """Approves a transfer batch and reverses ledger entries: Finance's leaders (and system
    administrators)."""
    scope = scope_of(user)
    return scope.is_system_admin or Role.LEADER in duty_roles(scope, Duty.CAPITAL)


def reports_disbursement(
    user: object, investor_id: int | None, investor_unit_id: int | None
) -> bool:
    """Enters a project's monthly disbursement: Finance, or an officer of the body that invests
    in it (a commune's officers act as one)."""
    if arranges_capital(user):
        return True
    if investor_id is None:
        return False
    scope = scope_of(user)
    return any(
        m.role in EDITORS and m.body.includes(investor_id, investor_unit_id)
        for m in scope.memberships
    )


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not change capital plans."))
