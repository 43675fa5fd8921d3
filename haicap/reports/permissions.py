"""Who may do what with a commune's report: the commune's officers write it; a leader of its
People's Committee submits it and signs it for the Committee (the head as CHỦ TỊCH, a deputy as
KT. CHỦ TỊCH), not a leader of one of the commune's offices; the province's reviewers (the
leaders and specialists of an agency charged with the communes' reports, ``Duty.REPORTS``)
approve it or return it. Supervisors read, never act."""

from django.db.models import Case, IntegerField, Value, When

from haicap.accounts.models import Membership, Position
from haicap.core.roles import Role
from haicap.core.scoping import Scope, scope_of
from haicap.reports.models import Report
from haicap.units.kinds import AgencyKind, Duty
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


def signing_membership(user: object, unit_id: int) -> Membership | None:
    """The user's leader membership in the People's Committee of the commune ``unit_id`` (the
    head's first, should they hold both), or ``None``."""
    if getattr(user, "pk", None) is None:
        return None
    return (
        Membership.objects.filter(
            user_id=user.pk,
            role=Role.LEADER,
            agency__unit_id=unit_id,
            agency__kind=AgencyKind.COMMUNE_PEOPLES_COMMITTEE,
        )
        .annotate(
            rank=Case(
                When(position=Position.HEAD, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "pk")
        .first()
    )


def opens_records(user: object, report: Report) -> bool:
    """Opens the records behind a report's figures (dossiers, petitions, officers: the
    commune's, scoped as always): the commune's own staff, or a province-wide reader."""
    scope = scope_of(user)
    return scope.province_wide or bool(commune_roles(scope, report.unit_id))


def may_submit(user: object, report: Report) -> bool:
    """A leader of the commune's People's Committee submits (and signs) its report."""
    scope = scope_of(user)
    if scope.read_only or Role.LEADER not in commune_roles(scope, report.unit_id):
        return False
    return signing_membership(user, report.unit_id) is not None


def may_review(user: object) -> bool:
    """Approves or returns the communes' reports."""
    scope = scope_of(user)
    return not scope.read_only and bool(duty_roles(scope, Duty.REPORTS) & REVIEWERS)
