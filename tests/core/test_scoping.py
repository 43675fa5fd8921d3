"""The tree rule of scoping, pure."""

from hypothesis import given
from hypothesis import strategies as st

from haicap.core.roles import Role
from haicap.core.scoping import MembershipFact, Scope

PROVINCE = "/1/"
COMMUNE_A = "/1/10/"
COMMUNE_B = "/1/11/"


def scope_with(path: str, role: Role = Role.SPECIALIST) -> Scope:
    unit_id = int(path.strip("/").split("/")[-1])
    return Scope.of(7, [MembershipFact(100, unit_id, path, role)], superuser=False)


def test_a_commune_officer_sees_their_commune_and_the_province_but_no_sibling():
    scope = scope_with(COMMUNE_A)
    assert scope.sees_unit_path(COMMUNE_A)
    assert scope.sees_unit_path(PROVINCE)
    assert not scope.sees_unit_path(COMMUNE_B)


def test_a_department_sees_the_whole_province():
    scope = scope_with(PROVINCE)
    assert scope.sees_unit_path(COMMUNE_A) and scope.sees_unit_path(COMMUNE_B)


def test_a_supervisor_sees_everything_and_changes_nothing():
    scope = scope_with(COMMUNE_A, Role.PROVINCE_SUPERVISOR)
    assert scope.province_wide and scope.sees_unit_path(COMMUNE_B)
    assert scope.read_only
    assert not scope.is_system_admin


def test_a_supervisor_who_also_works_in_an_agency_is_not_read_only():
    scope = Scope.of(
        7,
        [
            MembershipFact(100, 10, COMMUNE_A, Role.PROVINCE_SUPERVISOR),
            MembershipFact(101, 10, COMMUNE_A, Role.LEADER),
        ],
        superuser=False,
    )
    assert not scope.read_only


def test_anonymous_sees_nothing():
    assert not Scope.anonymous().sees_unit_path(PROVINCE)


@given(st.integers(2, 500), st.integers(2, 500))
def test_no_commune_officer_sees_another_commune(own, other):
    if own == other:
        return
    scope = scope_with(f"/1/{own}/", Role.INTAKE_OFFICER)
    assert not scope.sees_unit_path(f"/1/{other}/")
    assert scope.sees_unit_path(f"/1/{own}/")
