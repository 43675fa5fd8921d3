"""A commune's bodies act as one, a provincial agency alone: one rule
(``core.scoping.acting_body``) that the roles on a dossier, the officers warned about it and the
desk's queues all follow."""

import pytest

from haicap.accounts.models import User
from haicap.core.roles import Role
from haicap.core.scoping import ActingBody, acting_body
from haicap.dossiers.deadlines import handlers_of
from haicap.dossiers.models import Dossier
from haicap.dossiers.selectors import approval_queue
from haicap.dossiers.services import acting_roles
from tests.dossiers.test_scenarios import act, at, receive, through_to_processing

COMMITTEE, OFFICE, OTHER_COMMUNES_OFFICE = (1, 10), (2, 10), (3, 11)  # (agency, unit)


def test_a_communes_agencies_act_as_one():
    body = acting_body(*OFFICE, "commune")
    assert body == ActingBody(unit_id=10)
    assert body.includes(*COMMITTEE) and body.includes(*OFFICE)
    assert not body.includes(*OTHER_COMMUNES_OFFICE)
    assert body.lookups("agency__") == {"agency__unit_id": 10}


def test_a_provincial_agency_acts_alone_even_beside_others_of_its_province():
    department, other_department = (5, 1), (6, 1)
    body = acting_body(*department, "province")
    assert body == ActingBody(agency_id=5)
    assert body.includes(*department) and not body.includes(*other_department)
    assert body.lookups() == {"id": 5}
    assert acting_body(*department, "") == body  # a unit of no known tier: alone too


@pytest.mark.django_db
@pytest.mark.parametrize("procedure", ["X.HT.007", "T.TP.001"])
def test_who_holds_roles_on_a_dossier_is_who_is_warned_about_it(user, procedure):
    dossier = receive(user, at(3, 2, 9), procedure).dossier
    officers = list(User.objects.filter(is_active=True))
    # the receiving desk's intake role comes from the receipt, not from where it is handled
    for role in set(Role) - {Role.INTAKE_OFFICER}:
        holding = {u for u in officers if role in acting_roles(u, dossier)}
        assert set(handlers_of(dossier, {role})) == holding, role
    assert any(acting_roles(u, dossier) - {Role.INTAKE_OFFICER} for u in officers)


@pytest.mark.django_db
def test_the_leader_of_the_commune_approves_what_its_office_handles(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    through_to_processing(user, received)
    code = received.dossier.code
    act(user, "chuyenvien.doluong", at(3, 3, 10), code, "submit")
    dossier = Dossier.objects.get(code=code)
    leader = user("lanhdao.doluong")
    assert leader.memberships.get().agency != dossier.competent_agency  # another of its bodies
    assert Role.LEADER in acting_roles(leader, dossier)
    assert dossier in approval_queue(leader)
