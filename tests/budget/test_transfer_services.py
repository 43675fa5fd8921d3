"""Transfer batches: drafting the former Đô Lương district's 2025 capital, correcting the draft,
refusals that name each project, approval writing the ledger under the approving decision, and
an approved batch that never changes."""

import datetime as dt

import pytest
from django.db import DatabaseError, transaction
from django.utils import translation

from haicap.budget import selectors
from haicap.budget.ledger import Problem
from haicap.budget.models import BatchEntry, LedgerEntry, Level, Project, Source, TransferBatch
from haicap.budget.services import transfer
from haicap.budget.transfer_selectors import review
from haicap.core import clock
from haicap.core.errors import Conflict, IdempotencyKeyReused, InvalidInput, PermissionDenied
from haicap.core.models import AuditRecord
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit
from tests.budget import world

pytestmark = pytest.mark.django_db
M = world.MILLION
DECIDED = dt.date(2025, 7, 15)


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def made():
    return world.make()


def draft(made, **changes):
    return transfer.draft_batch(
        made.who.finance,
        made.plans.y2025,
        changes.pop("district", made.district),
        title=changes.pop("title", "Chuyển vốn ngân sách huyện Đô Lương"),
        **changes,
    )


def rows(batch) -> set[tuple]:
    return set(batch.entries.values_list("project__code", "source", "level", "amount"))


def approve(made, batch, **changes):
    with clock.fixed_at(dt.datetime(2025, 7, 20, 9, tzinfo=dt.UTC)):
        return transfer.approve(
            changes.pop("who", made.who.finance_leader),
            batch,
            decision_number=changes.pop("decision_number", "1234/QĐ-UBND"),
            decision_date=changes.pop("decision_date", DECIDED),
        )


def test_a_draft_pairs_each_source_to_the_investors_level_and_leaves_the_orphan_out(made):
    batch = draft(made)
    assert batch.is_draft and batch.created_by == made.who.finance
    # the road to xã Đô Lương (both sources), the school to xã Bạch Hà, the bridge to the
    # province (a provincial department invests in it); the orphan waits for its investor
    assert rows(batch) == {
        ("DL-GT-01", "district", "district", -8_000 * M),
        ("DL-GT-01", "district", "commune", 8_000 * M),
        ("DL-GT-01", "central", "district", -2_000 * M),
        ("DL-GT-01", "central", "commune", 2_000 * M),
        ("DL-GD-02", "district", "district", -5_000 * M),
        ("DL-GD-02", "district", "commune", 5_000 * M),
        ("DL-GT-03", "district", "district", -12_000 * M),
        ("DL-GT-03", "district", "province", 12_000 * M),
    }
    seen = review(batch)
    assert seen.approvable and seen.explanations == []
    assert [(p.code, amount) for p, amount in seen.waiting] == [("DL-VH-04", 1_000 * M)]
    assert seen.decreases == seen.increases == 27_000 * M
    assert seen.province_before == seen.province_after == 28_000 * M
    drafted = AuditRecord.objects.get(action="transfer_batch.drafted", object_id=str(batch.pk))
    assert drafted.actor == made.who.finance and len(drafted.after["entries"]) == 8


def test_a_draft_of_every_district_reads_the_same_projects_here(made):
    batch = draft(made, district=None, title="Chuyển vốn các huyện")
    assert len(rows(batch)) == 8 and batch.district is None


def test_a_draft_retried_with_its_key_is_made_once(made):
    first = draft(made, idempotency_key="k-1")
    again = draft(made, idempotency_key="k-1")
    assert again.pk == first.pk
    assert TransferBatch.objects.count() == 1
    with pytest.raises(IdempotencyKeyReused):
        draft(made, idempotency_key="k-1", title="Another title")


def test_only_finance_officers_draft_and_nothing_is_drafted_from_nothing(made):
    for outsider in (made.who.do_luong, made.who.supervisor, made.who.bach_ha):
        with pytest.raises(PermissionDenied):
            transfer.draft_batch(outsider, made.plans.y2025, made.district, title="X")
    # the 2026 plan holds nothing at the district level
    with pytest.raises(InvalidInput, match="nothing to transfer"):
        transfer.draft_batch(made.who.finance, made.plans.y2026, made.district, title="2026")
    with pytest.raises(InvalidInput, match="title"):
        transfer.draft_batch(made.who.finance, made.plans.y2025, made.district, title="  ")
    commune = world.unit(world.BACH_HA)
    with pytest.raises(InvalidInput, match="not a former district"):
        transfer.draft_batch(made.who.finance, made.plans.y2025, commune, title="X")
    assert TransferBatch.objects.count() == 0


def test_an_unbalanced_project_is_refused_by_name_and_nothing_is_written(made):
    batch = draft(made)
    road_in = batch.entries.get(project=made.road, source=Source.DISTRICT, level=Level.COMMUNE)
    transfer.set_entry_amount(made.who.finance, road_in, 7_500 * M)
    seen = review(batch)
    assert not seen.approvable
    assert [(e.project, e.problem) for e in seen.explanations] == [("DL-GT-01", Problem.UNBALANCED)]
    entries_before = LedgerEntry.objects.count()
    with pytest.raises(transfer.TransferRefused) as refused:
        approve(made, batch)
    assert refused.value.status == 409
    assert refused.value.extra["projects"] == ["DL-GT-01"]
    assert "DL-GT-01" in refused.value.detail and "500.000.000" in refused.value.detail
    assert LedgerEntry.objects.count() == entries_before
    batch.refresh_from_db()
    assert batch.is_draft and batch.decision_number == ""
    # fixed, it is approved
    transfer.set_entry_amount(made.who.finance, road_in, 8_000 * M)
    assert approve(made, batch).status == TransferBatch.Status.APPROVED


def test_a_change_is_audited_with_before_and_after(made):
    batch = draft(made)
    school_out = batch.entries.get(project=made.school, level=Level.DISTRICT)
    transfer.set_entry_amount(made.who.finance, school_out, -4_700 * M)
    changed = AuditRecord.objects.get(action="transfer_batch.entry_changed")
    assert changed.before["amount"] == -5_000 * M and changed.after["amount"] == -4_700 * M
    assert changed.before["project"] == "DL-GD-02"
    # the school keeps 300 million at the district level though xã Bạch Hà invests in it, and
    # takes less than it gives
    problems = {e.problem for e in review(batch).explanations}
    assert problems == {Problem.UNBALANCED, Problem.DISTRICT_LEFT}
    school_in = batch.entries.get(project=made.school, level=Level.COMMUNE)
    transfer.set_entry_amount(made.who.finance, school_in, 4_700 * M)
    left = review(batch).explanations
    assert [(e.project, e.problem) for e in left] == [("DL-GD-02", Problem.DISTRICT_LEFT)]
    assert "300.000.000" in left[0].text


def test_entries_are_added_and_removed_within_the_district(made):
    batch = draft(made)
    added = transfer.add_entry(
        made.who.finance, batch, made.road, Source.OTHER, Level.PROVINCE, 100 * M
    )
    assert AuditRecord.objects.filter(action="transfer_batch.entry_added").count() == 1
    problems = {(e.project, e.problem) for e in review(batch).explanations}
    assert problems == {("DL-GT-01", Problem.UNBALANCED), ("DL-GT-01", Problem.WRONG_LEVEL)}
    with pytest.raises(Conflict, match="already has an entry"):
        transfer.add_entry(made.who.finance, batch, made.road, Source.OTHER, Level.PROVINCE, 5 * M)
    with pytest.raises(InvalidInput, match="other than zero"):
        transfer.add_entry(made.who.finance, batch, made.road, Source.OTHER, Level.COMMUNE, 0)
    transfer.remove_entry(made.who.finance, added)
    removed = AuditRecord.objects.get(action="transfer_batch.entry_removed")
    assert removed.before["amount"] == 100 * M
    assert review(batch).approvable
    # moving the orphan's capital before it has an investor is refused at approval
    transfer.add_entry(
        made.who.finance, batch, made.orphan, Source.DISTRICT, Level.DISTRICT, -1_000 * M
    )
    transfer.add_entry(
        made.who.finance, batch, made.orphan, Source.DISTRICT, Level.COMMUNE, 1_000 * M
    )
    assert [(e.project, e.problem) for e in review(batch).explanations] == [
        ("DL-VH-04", Problem.NO_INVESTOR)
    ]


def test_a_transfer_takes_capital_from_the_district_level_only(made):
    batch = draft(made)
    drafted = rows(batch)
    with pytest.raises(InvalidInput, match="district level only"):
        transfer.add_entry(
            made.who.finance, batch, made.road, Source.DISTRICT, Level.PROVINCE, -500 * M
        )
    road_in = batch.entries.get(project=made.road, source=Source.DISTRICT, level=Level.COMMUNE)
    with pytest.raises(InvalidInput, match="district level only"):
        transfer.set_entry_amount(made.who.finance, road_in, -8_000 * M)
    assert rows(batch) == drafted
    assert not AuditRecord.objects.filter(action__startswith="transfer_batch.entry_").exists()
    # a batch that holds such a decrease all the same (written before the rule) is refused,
    # though the bridge's 500 million at the commune level are there and go to its investor
    LedgerEntry.objects.create(
        plan=made.plans.y2025,
        project=made.bridge,
        source=Source.DISTRICT,
        level=Level.COMMUNE,
        amount=500 * M,
        kind=LedgerEntry.Kind.ALLOCATION,
        decision_number="16/QĐ-UBND",
        decision_date=world.ALLOCATED,
        reason="Giao vốn",
        recorded_by=made.who.finance,
    )
    BatchEntry.objects.create(
        batch=batch,
        project=made.bridge,
        source=Source.DISTRICT,
        level=Level.COMMUNE,
        amount=-500 * M,
    )
    BatchEntry.objects.filter(batch=batch, project=made.bridge, level=Level.PROVINCE).update(
        amount=12_500 * M
    )
    seen = review(batch)
    assert [(e.project, e.problem) for e in seen.explanations] == [
        ("DL-GT-03", Problem.NOT_FROM_DISTRICT)
    ]
    assert seen.explanations[0].text == (
        "DL-GT-03 Cầu Đô Lương mới: takes 500.000.000 đ (District budget) from the commune level; "
        "a transfer takes capital from the district level only"
    )
    with translation.override("vi"):
        assert review(batch).explanations[0].text.startswith("DL-GT-03 Cầu Đô Lương mới: lấy ")
    with pytest.raises(transfer.TransferRefused):
        approve(made, batch)


def test_a_project_of_another_district_cannot_be_added(made):
    batch = draft(made)
    elsewhere = (
        AdministrativeUnit.objects.filter(tier=Tier.DISTRICT).exclude(pk=made.district.pk).first()
    )
    stranger = Project.objects.create(
        code="QL-01",
        name="Dự án của huyện khác",
        field="transport",
        total_investment=1_000 * M,
        former_district=elsewhere,
    )
    with pytest.raises(InvalidInput, match="not a project of the former district"):
        transfer.add_entry(made.who.finance, batch, stranger, Source.DISTRICT, Level.COMMUNE, 1 * M)
    assert batch.entries.count() == 8


def test_only_leaders_approve_with_a_decision_dated_in_the_plan(made):
    batch = draft(made)
    with pytest.raises(PermissionDenied):
        approve(made, batch, who=made.who.finance)
    with pytest.raises(PermissionDenied):
        approve(made, batch, who=made.who.supervisor)
    with pytest.raises(InvalidInput, match="still to come"):
        approve(made, batch, decision_date=dt.date(2025, 7, 21))
    with pytest.raises(InvalidInput, match="before"):
        approve(made, batch, decision_date=dt.date(2024, 12, 31))
    with pytest.raises(InvalidInput, match="number"):
        approve(made, batch, decision_number="   ")
    batch.refresh_from_db()
    assert batch.is_draft


def test_an_approval_dated_while_the_districts_ran_is_refused(made):
    """Allocated on 10 January, the batch dated 30 June would leave every district balance
    short from then on: the districts' capital moves by a decision made once they ended."""
    batch = draft(made)
    for day in (dt.date(2025, 1, 1), dt.date(2025, 6, 30)):
        with pytest.raises(InvalidInput, match="before 01/07/2025"):
            approve(made, batch, decision_date=day)
    batch.refresh_from_db()
    assert batch.is_draft and not LedgerEntry.objects.filter(batch=batch).exists()
    assert (
        approve(made, batch, decision_date=dt.date(2025, 7, 1)).status
        == TransferBatch.Status.APPROVED
    )


def test_an_approval_dated_before_the_capital_it_moves_is_refused(made):
    """1,000 million more for the road's district budget decided on 18 July: the batch that
    moves it, dated 15 July, would hold the district level at −1,000 million until then."""
    LedgerEntry.objects.create(
        plan=made.plans.y2025,
        project=made.road,
        source=Source.DISTRICT,
        level=Level.DISTRICT,
        amount=1_000 * M,
        kind=LedgerEntry.Kind.ADJUSTMENT,
        decision_number="20/QĐ-UBND",
        decision_date=dt.date(2025, 7, 18),
        reason="Bổ sung vốn",
        recorded_by=made.who.finance,
    )
    batch = draft(made)
    assert (made.road.code, "district", "district", -9_000 * M) in rows(batch)
    with pytest.raises(InvalidInput, match="before 18/07/2025") as refused:
        approve(made, batch, decision_date=dt.date(2025, 7, 15))
    assert "DL-GT-01" in refused.value.detail
    with translation.override("vi"), pytest.raises(InvalidInput, match="18/07/2025") as in_vi:
        approve(made, batch, decision_date=dt.date(2025, 7, 15))
    assert "không thể mang ngày trước ngày 18/07/2025" in in_vi.value.detail
    batch.refresh_from_db()
    assert batch.is_draft and not LedgerEntry.objects.filter(batch=batch).exists()
    assert approve(made, batch, decision_date=dt.date(2025, 7, 18)).status == (
        TransferBatch.Status.APPROVED
    )


def test_approval_writes_the_ledger_and_keeps_the_provinces_total(made):
    plan = made.plans.y2025
    total_before = sum(selectors.balances(plan).values())
    batch = approve(made, draft(made))
    assert batch.status == TransferBatch.Status.APPROVED
    assert (batch.decision_number, batch.decision_date) == ("1234/QĐ-UBND", DECIDED)
    assert batch.approved_by == made.who.finance_leader and batch.approved_at
    written = LedgerEntry.objects.filter(batch=batch)
    assert written.count() == 8
    assert set(written.values_list("kind", "decision_number", "decision_date", "reason")) == {
        (LedgerEntry.Kind.TRANSFER, "1234/QĐ-UBND", DECIDED, "Chuyển vốn ngân sách huyện Đô Lương")
    }
    held = selectors.balances(plan)
    assert sum(held.values()) == total_before
    assert held == {
        ("DL-GT-01", "district", "commune"): 8_000 * M,
        ("DL-GT-01", "central", "commune"): 2_000 * M,
        ("DL-GD-02", "district", "commune"): 5_000 * M,
        ("DL-GT-03", "district", "province"): 12_000 * M,
        ("DL-VH-04", "district", "district"): 1_000 * M,
    }
    # what is left at the district level waits for the orphan's investor: nothing to draft
    with pytest.raises(InvalidInput, match="nothing to transfer"):
        draft(made)
    approved = AuditRecord.objects.get(action="transfer_batch.approved")
    assert approved.actor == made.who.finance_leader
    assert sorted(approved.after["ledger_entries"]) == sorted(written.values_list("pk", flat=True))
    # the approved batch's page still shows what was approved, balanced
    seen = review(batch)
    assert seen.approvable and seen.province_before == seen.province_after == total_before


def test_an_approved_batch_never_changes(made):
    batch = approve(made, draft(made))
    entry = batch.entries.first()
    for change in (
        lambda: transfer.set_entry_amount(made.who.finance, entry, 1 * M),
        lambda: transfer.add_entry(
            made.who.finance, batch, made.road, Source.OTHER, Level.COMMUNE, 1 * M
        ),
        lambda: transfer.remove_entry(made.who.finance, entry),
        lambda: approve(made, batch),
    ):
        with pytest.raises(transfer.BatchApproved, match="1234/QĐ-UBND"):
            change()
    assert BatchEntry.objects.filter(batch=batch).count() == 8
    # nor do the ledger rows it wrote, at the database
    row = LedgerEntry.objects.filter(batch=batch).first()
    amount = row.amount
    for change in (
        lambda: LedgerEntry.objects.filter(pk=row.pk).update(amount=1),
        lambda: LedgerEntry.objects.filter(pk=row.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
    row.refresh_from_db()
    assert row.amount == amount


def test_an_approved_batch_shows_what_it_wrote_whatever_its_investors_become(made):
    still_draft = draft(made, title="Bản trùng")
    batch = approve(made, draft(made))
    # the road's investor becomes a provincial department after the approval: the batch sent
    # its capital to the commune, as it had to when it was approved
    made.road.investor = world.agency(world.CONSTRUCTION)
    made.road.save(update_fields=["investor"])
    seen = review(batch)
    assert seen.approvable and seen.explanations == []
    written = set(
        LedgerEntry.objects.filter(batch=batch).values_list(
            "pk", "project__code", "source", "level", "amount"
        )
    )
    shown = {
        (e.pk, e.project.code, e.source, e.level, e.amount) for g in seen.groups for e in g.entries
    }
    assert shown == written and len(shown) == 8
    assert seen.verdict == (
        "Approved by decision 1234/QĐ-UBND of 15/07/2025: its entries are written to the "
        "ledger and can no longer change."
    )
    with translation.override("vi"):
        assert review(batch).verdict.startswith("Đã phê duyệt theo quyết định 1234/QĐ-UBND")
    assert review(still_draft).verdict == ""


def test_a_second_batch_of_the_same_capital_is_refused_once_the_first_is_approved(made):
    first, second = draft(made), draft(made, title="Bản trùng")
    approve(made, first)
    with pytest.raises(transfer.TransferRefused) as refused:
        approve(made, second)
    # every project's district capital is gone: each decrease overdraws it
    assert refused.value.extra["projects"] == ["DL-GD-02", "DL-GT-01", "DL-GT-03"]
    assert {d.problem for d in refused.value.differences} == {Problem.OVERDRAWN}


def test_the_differences_read_as_sentences_in_the_readers_language(made):
    batch = draft(made)
    road_in = batch.entries.get(project=made.road, source=Source.DISTRICT, level=Level.COMMUNE)
    transfer.set_entry_amount(made.who.finance, road_in, 7_500 * M)
    school_out = batch.entries.get(project=made.school, level=Level.DISTRICT)
    school_in = batch.entries.get(project=made.school, level=Level.COMMUNE)
    transfer.set_entry_amount(made.who.finance, school_out, -4_700 * M)
    transfer.set_entry_amount(made.who.finance, school_in, 4_700 * M)
    with translation.override("vi"):
        vietnamese = [e.text for e in review(batch).explanations]
    with translation.override("en"):
        english = [e.text for e in review(batch).explanations]
    assert vietnamese == [
        "DL-GD-02 Trường tiểu học Bạch Hà: vẫn còn 300.000.000 đ (Ngân sách huyện) ở cấp huyện "
        "dù chủ đầu tư là Ủy ban nhân dân xã Bạch Hà",
        "DL-GT-01 Đường giao thông liên xã Đô Lương – Bạch Ngọc: giảm 10.000.000.000 đ nhưng "
        "tăng 9.500.000.000 đ, chênh lệch 500.000.000 đ",
    ]
    assert english == [
        "DL-GD-02 Trường tiểu học Bạch Hà: still holds 300.000.000 đ (District budget) at the "
        "district level though its investor is Ủy ban nhân dân xã Bạch Hà",
        "DL-GT-01 Đường giao thông liên xã Đô Lương – Bạch Ngọc: decreases 10.000.000.000 đ but "
        "increases 9.500.000.000 đ, a difference of 500.000.000 đ",
    ]
