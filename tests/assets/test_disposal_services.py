"""Surplus offices' disposal plans: only for a surplus office, progress append-only and once per
Idempotency-Key, closed with an outcome, and a status counted as a directive's on any day."""

import datetime as dt

import pytest
from django.db import DatabaseError, transaction
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from haicap.assets import selectors
from haicap.assets.models import Asset, Disposal, DisposalPlan, DisposalUpdate, Movement
from haicap.assets.services import disposal
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.errors import Conflict, IdempotencyKeyReused, InvalidInput, PermissionDenied
from haicap.core.task_status import Outcome, Status, status_of
from tests.assets.takeover_world import (
    BACH_NGOC_PPC,
    DO_LUONG_PPC,
    agency,
    finance_world,
    kinds,
    make_asset,
    merged_commune,
)

DEADLINE = dt.date(2026, 6, 30)
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM)


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(db):
    return finance_world()


def surplus_office(name: str = "Trụ sở UBND xã Bắc Sơn cũ", holder: str = DO_LUONG_PPC) -> Asset:
    return make_asset(
        kinds()["TRUSO"],
        name,
        origin=merged_commune(),
        holder=agency(holder),
        original=4_200_000_000,
        remaining=1_100_000_000,
        status=Asset.Status.SURPLUS,
        address="Xóm 3, xã Đô Lương",
        area_m2="420.5",
    )


@pytest.fixture
def plan(people) -> DisposalPlan:
    return disposal.create_plan(
        people.specialist,
        surplus_office(),
        method=Disposal.SALE,
        deadline=DEADLINE,
        responsible=agency(DO_LUONG_PPC),
        decision="120/QĐ-UBND",
    )


def test_a_plan_is_only_for_an_office_marked_surplus_and_only_one(people, plan):
    in_use = make_asset(
        kinds()["TRUSO"],
        "Trụ sở đang dùng",
        origin=merged_commune(),
        holder=agency(DO_LUONG_PPC),
        original=1_000_000_000,
        remaining=500_000_000,
    )
    car = make_asset(
        kinds()["OTO"],
        "Xe ô tô dôi dư",
        origin=merged_commune(),
        holder=agency(DO_LUONG_PPC),
        original=700_000_000,
        remaining=100_000_000,
        status=Asset.Status.SURPLUS,
    )
    arguments = {"deadline": DEADLINE, "responsible": agency(DO_LUONG_PPC)}
    with pytest.raises(InvalidInput, match="not marked surplus"):
        disposal.create_plan(people.specialist, in_use, method=Disposal.SALE, **arguments)
    with pytest.raises(InvalidInput, match="not an office"):
        disposal.create_plan(people.specialist, car, method=Disposal.SALE, **arguments)
    with pytest.raises(Conflict, match="already has a disposal plan"):
        disposal.create_plan(people.specialist, plan.office, method=Disposal.REUSE, **arguments)
    with pytest.raises(InvalidInput, match="reused, transferred, sold or demolished"):
        disposal.create_plan(
            people.specialist, surplus_office("Khác"), method=Disposal.LIQUIDATION, **arguments
        )
    for outsider in (people.do_luong, people.supervisor):
        with pytest.raises(PermissionDenied):
            disposal.create_plan(
                outsider, surplus_office("Khác nữa"), method=Disposal.SALE, **arguments
            )


def test_a_retried_creation_with_its_key_returns_the_plan_it_made(people):
    office = surplus_office()
    arguments = {
        "method": Disposal.REUSE,
        "deadline": DEADLINE,
        "responsible": agency(DO_LUONG_PPC),
        "idempotency_key": "plan-1",
    }
    first = disposal.create_plan(people.specialist, office, **arguments)
    assert disposal.create_plan(people.specialist, office, **arguments) == first
    with pytest.raises(IdempotencyKeyReused):
        disposal.create_plan(people.specialist, office, **{**arguments, "method": Disposal.SALE})


def status_on(plan: DisposalPlan, day: dt.date) -> Status:
    plan = DisposalPlan.objects.get(pk=plan.pk)
    return selectors.plan_status(plan, day)


def test_an_open_plan_is_in_progress_to_its_deadline_and_overdue_after(plan):
    assert status_on(plan, DEADLINE - dt.timedelta(days=30)) == Status.IN_PROGRESS
    assert status_on(plan, DEADLINE) == Status.IN_PROGRESS
    assert status_on(plan, DEADLINE + dt.timedelta(days=1)) == Status.OVERDUE


@pytest.mark.parametrize(
    ("closed_on", "outcome", "expected"),
    [
        (DEADLINE, Outcome.ACHIEVED, Status.DONE_ON_TIME),
        (DEADLINE - dt.timedelta(days=40), Outcome.ACHIEVED, Status.DONE_ON_TIME),
        (DEADLINE + dt.timedelta(days=1), Outcome.ACHIEVED, Status.DONE_LATE),
        (DEADLINE - dt.timedelta(days=1), Outcome.NOT_ACHIEVED, Status.NOT_ACHIEVED),
    ],
)
def test_a_closed_plan_is_done_on_time_late_or_not_done(people, plan, closed_on, outcome, expected):
    with clock.fixed_at(dt.datetime(2026, 12, 31, 9, tzinfo=VIETNAM)):
        disposal.close_plan(people.specialist, plan, outcome=outcome, on=closed_on)
    # whatever day it is read on, afterwards
    for day in (closed_on, DEADLINE + dt.timedelta(days=100)):
        assert status_on(plan, day) == expected


def test_a_sale_done_disposes_of_the_office_and_records_it(people, plan):
    with clock.fixed_at(NOW):
        disposal.close_plan(people.specialist, plan, outcome=Outcome.ACHIEVED)
    office = Asset.objects.get(pk=plan.office_id)
    assert office.status == Asset.Status.DISPOSED
    moved = Movement.objects.get(asset=office, kind=Movement.Kind.DISPOSED)
    assert (moved.on, moved.decision, moved.from_agency.code) == (
        NOW.date(),
        "120/QĐ-UBND",
        DO_LUONG_PPC,
    )


def test_a_plan_not_done_leaves_the_office_surplus_and_a_closed_plan_stays_closed(people, plan):
    with clock.fixed_at(NOW):
        disposal.close_plan(people.specialist, plan, outcome=Outcome.NOT_ACHIEVED)
        assert Asset.objects.get(pk=plan.office_id).status == Asset.Status.SURPLUS
        with pytest.raises(Conflict, match="closed"):
            disposal.close_plan(people.specialist, plan, outcome=Outcome.ACHIEVED)
        with pytest.raises(Conflict, match="closed"):
            disposal.post_progress(people.do_luong, plan, text="Đã bán đấu giá")
    with pytest.raises(PermissionDenied):
        disposal.close_plan(
            people.do_luong, DisposalPlan.objects.get(pk=plan.pk), outcome="achieved"
        )


def test_progress_comes_from_the_responsible_agency_or_finance_each_a_new_row(people, plan):
    with clock.fixed_at(NOW):
        first = disposal.post_progress(people.do_luong, plan, text="Đã lập hồ sơ định giá")
        second = disposal.post_progress(
            people.specialist, plan, text="Đã trình phương án bán", on=dt.date(2026, 3, 1)
        )
        for outsider in (people.bach_ngoc, people.supervisor, people.health):
            with pytest.raises(PermissionDenied):
                disposal.post_progress(outsider, plan, text="Không phải việc của tôi")
        with pytest.raises(InvalidInput):
            disposal.post_progress(people.do_luong, plan, text="Sau", on=dt.date(2026, 3, 3))
    assert list(selectors.plan_updates(plan)) == [first, second]
    assert first.on == NOW.date() and first.by == people.do_luong


def test_progress_is_append_only_in_the_database(people, plan):
    with clock.fixed_at(NOW):
        update = disposal.post_progress(people.do_luong, plan, text="Đã lập hồ sơ")
    for change in (
        lambda: DisposalUpdate.objects.filter(pk=update.pk).update(text="Sửa lại"),
        lambda: DisposalUpdate.objects.filter(pk=update.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert DisposalUpdate.objects.get(pk=update.pk).text == "Đã lập hồ sơ"


def test_a_retried_progress_with_its_key_is_posted_once(people, plan):
    with clock.fixed_at(NOW):
        first = disposal.post_progress(
            people.do_luong, plan, text="Đã định giá", idempotency_key="k-1"
        )
        again = disposal.post_progress(
            people.do_luong, plan, text="Đã định giá", idempotency_key="k-1"
        )
        with pytest.raises(IdempotencyKeyReused):
            disposal.post_progress(people.do_luong, plan, text="Khác", idempotency_key="k-1")
    assert again == first and plan.updates.count() == 1


def test_the_list_filters_by_status_and_commune_and_shows_the_last_progress(people, plan):
    other = disposal.create_plan(
        people.specialist,
        surplus_office("Trụ sở xã Giang Sơn Đông cũ", holder=BACH_NGOC_PPC),
        method=Disposal.REUSE,
        deadline=dt.date(2026, 1, 31),
        responsible=agency(BACH_NGOC_PPC),
    )
    with clock.fixed_at(NOW):
        disposal.post_progress(people.do_luong, plan, text="Cũ", on=dt.date(2026, 2, 1))
        disposal.post_progress(people.do_luong, plan, text="Mới nhất", on=dt.date(2026, 3, 1))
    day = NOW.date()
    plans = selectors.visible_disposal_plans
    assert list(plans(people.specialist, status=Status.OVERDUE, on=day)) == [other]
    assert list(plans(people.specialist, status=Status.IN_PROGRESS, on=day)) == [plan]
    bach_ngoc = agency(BACH_NGOC_PPC).unit_id
    assert list(plans(people.specialist, commune_id=bach_ngoc)) == [other]
    shown = plans(people.specialist).get(pk=plan.pk)
    assert (shown.last_progress, shown.last_progress_on) == ("Mới nhất", dt.date(2026, 3, 1))


def test_a_commune_reads_the_plans_of_offices_it_holds_or_is_responsible_for(people, plan):
    held_elsewhere = disposal.create_plan(
        people.specialist,
        surplus_office("Trụ sở do tỉnh giữ", holder="000.04.00.H40"),
        method=Disposal.TRANSFER,
        deadline=DEADLINE,
        responsible=agency(BACH_NGOC_PPC),
    )
    assert set(selectors.visible_disposal_plans(people.do_luong)) == {plan}
    assert set(selectors.visible_disposal_plans(people.bach_ngoc)) == {held_elsewhere}
    assert set(selectors.visible_disposal_plans(people.van_hien)) == set()
    assert set(selectors.visible_disposal_plans(people.supervisor)) == {plan, held_elsewhere}


days = st.dates(min_value=dt.date(2025, 7, 1), max_value=dt.date(2027, 12, 31))


class TestTheListCountsStatusesAsTheDirectivesRuleDoes(TestCase):
    """Whatever the deadline, closing and day, filtering by status in the database gives the
    status ``task_status.status_of`` gives the plan."""

    @settings(max_examples=40, deadline=None)
    @given(
        deadline=days,
        closed=st.one_of(st.none(), st.tuples(days, st.sampled_from(list(Outcome)))),
        today=days,
    )
    def test_filter_and_rule_agree(self, deadline, closed, today):
        people = finance_world()
        office = surplus_office()
        plan = DisposalPlan.objects.create(
            office=office,
            method=Disposal.SALE,
            deadline=deadline,
            responsible=agency(DO_LUONG_PPC),
            closed_on=closed[0] if closed else None,
            outcome=closed[1].value if closed else "",
        )
        expected = status_of(deadline, closed[0] if closed else None, closed and closed[1], today)
        for status in Status:
            found = selectors.visible_disposal_plans(people.specialist, status=status, on=today)
            assert found.filter(pk=plan.pk).exists() == (status == expected), status
