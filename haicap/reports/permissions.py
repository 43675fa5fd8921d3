"""Who may do what with a commune's report: the commune's officers write it, its leader submits
it (and signs it), the province's reviewers (the leaders and specialists of an agency charged
with the communes' reports, ``Duty.REPORTS``) approve it or return it. Supervisors read, never
act."""

from haicap.core.roles import Role
from haicap.core.scoping import Scope, scope_of
from haicap.reports.models import Report
from haicap.units.kinds import Duty
from haicap.units.models import duty_roles

WRITERS = frozenset({Role.SPECIALIST, Role.LEADER, Role.AGENCY_ADMIN, Role.INTAKE_OFFICER})
REVIEWERS = frozenset({Role.SPECIALIST, Role.LEADER})


def commune_roles(scope: Scope, unit_id: int) -> frozenset[Role]:
    """The roles ``scope`` holds in the agencies of the commune ``unit_id``."""
    return frozenset(m.role for m in scope.memberships if m.unit_id == unit_id)


def may_write(user: object, report: Report) -> bool:
    scope = scope_of(user)
    return not scope.read_only and bool(commune_roles(scope, report.unit_id) & WRITERS)


def may_write_for(user: object, unit_id: int) -> bool:
    """Writes the reports of the commune ``unit_id`` (opens one that is not there yet)."""
    scope = scope_of(user)
    return not scope.read_only and bool(commune_roles(scope, unit_id) & WRITERS)


def may_submit(user: object, report: Report) -> bool:
    """The commune's leader submits (and signs) its report."""
    scope = scope_of(user)
    return not scope.read_only and Role.LEADER in commune_roles(scope, report.unit_id)


def may_review(user: object) -> bool:
    """Approves or returns the communes' reports."""
    scope = scope_of(user)
    return not scope.read_only and bool(duty_roles(scope, Duty.REPORTS) & REVIEWERS)
