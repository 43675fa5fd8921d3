"""Adjusting a plan and reversing an entry, in the real database: who may, the amounts and days
refused (nothing saved then), no balance ever below zero, transfers and reversals never reversed,
an entry reversed once, retries written once, and every change audited."""

import datetime as dt

import pytest
from django.utils import translation

from haicap.budget import selectors
from haicap.budget.models import LedgerEntry, TransferBatch
from haicap.budget.services import disbursement, ledger
from haicap.core import clock
from haicap.core.errors import Conflict, IdempotencyKeyReused, InvalidInput, PermissionDenied
from haicap.core.models import AuditRecord
from tests.budget import world

pytestmark = pytest.mark.django_db
M = world.MILLION
TODAY = dt.datetime(2025, 9, 15, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def in_english_on_a_fixed_day():
    with translation.override("en"), clock.fixed_at(TODAY):
        yield


@pytest.fixture
def made():
    return world.make()


def held(made, source="district", level="district", project=None) -> int:
    code = (project or made.road).code
    return selectors.balances(made.plans.y2025).get((code, source, level), 0)


def adjust(made, actor=None, amount=-500 * M, **changes):
    arguments = {
        "plan": made.plans.y2025,
        "project": made.road,
        "source": "district",
        "level": "district",
        "amount": amount,
        "decision_number": "210/QĐ-UBND",
        "decision_date": dt.date(2025, 8, 20),
        "reason": "Điều chỉnh giảm kế hoạch vốn",
    } | changes
    return ledger.adjust(actor or made.who.finance, **arguments)


def allocation(made, project=None) -> LedgerEntry:
    return LedgerEntry.objects.get(
        project=project or made.road, source="district", kind="allocation"
    )


def reverse(made, entry, actor=None, **changes):
    arguments = {
        "decision_number": "300/QĐ-UBND",
        "decision_date": dt.date(2025, 9, 1),
        "reason": "Hủy giao vốn do trùng lặp",
    } | changes
    return ledger.reverse(actor or made.who.finance_leader, entry, **arguments)


def test_finance_adjusts_a_plan_by_decision_and_it_is_audited(made):
    entry = adjust(made)
    assert (entry.kind, entry.amount, entry.recorded_by) == (
        "adjustment",
        -500 * M,
        made.who.finance,
    )
    assert held(made) == 7_500 * M
    record = AuditRecord.objects.get(action="ledger_entry.adjusted")
    assert (record.actor, record.object_id) == (made.who.finance, str(entry.pk))
    assert record.after["amount"] == -500 * M
    adjust(made, amount=2_000 * M, level="commune", source="commune")
    assert held(made, "commune", "commune") == 2_000 * M


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"amount": 0}, "The amount is not 0: an increase is positive, a decrease negative."),
        (
            {"decision_date": dt.date(2025, 9, 16)},
            "The decision is dated after today (15/09/2025): record it once it is made.",
        ),
        (
            {"amount": -8_000 * M - 1},
            "The change would take the district budget held at the district (abolished) level "
            "below zero: 8.000.000.000 đồng are held on 20/08/2025, and 8.000.000.001 đồng would "
            "be taken.",
        ),
        ({"source": "provincial"}, "The change would take the provincial budget held"),
        ({"decision_number": " "}, "Give the number of the decision that makes the change."),
        ({"reason": ""}, "Say why the plan changes."),
        ({"reason": "x" * 301}, "The reason is longer than 300 characters."),
        ({"source": "loan"}, "Choose a source and a budget level."),
    ],
)
def test_what_the_ledger_refuses_is_said_and_nothing_is_written(made, changes, message):
    before = (LedgerEntry.objects.count(), AuditRecord.objects.count())
    with pytest.raises(InvalidInput) as refused:
        adjust(made, **changes)
    assert refused.value.detail.startswith(message)
    assert (LedgerEntry.objects.count(), AuditRecord.objects.count()) == before


def test_a_back_dated_decrease_may_not_take_what_was_taken_after_it(made):
    adjust(made, amount=-6_000 * M, decision_date=dt.date(2025, 8, 1))
    with pytest.raises(InvalidInput, match=r"2\.000\.000\.000 đồng are held on 01/08/2025"):
        adjust(made, amount=-3_000 * M, decision_date=dt.date(2025, 3, 1))
    adjust(made, amount=-2_000 * M, decision_date=dt.date(2025, 3, 1))
    assert held(made) == 0


def test_only_finances_officers_adjust(made):
    for reader in (made.who.do_luong, made.who.supervisor, made.who.bach_ha, made.who.van_hien):
        with pytest.raises(PermissionDenied):
            adjust(made, actor=reader)
    assert not LedgerEntry.objects.filter(kind="adjustment").exists()


def test_a_leader_reverses_an_allocation_once(made):
    entry = allocation(made)
    reversal = reverse(made, entry)
    assert (reversal.kind, reversal.amount, reversal.reverses) == ("reversal", -8_000 * M, entry)
    assert (reversal.source, reversal.level, reversal.plan) == ("district", "district", entry.plan)
    assert held(made) == 0
    record = AuditRecord.objects.get(action="ledger_entry.reversed")
    assert record.after["reverses_id"] == entry.pk
    with pytest.raises(Conflict, match="reversed already, by decision 300/QĐ-UBND of 01/09/2025"):
        reverse(made, entry, decision_number="301/QĐ-UBND")
    assert LedgerEntry.objects.filter(kind="reversal").count() == 1


def test_an_adjustment_is_reversed_and_the_plan_is_as_before(made):
    entry = adjust(made, amount=1_200 * M, decision_date=dt.date(2025, 6, 30))
    reverse(made, entry)
    assert held(made) == 8_000 * M


def test_a_reversal_is_not_reversed(made):
    reversal = reverse(made, allocation(made))
    with pytest.raises(InvalidInput, match="A reversal is not reversed"):
        reverse(made, reversal)


def test_a_transfer_entry_is_corrected_by_a_new_batch_not_reversed(made):
    batch = TransferBatch.objects.create(
        plan=made.plans.y2025, title="Chuyển vốn huyện Đô Lương", created_by=made.who.finance
    )
    moved = LedgerEntry.objects.create(
        plan=made.plans.y2025,
        project=made.road,
        source="district",
        level="commune",
        amount=8_000 * M,
        kind="transfer",
        batch=batch,
        decision_number="500/QĐ-UBND",
        decision_date=dt.date(2025, 7, 15),
        reason="Chuyển vốn",
        recorded_by=made.who.finance_leader,
    )
    with pytest.raises(InvalidInput, match="corrected by a new transfer batch"):
        reverse(made, moved)
    assert ledger.refusal_to_reverse(moved) is not None
    assert ledger.refusal_to_reverse(allocation(made)) is None


def test_a_reversal_may_not_take_a_balance_below_zero(made):
    adjust(made, amount=-3_000 * M)
    with pytest.raises(InvalidInput, match=r"below zero: 5\.000\.000\.000 đồng are held"):
        reverse(made, allocation(made))


def test_a_reversal_is_decided_after_the_entry_it_reverses(made):
    with pytest.raises(InvalidInput, match=r"on or after the entry it reverses \(10/01/2025\)"):
        reverse(made, allocation(made), decision_date=dt.date(2025, 1, 9))


def test_only_finances_leaders_reverse(made):
    for reader in (made.who.finance, made.who.do_luong_leader, made.who.supervisor):
        with pytest.raises(PermissionDenied):
            reverse(made, allocation(made), actor=reader)
    assert not LedgerEntry.objects.filter(kind="reversal").exists()


def test_a_change_retried_with_its_key_is_written_once(made):
    first = adjust(made, idempotency_key="adj-1")
    again = adjust(made, idempotency_key="adj-1")
    assert again == first
    assert LedgerEntry.objects.filter(kind="adjustment").count() == 1
    with pytest.raises(IdempotencyKeyReused):
        adjust(made, amount=-400 * M, idempotency_key="adj-1")
    reversal = reverse(made, allocation(made, made.school), idempotency_key="rev-1")
    assert reverse(made, allocation(made, made.school), idempotency_key="rev-1") == reversal
    assert LedgerEntry.objects.filter(kind="reversal").count() == 1


def test_messages_are_in_vietnamese_too(made):
    with translation.override("vi"), pytest.raises(InvalidInput) as refused:
        adjust(made, amount=-9_000 * M)
    assert refused.value.detail == (
        "Điều chỉnh này làm số vốn ngân sách huyện ở cấp huyện (đã kết thúc hoạt động) "
        "xuống dưới 0: ngày 20/08/2025 còn 8.000.000.000 đồng, "
        "mà điều chỉnh giảm 9.000.000.000 đồng."
    )


def test_a_plan_is_not_cut_below_what_the_project_disbursed(made):
    # the road's 2025 plan is 10,000 million; 9,000 million disbursed by the end of March
    disbursement.record(made.who.finance, made.road, 2025, 3, 9_000 * M)
    before = (LedgerEntry.objects.count(), AuditRecord.objects.count())
    with pytest.raises(InvalidInput) as refused:
        adjust(made, amount=-1_500 * M)  # decided on 20 August
    assert refused.value.detail == (
        "The change would leave the plan in force at the end of 8/2025 at 8.500.000.000 đ, "
        "less than the 9.000.000.000 đ the project disbursed from January to that month."
    )
    central = LedgerEntry.objects.get(project=made.road, source="central")
    with translation.override("vi"), pytest.raises(InvalidInput) as refused:
        reverse(made, central)  # decided on 1 September
    assert refused.value.detail == (
        "Thay đổi này làm kế hoạch vốn có hiệu lực cuối tháng 9/2025 chỉ còn 8.000.000.000 đ, "
        "thấp hơn 9.000.000.000 đ dự án đã giải ngân từ tháng 1 đến hết tháng đó."
    )
    assert (LedgerEntry.objects.count(), AuditRecord.objects.count()) == before
    adjust(made, amount=-1_000 * M)  # down to what was disbursed: allowed
    assert selectors.plan_in_force_at_month_end(2025, 9)[made.road.pk] == 9_000 * M


def test_no_capital_is_added_at_the_district_level_from_the_reform_on(made):
    before = (LedgerEntry.objects.count(), AuditRecord.objects.count())
    with pytest.raises(InvalidInput) as refused:
        adjust(made, amount=1, decision_date=dt.date(2025, 7, 1))
    assert refused.value.detail == (
        "The district level ended on 01/07/2025: capital decided from then on goes to the "
        "province or a commune, and district capital only decreases."
    )
    with translation.override("vi"), pytest.raises(InvalidInput) as refused:
        adjust(made, amount=1, decision_date=dt.date(2025, 9, 1))
    assert refused.value.detail.startswith("Cấp huyện đã kết thúc hoạt động từ ngày 01/07/2025")
    assert (LedgerEntry.objects.count(), AuditRecord.objects.count()) == before
    adjust(made, amount=1, decision_date=dt.date(2025, 6, 30))  # decided before the reform
    adjust(made, amount=-1, decision_date=dt.date(2025, 9, 1))  # district capital leaving
    adjust(made, amount=1, level="commune", source="commune")  # at a level that exists
    assert held(made) == 8_000 * M
