"""Entering disbursement and the pace: who may, what is refused (and says why), replacing a month
(audited before and after), all or nothing for many rows, the pace that never falls."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from haicap.budget.disbursement_sheet import DisbursementRow
from haicap.budget.models import Disbursement, LedgerEntry, Level, PaceTarget, Source
from haicap.budget.services import disbursement
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.errors import InvalidInput, PermissionDenied
from haicap.core.models import AuditRecord
from tests.budget import disbursement_world, world

pytestmark = pytest.mark.django_db
M = world.MILLION


@pytest.fixture(autouse=True)
def in_english():
    """The refusals read in English here (the Vietnamese is the catalogue's)."""
    with translation.override("en"):
        yield


def amount_of(project, month, year=2025):
    row = Disbursement.objects.filter(project=project, year=year, month=month).first()
    return row.amount if row else None


def audits(action: str):
    return AuditRecord.objects.filter(action=action).order_by("id")


def test_finance_enters_a_month_and_entering_it_again_replaces_it_audited():
    made = disbursement_world.make()
    finance = made.who.finance
    row = disbursement.record(finance, made.school, 2025, 6, 700 * M)
    assert (row.amount, row.entered_by) == (700 * M, finance)
    created = audits("disbursement.created").last()
    assert created.after["amount"] == 700 * M and created.object_id == str(row.pk)
    disbursement.record(made.who.finance_leader, made.school, 2025, 6, 900 * M)
    assert amount_of(made.school, 6) == 900 * M
    assert Disbursement.objects.filter(project=made.school, year=2025, month=6).count() == 1
    replaced = audits("disbursement.updated").last()
    assert replaced.before["amount"] == 700 * M and replaced.after["amount"] == 900 * M
    # the same figure again changes nothing and records nothing
    seen = AuditRecord.objects.count()
    disbursement.record(finance, made.school, 2025, 6, 900 * M)
    assert AuditRecord.objects.count() == seen


def test_an_investor_enters_its_own_projects_only():
    made = disbursement_world.make()
    disbursement.record(made.who.do_luong, made.road, 2025, 6, 200 * M)  # its commune's project
    assert amount_of(made.road, 6) == 200 * M
    refused = [
        (made.who.bach_ha, made.road),  # another commune's
        (made.who.do_luong, made.bridge),  # a department's
        (made.who.van_hien, made.road),
        (made.who.supervisor, made.road),  # reads the province, enters nothing
        (made.who.do_luong, made.orphan),  # no investor: Finance's alone
    ]
    for user, project in refused:
        with pytest.raises(PermissionDenied):
            disbursement.record(user, project, 2025, 7, 1 * M)
    assert amount_of(made.road, 7) is None
    disbursement.record(made.who.finance, made.orphan, 2025, 7, 1 * M)


@pytest.mark.parametrize("amount", [-1, 1.5, True, "100", 10**15 + 1])
def test_an_amount_is_whole_dong_from_nothing_up(amount):
    made = disbursement_world.make()
    with pytest.raises(InvalidInput, match="whole number of đồng"):
        disbursement.record(made.who.finance, made.school, 2025, 6, amount)
    assert amount_of(made.school, 6) is None


def test_a_month_not_begun_a_bad_month_and_a_year_without_a_plan_are_refused():
    made = disbursement_world.make()
    with clock.fixed_at(dt.datetime(2025, 6, 15, 9, 0, tzinfo=VIETNAM)):
        disbursement.record(made.who.finance, made.school, 2025, 6, 1 * M)  # this month: yes
        with pytest.raises(InvalidInput, match="7/2025 has not begun"):
            disbursement.record(made.who.finance, made.school, 2025, 7, 1 * M)
    with pytest.raises(InvalidInput, match="from 1 to 12"):
        disbursement.record(made.who.finance, made.school, 2025, 13, 1 * M)
    with pytest.raises(InvalidInput, match="no annual capital plan for 2024"):
        disbursement.record(made.who.finance, made.school, 2024, 5, 1 * M)


def test_what_is_disbursed_from_january_never_exceeds_the_plan_naming_its_figure():
    made = disbursement_world.make()
    # the road: 10,000 million planned, 3,000 disbursed to May; 7,000 more is all there is
    with pytest.raises(InvalidInput) as refused:
        disbursement.record(made.who.finance, made.road, 2025, 6, 7_001 * M)
    assert "10.000.000.000" in refused.value.detail
    assert "10.001.000.000" in refused.value.detail and "6/2025" in refused.value.detail
    assert amount_of(made.road, 6) is None
    disbursement.record(made.who.finance, made.road, 2025, 6, 7_000 * M)
    # raising an earlier month takes a later month over the plan: refused, naming that month
    with pytest.raises(InvalidInput, match="6/2025"):
        disbursement.record(made.who.finance, made.road, 2025, 1, 501 * M)
    assert amount_of(made.road, 1) == 500 * M


def test_a_figure_that_lowers_the_disbursement_is_taken_when_the_plan_was_cut_below_it():
    made = disbursement_world.make()
    LedgerEntry.objects.create(
        plan=made.plans.y2025,
        project=made.road,
        source=Source.DISTRICT,
        level=Level.DISTRICT,
        amount=-8_000 * M,
        kind=LedgerEntry.Kind.ADJUSTMENT,
        decision_number="77/QĐ-UBND",
        decision_date=dt.date(2025, 7, 1),
        reason="Điều chỉnh giảm",
        recorded_by=made.who.finance,
    )
    # 3,000 disbursed against 2,000 in force from July: a correction down is still taken
    disbursement.record(made.who.finance, made.road, 2025, 5, 900 * M)
    disbursement.record(made.who.finance, made.road, 2025, 7, 0)
    with pytest.raises(InvalidInput, match=r"2\.000\.000\.000"):
        disbursement.record(made.who.finance, made.road, 2025, 8, 1 * M)


def test_a_month_for_many_projects_is_saved_all_or_nothing():
    made = disbursement_world.make()
    with pytest.raises(disbursement.RowsRefused) as refused:
        disbursement.record_month(
            made.who.finance,
            2025,
            7,
            {made.school: 100 * M, made.bridge: 9_001 * M, made.orphan: -5},
        )
    assert set(refused.value.problems) == {made.bridge.pk, made.orphan.pk}
    assert "12.000.000.000" in refused.value.problems[made.bridge.pk]
    assert amount_of(made.school, 7) is None  # nothing saved
    done = disbursement.record_month(
        made.who.finance, 2025, 7, {made.school: 100 * M, made.bridge: 9_000 * M}
    )
    assert done == {made.school.pk: "created", made.bridge.pk: "created"}
    assert amount_of(made.bridge, 7) == 9_000 * M


def test_an_import_names_each_refused_row_and_saves_nothing():
    made = disbursement_world.make()
    rows = [
        DisbursementRow(2, "DL-GT-01", 2025, 7, 100 * M),
        DisbursementRow(3, "DL-GD-02", 2025, 7, 100 * M),  # Bạch Hà's, out of sight
        DisbursementRow(4, "KHONG-CO", 2025, 7, 1 * M),
        DisbursementRow(5, "DL-GT-01", 2025, 8, 7_000 * M),  # over the plan
    ]
    with pytest.raises(disbursement.RowsRefused) as refused:
        disbursement.import_disbursement(made.who.do_luong, rows)
    problems = list(refused.value.problems.values())
    assert [p.split(":")[0] for p in problems] == ["Row 3", "Row 4", "Row 5"]
    assert "DL-GD-02" in problems[0] and "KHONG-CO" in problems[1]
    assert amount_of(made.road, 7) is None
    report = disbursement.import_disbursement(made.who.do_luong, rows[:1])
    assert report == disbursement.ImportReport(created=1, replaced=0, unchanged=0)
    again = [rows[0], DisbursementRow(3, "DL-GT-01", 2025, 5, 1_200 * M)]
    report = disbursement.import_disbursement(made.who.do_luong, again)
    assert report == disbursement.ImportReport(created=0, replaced=1, unchanged=1)
    assert amount_of(made.road, 5) == 1_200 * M


def test_finance_sets_the_pace_which_never_falls():
    made = disbursement_world.make()
    plan = made.plans.y2025
    with pytest.raises(InvalidInput) as refused:
        disbursement.set_pace(made.who.finance, plan, 7, Decimal(40))  # June expects 45
    assert "month 6" in refused.value.detail and "month 7" in refused.value.detail
    assert not PaceTarget.objects.filter(plan=plan, month=7).exists()
    disbursement.set_pace(made.who.finance, plan, 7, Decimal("55.5"))
    assert PaceTarget.objects.get(plan=plan, month=7).share == Decimal("55.50")
    assert audits("pacetarget.created").last().after["share"] == "55.50"
    # the whole year at once, checked as it will be: June may drop once July drops with it
    disbursement.set_pace_months(made.who.finance, plan, {6: Decimal(30), 7: Decimal(35)})
    shares = dict(PaceTarget.objects.filter(plan=plan).values_list("month", "share"))
    assert (shares[6], shares[7], shares[9]) == (Decimal(30), Decimal(35), Decimal(70))
    changes = [(a.before["share"], a.after["share"]) for a in audits("pacetarget.updated")]
    assert changes == [("45.00", "30.00"), ("55.50", "35.00")]
    disbursement.set_pace(made.who.finance, plan, 7, None)  # cleared
    assert 7 not in dict(PaceTarget.objects.filter(plan=plan).values_list("month", "share"))
    assert audits("pacetarget.removed").exists()


def test_only_finance_officers_set_the_pace_of_an_annual_plan():
    made = disbursement_world.make()
    for user in (made.who.do_luong, made.who.supervisor):
        with pytest.raises(PermissionDenied):
            disbursement.set_pace(user, made.plans.y2025, 1, Decimal(5))
    with pytest.raises(InvalidInput, match="annual plan"):
        disbursement.set_pace(made.who.finance, made.plans.medium, 1, Decimal(5))
    for share in (Decimal(101), Decimal("-1"), Decimal("1.234")):
        with pytest.raises(InvalidInput, match="percentage"):
            disbursement.set_pace(made.who.finance, made.plans.y2025, 1, share)
