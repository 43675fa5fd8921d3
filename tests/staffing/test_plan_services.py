"""Secondment plans: asked for (the real solver proposes), edited by hand under the plan's
constraints, approved by a leader, and revised as new versions (``services.plans``)."""

import datetime as dt

import pytest
from django.utils import translation

from haicap.core import clock
from haicap.core.errors import (
    Conflict,
    IdempotencyKeyReused,
    InvalidInput,
    PermissionDenied,
)
from haicap.core.models import AuditRecord
from haicap.core.notices import notice_sources
from haicap.staffing import planning
from haicap.staffing.models import NormRule, Secondment, SecondmentPlan, StaffingNotice
from haicap.staffing.services import plans
from haicap.staffing.services.plans import Addition, PlanConstraintBroken, SecondmentChange
from haicap.staffing.standings import in_effect
from tests.staffing.plan_world import (
    AGRICULTURE,
    BACH_HA,
    BEFORE_START,
    DO_LUONG,
    START,
    agency,
    commune,
    in_english,
    plan_world,
)
from tests.staffing.plan_world import officer as new_officer

pytestmark = pytest.mark.django_db
Status = SecondmentPlan.Status


@pytest.fixture(autouse=True)
def english():
    with in_english(), clock.fixed_at(BEFORE_START):
        yield


@pytest.fixture
def world():
    return plan_world()


def ask(world, travel: int = 70, per_agency: int = 2, **extra) -> SecondmentPlan:
    return plans.request_plan(
        world.arranger,
        "Biệt phái công chức đất đai",
        START,
        6,
        travel,
        per_agency,
        **extra,
    )


def numbered(world, plan: SecondmentPlan) -> None:
    plans.save_secondments(
        world.arranger,
        plan,
        {
            s.pk: SecondmentChange(decision_number=f"{n}/QĐ-SNV")
            for n, s in enumerate(plan.secondments.order_by("pk"), start=20)
        },
    )


# --- asking for a plan --------------------------------------------------------------------------


def test_a_requested_plan_is_a_draft_of_the_solvers_proposals_with_their_figures(world):
    plan = ask(world)
    assert plan.status == Status.DRAFT
    assert (plan.version, plan.created_by) == (1, world.arranger)
    assert plan.solver_status == "optimal"
    assert plan.mip_gap is not None and plan.mip_gap < 1e-6
    assert plan.solve_seconds is not None and plan.solve_seconds < 5
    assert plan.uncovered == []
    rows = {s.officer: s for s in plan.secondments.select_related("to_agency", "from_agency")}
    an, giang = world.do_luong[0], world.department[1]
    assert set(rows) == {an, giang}
    assert rows[an].from_agency == an.agency
    assert rows[an].to_agency == agency(f"{BACH_HA}.03.H40")  # land lands in the Economic Office
    assert rows[giang].from_agency == agency(AGRICULTURE)
    for s in rows.values():
        assert (s.start_date, s.end_date) == (START, dt.date(2026, 10, 31))
        assert (s.host_gap_before, s.host_gap_after) == (2, 0)
        assert (s.donor_field, s.donor_norm, s.donor_filled_before) == (world.land, 2, 3)
        assert s.decision_number == ""
        assert not s.added_by_hand
    assert (rows[an].travel_minutes, rows[giang].travel_minutes) == (25, 70)
    assert AuditRecord.objects.filter(
        action="secondmentplan.requested", object_id=str(plan.pk)
    ).exists()


def test_what_the_travel_limit_leaves_uncovered_is_recorded(world):
    plan = ask(world, travel=60)
    assert [s.officer for s in plan.secondments.all()] == [world.do_luong[0]]
    assert plan.uncovered == [[commune(BACH_HA).pk, "DATDAI", 1]]
    assert plan.secondments.get().host_gap_after == 1


def test_the_same_idempotency_key_gives_the_same_plan_and_refuses_other_rules(world):
    first = ask(world, idempotency_key="ke-hoach-1")
    again = ask(world, idempotency_key="ke-hoach-1")
    assert again == first
    assert SecondmentPlan.objects.filter(title="Biệt phái công chức đất đai").count() == 1
    with pytest.raises(IdempotencyKeyReused):
        ask(world, travel=60, idempotency_key="ke-hoach-1")


@pytest.mark.parametrize("who", ["supervisor", "commune_officer", "other_department"])
def test_only_the_staffing_authority_asks_for_a_plan(world, who):
    with pytest.raises(PermissionDenied):
        plans.request_plan(getattr(world, who), "Kế hoạch", START, 6, 60, 2)
    assert not SecondmentPlan.objects.filter(title="Kế hoạch").exists()


@pytest.mark.parametrize(
    "title, months, travel, per_agency",
    [
        (" ", 6, 60, 2),
        ("Kế hoạch", 0, 60, 2),
        ("Kế hoạch", 37, 60, 2),
        ("Kế hoạch", 6, 0, 2),
        ("Kế hoạch", 6, 60, 0),
    ],
)
def test_rules_that_make_no_sense_are_refused(world, title, months, travel, per_agency):
    with pytest.raises(InvalidInput):
        plans.request_plan(world.arranger, title, START, months, travel, per_agency)


# --- editing a draft ----------------------------------------------------------------------------


def test_a_proposal_removed_uncovers_its_gap_again(world):
    plan = ask(world)
    giang = plan.secondments.get(officer=world.department[1])
    plans.remove_secondment(world.arranger, plan, giang)
    removal = AuditRecord.objects.get(action="secondment.removed")
    assert (removal.object_id, removal.before["officer_id"]) == (str(giang.pk), giang.officer_id)
    plan.refresh_from_db()
    assert [s.officer for s in plan.secondments.all()] == [world.do_luong[0]]
    assert plan.secondments.get().host_gap_after == 1
    assert plan.uncovered == [[commune(BACH_HA).pk, "DATDAI", 1]]


def test_an_officer_added_by_hand_within_the_constraints(world):
    plan = ask(world, travel=60)
    plans.remove_secondment(world.arranger, plan, plan.secondments.get())
    added = plans.add_secondment(
        world.arranger,
        plan,
        Addition(officer=world.do_luong[1], commune=commune(BACH_HA), field=world.land),
    )
    assert added.added_by_hand
    assert (added.from_agency, added.to_agency) == (
        world.do_luong[1].agency,
        agency(f"{BACH_HA}.03.H40"),
    )
    assert (added.start_date, added.end_date) == (START, dt.date(2026, 10, 31))
    assert (added.host_gap_before, added.host_gap_after, added.travel_minutes) == (2, 1, 25)
    assert (added.donor_norm, added.donor_filled_before) == (2, 3)
    plan.refresh_from_db()
    assert plan.uncovered == [[commune(BACH_HA).pk, "DATDAI", 1]]


def add(world, plan, officer, code=BACH_HA):
    return plans.add_secondment(
        world.arranger, plan, Addition(officer=officer, commune=commune(code), field=world.land)
    )


def test_a_hand_added_officer_who_would_leave_the_donor_below_its_norm_is_refused(world):
    plan = ask(world, travel=60)  # Nguyễn Văn An already leaves xã Đô Lương with 2 of 2
    with pytest.raises(PlanConstraintBroken) as refused:
        add(world, plan, world.do_luong[1])
    assert refused.value.constraint == "donor_norm"
    assert refused.value.detail == (
        "Xã Đô Lương would keep 1 Đất đai officers, below its norm of 2."
    )
    with translation.override("vi"), pytest.raises(PlanConstraintBroken) as refused:
        add(world, plan, world.do_luong[1])
    assert refused.value.detail == (
        "Xã Đô Lương sẽ chỉ còn 1 công chức Đất đai, dưới định mức 2 của mình."
    )
    assert plan.secondments.count() == 1


def test_each_constraint_a_hand_added_officer_breaks_is_named(world):
    plan = ask(world, travel=60)
    cases = [
        (world.nurse, BACH_HA, "qualification", "Đinh Thị Lan is not qualified in Đất đai."),
        (world.do_luong[0], BACH_HA, "moves_once", "Nguyễn Văn An is already in this plan."),
        (
            world.department[0],
            BACH_HA,
            "moves_once",
            "Hoàng Văn Em is already seconded by an approved plan at that time.",
        ),
        (
            world.do_luong[2],
            DO_LUONG,
            "same_body",
            "Lê Thị Cúc already works for xã Đô Lương.",
        ),
        (
            world.department[1],
            BACH_HA,
            "travel",
            "From tỉnh Nghệ An to xã Bạch Hà is 70 minutes, over the plan's limit of 60.",
        ),
        (
            world.finance,
            BACH_HA,
            "donor_norm",
            "Sở Tài chính has no norm of Đất đai officers set, so it gives none of them.",
        ),
    ]
    for officer, code, constraint, message in cases:
        with pytest.raises(PlanConstraintBroken) as refused:
            add(world, plan, officer, code)
        assert (refused.value.constraint, refused.value.detail) == (constraint, message)
    assert plan.secondments.count() == 1


def test_a_commune_covered_by_the_plan_takes_nobody_more(world):
    plan = ask(world)
    with pytest.raises(PlanConstraintBroken) as refused:
        add(world, plan, world.department[2])
    assert refused.value.constraint == "host_gap"
    assert refused.value.detail == "Xã Bạch Hà has the Đất đai officers it needs with this plan."


def test_no_more_than_the_limit_is_taken_from_one_agency(world):
    NormRule.objects.filter(unit=commune(BACH_HA)).update(count=4)
    plan = ask(world, per_agency=1)  # Giang from the department: its one
    NormRule.objects.filter(agency=agency(AGRICULTURE)).update(count=1)  # now it could spare two
    with pytest.raises(PlanConstraintBroken) as refused:
        add(world, plan, world.department[2])
    assert refused.value.constraint == "per_agency"
    assert refused.value.detail == (
        "The plan already takes 1 officers from Sở Nông nghiệp và Môi trường, its limit."
    )


def test_a_secondments_dates_and_decision_number_are_edited_in_a_draft(world):
    plan = ask(world, travel=60)
    secondment = plan.secondments.get()
    plans.update_secondment(
        world.arranger,
        plan,
        secondment,
        SecondmentChange(
            start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 11, 30), decision_number="7"
        ),
    )
    secondment.refresh_from_db()
    assert (secondment.start_date, secondment.end_date, secondment.decision_number) == (
        dt.date(2026, 6, 1),
        dt.date(2026, 11, 30),
        "7",
    )
    for change in (
        SecondmentChange(end_date=dt.date(2026, 5, 31)),  # before it starts
        SecondmentChange(start_date=dt.date(2026, 4, 1)),  # before the plan starts
        SecondmentChange(end_date=dt.date(2029, 12, 31)),  # longer than three years
    ):
        with pytest.raises(InvalidInput):
            plans.update_secondment(world.arranger, plan, secondment, change)
    secondment.refresh_from_db()
    assert secondment.end_date == dt.date(2026, 11, 30)


def test_a_supervisor_reads_but_edits_no_draft(world):
    plan = ask(world)
    with pytest.raises(PermissionDenied):
        plans.remove_secondment(world.supervisor, plan, plan.secondments.first())
    assert plan.secondments.count() == 2


def test_a_discarded_draft_is_no_longer_edited_or_approved(world):
    plan = plans.discard(world.arranger, ask(world))
    assert plan.status == Status.DISCARDED
    with pytest.raises(Conflict):
        plans.remove_secondment(world.arranger, plan, plan.secondments.first())
    with pytest.raises(Conflict):
        plans.approve(world.leader, plan)


# --- approving ----------------------------------------------------------------------------------


def test_only_a_leader_of_the_staffing_authority_approves(world):
    plan = ask(world)
    numbered(world, plan)
    for who in (world.arranger, world.supervisor, world.commune_officer):
        with pytest.raises(PermissionDenied):
            plans.approve(who, plan)
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT


def test_every_secondment_needs_its_decision_number_before_approval(world):
    plan = ask(world)
    first = plan.secondments.order_by("pk").first()
    plans.update_secondment(world.arranger, plan, first, SecondmentChange(decision_number="1"))
    with pytest.raises(InvalidInput) as refused:
        plans.approve(world.leader, plan)
    missing = plan.secondments.exclude(pk=first.pk).get().officer.full_name
    assert missing in refused.value.detail
    assert first.officer.full_name not in refused.value.detail
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT


def test_an_approved_plan_is_a_record_no_service_changes(world):
    plan = ask(world)
    numbered(world, plan)
    approved = plans.approve(world.leader, plan)
    assert (approved.status, approved.approved_by) == (Status.APPROVED, world.leader)
    assert approved.approved_at == clock.now()
    secondment = plan.secondments.order_by("pk").first()
    before = list(plan.secondments.order_by("pk").values())
    attempts = [
        lambda: plans.remove_secondment(world.arranger, plan, secondment),
        lambda: add(world, plan, world.department[2]),
        lambda: plans.update_secondment(
            world.arranger, plan, secondment, SecondmentChange(decision_number="khác")
        ),
        lambda: plans.discard(world.arranger, plan),
        lambda: plans.approve(world.leader, plan),
    ]
    for attempt in attempts:
        with pytest.raises(Conflict):
            attempt()
    assert list(plan.secondments.order_by("pk").values()) == before
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED


def test_a_revision_is_a_new_draft_and_its_approval_supersedes_the_old(world):
    plan = ask(world)
    numbered(world, plan)
    plans.approve(world.leader, plan)
    revision = plans.revise(world.arranger, plan)
    assert (revision.status, revision.version, revision.revises) == (Status.DRAFT, 2, plan)
    copied = ["officer_id", "to_agency_id", "start_date", "end_date", "decision_number"]
    assert list(revision.secondments.order_by("officer_id").values(*copied)) == list(
        plan.secondments.order_by("officer_id").values(*copied)
    )
    with pytest.raises(Conflict):
        plans.revise(world.arranger, plan)  # one draft revision at a time
    # the revision's own officers are no obstacle to it, though approved in the old version
    giang = revision.secondments.get(officer=world.department[1])
    plans.update_secondment(
        world.arranger, revision, giang, SecondmentChange(end_date=dt.date(2026, 8, 31))
    )
    plans.approve(world.leader, revision)
    plan.refresh_from_db()
    revision.refresh_from_db()
    assert (plan.status, revision.status) == (Status.SUPERSEDED, Status.APPROVED)
    running = Secondment.objects.filter(in_effect(dt.date(2026, 9, 15)))
    assert [s.officer for s in running.filter(plan__in=[plan, revision])] == [world.do_luong[0]]
    with pytest.raises(Conflict):
        plans.revise(world.arranger, plan)  # a superseded version is revised no more


def revision_rows(revision: SecondmentPlan) -> dict:
    secondments = revision.secondments.select_related(
        "officer", "from_agency__unit", "to_agency__unit", "field", "donor_field"
    )
    return {row.secondment.officer: row for row in planning.plan_rows(secondments)}


def test_a_revision_takes_its_figures_again_and_marks_what_is_no_longer_needed(world):
    """xã Bạch Hà lacked two land officers; once it has one of its own, the new version says
    it lacks one, and the second secondment into it (the later added) is no longer needed."""
    plan = ask(world)
    numbered(world, plan)
    plans.approve(world.leader, plan)
    new_officer("BH-1", "Lương Thị Mai", f"{BACH_HA}.03.H40", world.land)
    revision = plans.revise(world.arranger, plan)
    rows = revision_rows(revision)
    an, giang = rows[world.do_luong[0]], rows[world.department[1]]
    first, second = sorted((an, giang), key=lambda row: row.secondment.pk)
    assert [row.host_gap_before for row in (first, second)] == [1, 1]
    assert (first.needed, second.needed) == (True, False)
    assert second.reason == (
        "Not needed: xã Bạch Hà lacks 1 officer in Đất đai, whom the plan's other secondments"
        " cover; remove this one."
    )
    assert revision.uncovered == []
    # the approved version keeps the figures it was approved on
    assert set(plan.secondments.values_list("host_gap_before", flat=True)) == {2}


def test_a_revision_of_a_plan_whose_host_is_no_longer_short_marks_every_copy(world):
    plan = ask(world)
    numbered(world, plan)
    plans.approve(world.leader, plan)
    for number in ("BH-1", "BH-2"):
        new_officer(number, f"Lương Thị {number}", f"{BACH_HA}.03.H40", world.land)
    rows = revision_rows(plans.revise(world.arranger, plan))
    assert {(row.host_gap_before, row.host_gap_after, row.needed) for row in rows.values()} == {
        (0, 0, False)
    }
    assert {row.reason for row in rows.values()} == {
        "Not needed: xã Bạch Hà no longer lacks officers in Đất đai; remove this secondment."
    }


def test_a_revision_marks_a_secondment_its_donor_can_no_longer_spare(world):
    plan = ask(world)
    numbered(world, plan)
    plans.approve(world.leader, plan)
    # xã Đô Lương loses an officer: with An seconded it would keep one, below its norm of 2
    world.do_luong[2].delete()
    rows = revision_rows(plans.revise(world.arranger, plan))
    an = rows[world.do_luong[0]]
    assert (an.donor_norm, an.donor_filled_before, an.needed) == (2, 2, False)
    assert an.reason.startswith("Not needed: xã Đô Lương has 2 in Đất đai against its norm of 2")
    assert rows[world.department[1]].needed


# --- submitting to the leaders -------------------------------------------------------------------


def test_a_submitted_draft_notifies_the_authoritys_leaders_once(world):
    plan = ask(world)
    numbered(world, plan)
    submitted, told = plans.submit(world.arranger, plan)
    # the world's leader and the demo's, both leaders of Home Affairs; not its specialists
    leaders = {"giamdoc.sonoivu", "lanhdao.sonoivu"}
    assert told == 2
    told_whom = StaffingNotice.objects.filter(plan=plan).values_list("recipient__username")
    assert {name for (name,) in told_whom} == leaders
    assert (submitted.status, submitted.submitted_by) == (Status.DRAFT, world.arranger)
    assert submitted.awaits_approval
    (notice,) = notice_sources.get("staffing").latest(world.leader, 10)
    assert notice.kind == "Secondment plan awaiting approval"
    assert notice.subject == "Biệt phái công chức đất đai · version 1"
    assert notice.url == f"/desk/nhan-su/ke-hoach/{plan.pk}/"
    assert not notice.read
    assert notice_sources.get("staffing").latest(world.arranger, 10) == []
    assert AuditRecord.objects.filter(
        action="secondmentplan.submitted", object_id=str(plan.pk)
    ).exists()
    with pytest.raises(Conflict):
        plans.submit(world.arranger, plan)
    # approving it settles the leaders' notices
    plans.approve(world.leader, plan)
    assert notice_sources.get("staffing").unread(world.leader) == 0
    plan.refresh_from_db()
    assert not plan.awaits_approval


def test_a_draft_not_ready_to_approve_is_not_submitted(world):
    plan = ask(world)
    with pytest.raises(InvalidInput) as refused:
        plans.submit(world.arranger, plan)
    assert "Give each secondment its decision number first" in refused.value.detail
    plan.refresh_from_db()
    assert plan.submitted_at is None
    assert notice_sources.get("staffing").unread(world.leader) == 0


@pytest.mark.parametrize("who", ["supervisor", "commune_officer"])
def test_only_the_authoritys_officers_submit(world, who):
    plan = ask(world)
    numbered(world, plan)
    with pytest.raises(PermissionDenied):
        plans.submit(getattr(world, who), plan)


def test_discarding_a_submitted_draft_settles_its_notices(world):
    plan = ask(world)
    numbered(world, plan)
    plans.submit(world.arranger, plan)
    plans.discard(world.arranger, plan)
    assert notice_sources.get("staffing").unread(world.leader) == 0


def test_a_draft_is_not_revised_only_edited(world):
    with pytest.raises(Conflict):
        plans.revise(world.arranger, ask(world))


def test_two_drafts_cannot_both_send_the_same_officer(world):
    first, second = ask(world), ask(world)
    numbered(world, first)
    numbered(world, second)
    plans.approve(world.leader, first)
    with pytest.raises(Conflict) as refused:
        plans.approve(world.leader, second)
    assert "already seconded by an approved plan" in refused.value.detail
    second.refresh_from_db()
    assert second.status == Status.DRAFT


def test_a_first_plan_with_no_secondment_has_nothing_to_approve(world):
    plan = ask(world)
    for secondment in plan.secondments.all():
        plans.remove_secondment(world.arranger, plan, secondment)
    with pytest.raises(InvalidInput):
        plans.approve(world.leader, plan)


def test_a_revision_that_ends_every_secondment_may_be_approved(world):
    plan = ask(world)
    numbered(world, plan)
    plans.approve(world.leader, plan)
    revision = plans.revise(world.arranger, plan)
    for secondment in revision.secondments.all():
        plans.remove_secondment(world.arranger, revision, secondment)
    plans.approve(world.leader, revision)
    plan.refresh_from_db()
    assert plan.status == Status.SUPERSEDED
    assert not Secondment.objects.filter(in_effect(START)).filter(plan=plan).exists()
