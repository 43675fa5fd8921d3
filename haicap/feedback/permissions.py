"""Who may act on a petition: the staff of the body that holds it now (a commune's bodies as
one, a provincial agency alone; ``core.scoping.acting_body``). Leaders and agency
administrators assign it to any of the body's officers; any officer may take it for
themselves; the officer in charge (or a leader) answers it. Supervisors read, never act."""

from haicap.core.roles import Role
from haicap.core.scoping import Scope, acting_body, scope_of
from haicap.feedback.models import Petition

ASSIGNERS = frozenset({Role.LEADER, Role.AGENCY_ADMIN})
HANDLERS = frozenset({Role.SPECIALIST, Role.LEADER, Role.AGENCY_ADMIN, Role.INTAKE_OFFICER})


def body_roles(scope: Scope, petition: Petition) -> frozenset[Role]:
    """The roles ``scope`` holds in the body now holding ``petition``."""
    agency = petition.agency
    body = acting_body(agency.pk, agency.unit_id, agency.unit.tier)
    return frozenset(m.role for m in scope.memberships if body.includes(m.agency_id, m.unit_id))


def may_handle(user: object, petition: Petition) -> bool:
    scope = scope_of(user)
    return not scope.read_only and bool(body_roles(scope, petition) & HANDLERS)


def may_assign(user: object, petition: Petition) -> bool:
    scope = scope_of(user)
    return not scope.read_only and bool(body_roles(scope, petition) & ASSIGNERS)


def may_answer(user: object, petition: Petition) -> bool:
    """The officer in charge, or a leader of the body."""
    scope = scope_of(user)
    if scope.read_only:
        return False
    if petition.handler_id is not None and petition.handler_id == scope.user_id:
        return may_handle(user, petition)
    return may_assign(user, petition)


def may_file_for_sender(user: object) -> bool:
    """Any officer who is not only a supervisor files a petition on a sender's behalf."""
    scope = scope_of(user)
    return not scope.read_only and bool(scope.memberships)
