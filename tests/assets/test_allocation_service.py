"""The allocation, end to end: surplus items proposed to the communes lacking their kind,
nearest first (``gap_world`` works the travel out by hand), approved by Finance's leaders (the
move is recorded and the gap closes) or turned down; never two open proposals for one item."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from haicap.accounts.models import User
from haicap.assets.gaps import province_gaps
from haicap.assets.models import AllocationProposal, Asset, Movement
from haicap.assets.services import allocation
from haicap.core.errors import (
    Conflict,
    IdempotencyKeyReused,
    InvalidInput,
    PermissionDenied,
)
from haicap.core.models import AuditRecord
from tests.assets import gap_world
from tests.assets.gap_world import (
    BACH_HA,
    COMMUNE_LEADER,
    DO_LUONG,
    FINANCE,
    VAN_HIEN,
    agency,
    commune,
    today,
)

world = gap_world.world

pytestmark = pytest.mark.django_db
Status = AllocationProposal.Status


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def moves(proposals) -> list[tuple[int, str, int]]:
    return [(p.asset_id, p.to_agency.code, p.travel_minutes) for p in proposals]


def user(username: str) -> User:
    return User.objects.get(username=username)


def test_the_nearest_commune_lacking_the_kind_gets_each_surplus_item(world):
    made = allocation.propose(world.specialist, 120)
    assert moves(made) == [
        (world.s2.pk, f"{BACH_HA}.05.H40", 20),  # a scanner goes to the desk
        (world.p1.pk, f"{DO_LUONG}.01.H40", 45),  # a printer to the People's Committee
        (world.s1.pk, f"{VAN_HIEN}.05.H40", 90),  # Bạch Hà, nearer, has Đô Lương's by then
    ]
    assert {p.status for p in made} == {Status.PROPOSED}
    # nothing moves until it is approved
    assert Asset.objects.get(pk=world.s2.pk).holder.code == f"{DO_LUONG}.05.H40"
    assert not Movement.objects.filter(asset__in=[world.s1, world.s2, world.p1]).exists()


def test_a_commune_out_of_reach_gets_nothing(world):
    made = allocation.propose(world.specialist, 60)
    # the province's scanner is 90 minutes from Văn Hiến
    assert moves(made) == [
        (world.s2.pk, f"{BACH_HA}.05.H40", 20),
        (world.p1.pk, f"{DO_LUONG}.01.H40", 45),
    ]


def test_a_second_run_proposes_no_item_twice_and_only_what_is_still_lacking(world):
    allocation.propose(world.specialist, 60)
    assert allocation.propose(world.specialist, 60) == []
    # the wider reach adds only the province's scanner for Văn Hiến
    assert moves(allocation.propose(world.specialist, 120)) == [
        (world.s1.pk, f"{VAN_HIEN}.05.H40", 90)
    ]
    assert AllocationProposal.objects.filter(asset=world.s2).count() == 1


def test_the_database_refuses_a_second_open_proposal_for_an_item(world):
    first = allocation.propose(world.specialist, 60)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        AllocationProposal.objects.create(asset=first.asset, to_agency=agency(f"{VAN_HIEN}.05.H40"))


def test_an_open_proposal_counts_against_the_gap_it_fills(world):
    # Bạch Hà lacks one scanner: with Đô Lương's on its way, another surplus one goes elsewhere
    allocation.propose(world.specialist, 20)
    extra = gap_world.item(world.kinds.scanner, f"{DO_LUONG}.02.H40", status=Asset.Status.SURPLUS)
    assert moves(allocation.propose(world.specialist, 30)) == [(extra.pk, f"{VAN_HIEN}.05.H40", 30)]


def test_approval_records_the_move_and_the_gap_closes(world):
    proposal = allocation.propose(world.specialist, 20)[0]
    assert province_gaps().of(commune(BACH_HA).pk, "scanner").gap == 1
    decided = allocation.approve(world.leader, proposal, " 15/QĐ-STC ", dt.date(2026, 4, 2))
    assert (decided.status, decided.decision, decided.decided_on, decided.decided_by) == (
        Status.APPROVED,
        "15/QĐ-STC",
        dt.date(2026, 4, 2),
        world.leader,
    )
    movement = decided.movement
    assert (
        movement.kind,
        movement.asset_id,
        movement.from_agency.code,
        movement.to_agency.code,
        movement.on,
        movement.decision,
        movement.recorded_by,
    ) == (
        Movement.Kind.ALLOCATED,
        world.s2.pk,
        f"{DO_LUONG}.05.H40",
        f"{BACH_HA}.05.H40",
        dt.date(2026, 4, 2),
        "15/QĐ-STC",
        world.leader,
    )
    scanner = Asset.objects.get(pk=world.s2.pk)
    assert (scanner.holder.code, scanner.status) == (f"{BACH_HA}.05.H40", Asset.Status.IN_USE)
    gaps = province_gaps()
    assert gaps.of(commune(BACH_HA).pk, "scanner").gap == 0
    assert gaps.of(commune(DO_LUONG).pk, "scanner").held == 1  # the surplus one never counted
    actions = set(
        AuditRecord.objects.filter(actor_id=world.leader.pk).values_list("action", flat=True)
    )
    assert {"movement.created", "asset.updated", "allocationproposal.updated"} <= actions


def test_a_provincial_item_moves_from_finance(world):
    proposal = next(
        p for p in allocation.propose(world.specialist, 120) if p.asset_id == world.p1.pk
    )
    decided = allocation.approve(world.leader, proposal, "16/QĐ-STC", today())
    assert decided.movement.from_agency.code == FINANCE
    assert province_gaps().of(commune(DO_LUONG).pk, "printer").gap == 0


def test_only_finances_leaders_decide(world):
    proposal = allocation.propose(world.specialist, 20)[0]
    for who in (world.specialist, user(COMMUNE_LEADER), user("giamsat")):
        with pytest.raises(PermissionDenied):
            allocation.approve(who, proposal, "15/QĐ-STC", today())
        with pytest.raises(PermissionDenied):
            allocation.reject(who, proposal, "Không cần")
    assert AllocationProposal.objects.get(pk=proposal.pk).status == Status.PROPOSED
    assert Asset.objects.get(pk=world.s2.pk).status == Asset.Status.SURPLUS


def test_only_finances_officers_run_the_allocation(world):
    for who in (user(COMMUNE_LEADER), user("giamsat")):
        with pytest.raises(PermissionDenied):
            allocation.propose(who, 60)
    assert not AllocationProposal.objects.exists()


def test_a_decided_proposal_is_not_decided_again(world):
    proposal = allocation.propose(world.specialist, 20)[0]
    allocation.approve(world.leader, proposal, "15/QĐ-STC", today())
    with pytest.raises(Conflict):
        allocation.approve(world.leader, proposal, "15/QĐ-STC", today())
    with pytest.raises(Conflict):
        allocation.reject(world.leader, proposal, "Nhầm")
    assert Movement.objects.filter(asset=world.s2).count() == 1


def test_an_item_no_longer_surplus_is_not_moved(world):
    proposal = allocation.propose(world.specialist, 20)[0]
    Asset.objects.filter(pk=world.s2.pk).update(status=Asset.Status.IN_USE)
    with pytest.raises(Conflict, match="no longer surplus"):
        allocation.approve(world.leader, proposal, "15/QĐ-STC", today())
    assert not Movement.objects.filter(asset=world.s2).exists()


def test_an_approval_names_its_decision_dated_today_or_earlier(world):
    proposal = allocation.propose(world.specialist, 20)[0]
    with pytest.raises(InvalidInput, match="Name the decision"):
        allocation.approve(world.leader, proposal, "  ", today())
    with pytest.raises(InvalidInput, match="today or earlier"):
        allocation.approve(world.leader, proposal, "15/QĐ-STC", today() + dt.timedelta(days=1))
    with pytest.raises(InvalidInput, match="at most 120"):
        allocation.approve(world.leader, proposal, "x" * 121, today())


def test_a_turned_down_item_stays_and_is_never_proposed_to_that_commune_again(world):
    printer = next(
        p for p in allocation.propose(world.specialist, 120) if p.asset_id == world.p1.pk
    )
    assert printer.to_agency.code == f"{DO_LUONG}.01.H40"
    with pytest.raises(InvalidInput, match="Say why"):
        allocation.reject(world.leader, printer, "")
    decided = allocation.reject(world.leader, printer, "Máy in cũ, xã đã tự mua")
    assert (decided.status, decided.decision, decided.movement) == (
        Status.REJECTED,
        "Máy in cũ, xã đã tự mua",
        None,
    )
    p1 = Asset.objects.get(pk=world.p1.pk)
    assert (p1.holder.code, p1.status) == (FINANCE, Asset.Status.SURPLUS)
    # the next nearest commune lacking printers: Bạch Hà, 60 minutes from the province
    assert moves(allocation.propose(world.specialist, 120)) == [
        (world.p1.pk, f"{BACH_HA}.01.H40", 60)
    ]


def test_a_retry_with_the_same_key_gets_the_first_runs_proposals(world):
    first = allocation.propose(world.specialist, 60, idempotency_key="run-1")
    again = allocation.propose(world.specialist, 60, idempotency_key="run-1")
    assert [p.pk for p in again] == [p.pk for p in first] and len(first) == 2
    with pytest.raises(IdempotencyKeyReused):
        allocation.propose(world.specialist, 120, idempotency_key="run-1")
    assert AllocationProposal.objects.count() == 2


def test_the_reach_is_checked(world):
    with pytest.raises(InvalidInput):
        allocation.propose(world.specialist, -1)
    with pytest.raises(InvalidInput):
        allocation.propose(world.specialist, 24 * 60 + 1)


def test_the_run_is_audited_with_its_proposals(world):
    made = allocation.propose(world.specialist, 60, idempotency_key="run-2")
    run = AuditRecord.objects.get(action=allocation.RUN)
    assert run.actor_id == world.specialist.pk
    assert run.after["proposals"] == [p.pk for p in made]
    assert run.after["max_minutes"] == 60
    created = AuditRecord.objects.filter(action="allocationproposal.created")
    assert sorted(int(r.object_id) for r in created) == sorted(p.pk for p in made)
