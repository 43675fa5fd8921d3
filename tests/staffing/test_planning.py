"""What the solver is asked, built from the database (``haicap.staffing.planning``)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.core import clock
from haicap.staffing import planning
from haicap.staffing.models import Secondment, SecondmentPlan
from tests.staffing.plan_world import (
    AGRICULTURE,
    BACH_HA,
    BEFORE_START,
    DO_LUONG,
    FINANCE,
    START,
    VAN_HIEN,
    agency,
    commune,
    in_english,
    plan_world,
    province,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with in_english():
        yield


@pytest.fixture
def world():
    return plan_world()


def inputs(start: dt.date = START, plan: SecondmentPlan | None = None) -> planning.PlanInputs:
    with clock.fixed_at(BEFORE_START):
        return planning.plan_inputs(start, plan)


def unit_body(code: str) -> str:
    return planning.commune_body(commune(code).pk)


def test_commune_cells_hold_the_norm_the_officers_and_the_weight(world):
    cells = inputs().cells
    short = cells[(unit_body(BACH_HA), "DATDAI")]
    assert (short.norm, short.filled, short.gap) == (2, 0, 2)
    assert short.location == BACH_HA
    assert short.weight == 2  # the field's weight, no overdue dossiers
    spare = cells[(unit_body(DO_LUONG), "DATDAI")]
    assert (spare.norm, spare.filled, spare.surplus) == (2, 3, 1)
    covered = cells[(unit_body(VAN_HIEN), "DATDAI")]
    assert (covered.norm, covered.filled, covered.gap, covered.surplus) == (1, 1, 0, 0)
    # a field with no norm for the commune has no cell (the nurse's field, health)
    assert (unit_body(DO_LUONG), "YTE") not in cells


def test_a_department_with_a_rule_offers_its_surplus_less_those_seconded_out(world):
    cells = inputs().cells
    department = cells[(planning.agency_body(agency(AGRICULTURE).pk), "DATDAI")]
    assert (department.norm, department.filled, department.surplus) == (2, 3, 1)
    assert department.location == province().code


def test_an_agency_with_no_rule_has_no_cell_so_gives_nobody(world):
    found = inputs()
    finance = planning.agency_body(agency(FINANCE).pk)
    assert not [key for key in found.cells if key[0] == finance]
    # its officer is a candidate, but no cell of his body can spare him
    assert found.candidates[world.finance.pk].body == finance


def test_a_provincial_agency_short_of_its_own_norm_is_no_host(world):
    world.department[1].delete()
    world.department[2].delete()  # two left, one of them seconded out: 1 against a norm of 2
    found = inputs()
    department = found.cells[(planning.agency_body(agency(AGRICULTURE).pk), "DATDAI")]
    assert department.gap == 1
    assert department not in found.solver_cells()
    assert found.cells[(unit_body(BACH_HA), "DATDAI")] in found.solver_cells()


def test_candidates_carry_their_body_place_field_and_qualifications(world):
    found = inputs()
    an = found.candidates[world.do_luong[0].pk]
    assert an.body == unit_body(DO_LUONG)
    assert an.location == DO_LUONG
    assert an.agency_id == agency(f"{DO_LUONG}.03.H40").pk
    assert (an.position_field, an.qualifications, an.experience_years) == (
        "DATDAI",
        frozenset({"DATDAI"}),
        10,
    )
    giang = found.candidates[world.department[1].pk]
    assert giang.body == planning.agency_body(agency(AGRICULTURE).pk)
    assert giang.location == province().code


def test_an_officer_seconded_by_an_approved_plan_is_no_candidate(world):
    assert world.department[0].pk not in inputs().candidates
    # ... until the secondment has ended before the new plan starts
    assert world.department[0].pk in inputs(dt.date(2027, 1, 1)).candidates


def test_a_draft_or_discarded_plan_blocks_nobody(world):
    world.earlier.status = SecondmentPlan.Status.DISCARDED
    world.earlier.save()
    assert world.department[0].pk in inputs().candidates


def test_a_revision_does_not_count_the_versions_it_replaces(world):
    revision = SecondmentPlan.objects.create(
        title="Biệt phái năm 2026",
        version=2,
        revises=world.earlier,
        max_travel_minutes=120,
        max_per_agency=3,
        months=12,
        starts_on=dt.date(2026, 1, 1),
    )
    found = inputs(plan=revision)
    assert world.department[0].pk in found.candidates
    department = found.cells[(planning.agency_body(agency(AGRICULTURE).pk), "DATDAI")]
    assert department.filled == 4  # the secondment it revises is not taken as in force


def test_a_secondment_in_force_on_the_start_counts_at_both_ends(world):
    Secondment.objects.create(
        plan=world.earlier,
        officer=world.department[1],
        from_agency=world.department[1].agency,
        to_agency=agency(f"{BACH_HA}.03.H40"),
        field=world.land,
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 8, 31),
        decision_number="13/QĐ-SNV",
    )
    cells = inputs().cells
    assert cells[(unit_body(BACH_HA), "DATDAI")].filled == 1
    assert cells[(planning.agency_body(agency(AGRICULTURE).pk), "DATDAI")].filled == 2
    after = inputs(dt.date(2026, 9, 1)).cells  # ended by then
    assert after[(unit_body(BACH_HA), "DATDAI")].filled == 0


def test_travel_comes_from_the_table_by_unit_code(world):
    table = inputs().travel
    assert table.minutes(DO_LUONG, BACH_HA) == 25
    assert table.minutes(BACH_HA, province().code) == 70
    assert table.minutes(VAN_HIEN, DO_LUONG) is None  # not in the table: unreachable


@pytest.mark.parametrize(
    "field_weight, overdue, weight",
    [(1, 0, 1), (2, 0, 2), (2, 1, 4), (3, 4, 15), (3, 40, 15), (0, 0, 1)],
)
def test_a_gap_weighs_its_field_and_its_overdue_dossiers_up_to_the_cap(
    field_weight, overdue, weight
):
    assert planning.OVERDUE_WEIGHT_CAP == 4
    assert planning.host_weight(field_weight, overdue) == weight


@given(st.integers(0, 20), st.integers(0, 10_000))
def test_a_weight_is_at_least_the_field_weight_and_grows_with_overdue(field_weight, overdue):
    weight = planning.host_weight(field_weight, overdue)
    assert weight >= max(1, field_weight)
    assert weight <= planning.host_weight(field_weight, overdue + 1)


@pytest.mark.parametrize(
    "start, months, end",
    [
        (dt.date(2026, 5, 1), 6, dt.date(2026, 10, 31)),
        (dt.date(2026, 5, 15), 12, dt.date(2027, 5, 14)),
        (dt.date(2026, 11, 1), 3, dt.date(2027, 1, 31)),
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 27)),  # no 31 February: its last day, less one
    ],
)
def test_a_term_ends_the_day_before_the_same_day_months_later(start, months, end):
    assert planning.end_of_term(start, months) == end


@given(st.dates(dt.date(2000, 1, 1), dt.date(2090, 1, 1)), st.integers(1, 36))
def test_a_term_is_about_as_long_as_its_months(start, months):
    end = planning.end_of_term(start, months)
    assert 28 * months - 4 <= (end - start).days + 1 <= 31 * months


def test_the_solver_is_asked_and_the_travel_limit_is_kept(world):
    found = inputs()
    near = planning.solve(found, max_travel_minutes=60, max_per_agency=2)
    assert [(p.officer_id, p.to_body) for p in near.proposals] == [
        (world.do_luong[0].pk, unit_body(BACH_HA))  # the most experienced of Đô Lương
    ]
    assert near.uncovered == ((unit_body(BACH_HA), "DATDAI", 1),)
    far = planning.solve(found, max_travel_minutes=70, max_per_agency=2)
    assert {p.officer_id for p in far.proposals} == {
        world.do_luong[0].pk,
        world.department[1].pk,  # the department's most experienced not already seconded
    }
    assert far.uncovered == ()


def test_an_edit_changes_one_uncovered_gap_and_keeps_the_solvers_order():
    solved = [[7, "DATDAI", 2], [3, "YTE", 1]]
    assert planning.adjusted_uncovered(solved, 3, "YTE", -1) == [[7, "DATDAI", 2]]
    assert planning.adjusted_uncovered(solved, 3, "YTE", +1) == [[7, "DATDAI", 2], [3, "YTE", 2]]
    assert planning.adjusted_uncovered(solved, 9, "CNTT", +1) == [*solved, [9, "CNTT", 1]]
    assert planning.adjusted_uncovered(solved, 9, "CNTT", -1) == solved
