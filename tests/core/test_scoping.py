"""The tree rule of scoping, pure."""

from hypothesis import given
from hypothesis import strategies as st

from haicap.core.roles import Role
from haicap.core.scoping import ActingBody, MembershipFact, Scope, scope_of

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


memberships = st.lists(
    st.builds(
        MembershipFact,
        agency_id=st.integers(100, 110),
        unit_id=st.integers(1, 6),
        unit_path=st.just("/1/"),
        role=st.sampled_from([Role.INTAKE_OFFICER, Role.SPECIALIST, Role.LEADER]),
        unit_tier=st.sampled_from(["province", "commune"]),
    ),
    max_size=6,
)


@given(memberships)
def test_a_commune_acts_as_one_and_a_provincial_agency_for_itself(facts):
    """Every membership counts once: in a commune by its unit, elsewhere by its agency."""
    scope = Scope.of(7, facts, superuser=False)
    for m in facts:
        if m.unit_tier == "commune":
            assert m.unit_id in scope.communes
        else:
            assert m.agency_id in scope.provincial_agencies
    assert scope.communes == {m.unit_id for m in facts if m.unit_tier == "commune"}
    assert scope.provincial_agencies <= {m.agency_id for m in facts}


@given(memberships, st.sets(st.sampled_from([Role.INTAKE_OFFICER, Role.SPECIALIST, Role.LEADER])))
def test_the_bodies_through_some_roles_are_those_of_the_memberships_with_them(facts, roles):
    scope = Scope.of(7, facts, superuser=False)
    assert scope.bodies(roles) == {m.body for m in facts if m.role in roles}
    assert scope.bodies(roles) <= scope.bodies()


def test_a_dashboard_shows_the_first_memberships_commune_or_agency_as_ones_own():
    in_commune = MembershipFact(100, 10, COMMUNE_A, Role.SPECIALIST, "commune")
    in_department = MembershipFact(200, 1, PROVINCE, Role.SPECIALIST, "province")
    assert Scope.of(7, [in_commune, in_department], False).own_figures() == ActingBody(unit_id=10)
    assert Scope.of(7, [in_department, in_commune], False).own_figures() == ActingBody(
        agency_id=200
    )
    assert Scope.of(7, [], False).own_figures() is None
    supervisor = MembershipFact(100, 10, COMMUNE_A, Role.PROVINCE_SUPERVISOR, "commune")
    assert Scope.of(7, [supervisor], False).own_figures() is None


def test_only_who_carries_a_scope_has_one():
    class Carrier:
        scope = scope_with(COMMUNE_A)

    assert scope_of(Carrier()) == Carrier.scope
    assert scope_of(None) == Scope.anonymous()
    assert scope_of(object()) == Scope.anonymous()
