"""The demo's capital: the former Đô Lương district's projects moved from the district level to
the province or the six communes by investor, balanced to the đồng; the medium-term transfer
drafted and approvable; months of disbursement with the slow projects behind the pace.

The expected figures are computed here from ``demo_data`` (the invented plan) and the registry's
investors, not read back from what the loader wrote."""

import datetime as dt
from collections import defaultdict

import pytest

from haicap.budget import demo_data as data
from haicap.budget import rates, selectors
from haicap.budget.demo import load_demo_capital
from haicap.budget.models import Disbursement, LedgerEntry, Plan, TransferBatch
from haicap.budget.services.transfer import check_batch
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.context import acting_as
from haicap.units.kinds import Tier
from haicap.units.models import Agency
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def loaded():
    with clock.fixed_at(dt.datetime.combine(TODAY, dt.time(9), VIETNAM)), acting_as("test"):
        yield load_demo_capital()


def investor_levels() -> dict[str, str]:
    tiers = dict(Agency.objects.values_list("code", "unit__tier"))
    return {
        p.code: "commune" if tiers[p.investor] == Tier.COMMUNE else "province"
        for p in data.PROJECTS
    }


def test_the_2025_district_capital_moved_to_each_investors_level_to_the_dong(loaded):
    plan = Plan.objects.get(code="2025")
    held = selectors.balances(plan)
    levels = investor_levels()
    expected: dict[tuple, int] = defaultdict(int)
    for project in data.PROJECTS:
        for source, amount in project.plan_2025:
            expected[(project.code, source, levels[project.code])] += amount
    assert held == dict(expected)  # nothing left at the district level, nothing else changed
    moved = sum(a for p in data.PROJECTS for _s, a in p.plan_2025)
    assert loaded.moved == moved == loaded.to_province + loaded.to_communes
    (batch,) = TransferBatch.objects.filter(plan=plan)
    assert batch.status == "approved" and batch.decision_number == data.TRANSFER_2025[0]
    assert sum(e.amount for e in LedgerEntry.objects.filter(batch=batch)) == 0


def test_the_medium_term_transfer_waits_for_the_leader_and_balances(loaded):
    (draft,) = TransferBatch.objects.filter(plan__code="2021-2025")
    assert draft.status == "draft"
    assert check_batch(draft).approvable


def test_months_of_disbursement_up_to_the_last_month_ended(loaded):
    assert loaded.months == len(data.PROJECTS) * (12 + 11)
    assert not Disbursement.objects.filter(year=2026, month=12).exists()
    # the projects slower than the province's pace are behind it at the end of November 2026
    month = rates.month_rates(_user("chuyenvien.dautu"), 2026, 11)  # Finance reads them all
    behind = {row.project.code for row in month.behind}
    assert behind == {p.code for p in data.PROJECTS if p.pace < 1}
    assert loaded.behind == len(behind)
    # never more than the plan: the fast projects stop at it
    for row in month.projects:
        assert row.disbursed <= row.plan


def _user(username: str):
    from haicap.accounts.models import User

    return User.objects.get(username=username)


def test_every_entry_says_its_figures_are_illustrative(loaded):
    allocations = LedgerEntry.objects.filter(kind="allocation")
    assert allocations.count() == sum(
        len(p.medium_term) + len(p.plan_2025) + len(p.plan_2026) for p in data.PROJECTS
    )
    assert all(data.NOTE in reason for reason in allocations.values_list("reason", flat=True))


def test_a_commune_reads_the_projects_it_invests_in(loaded):
    leader = _user("lanhdao.doluong")
    own = {p.code for p in data.PROJECTS if p.investor == data.DO_LUONG}
    assert set(selectors.visible_projects(leader).values_list("code", flat=True)) == own
    page = client_for("lanhdao.doluong").get("/desk/von-dau-tu/?plan=")
    assert page.status_code == 200
    for project in data.PROJECTS:
        assert (project.code in page.content.decode()) == (project.code in own)


def test_loading_again_changes_nothing(loaded):
    entries = LedgerEntry.objects.count()
    with acting_as("test"):
        assert load_demo_capital() is None
    assert LedgerEntry.objects.count() == entries


def test_the_oversight_demo_asks_finance_for_the_transfer_the_capital_demo_left_a_draft(loaded):
    # the story agrees: the 2025 transfer was approved before the inspection; the directive
    # asks for the medium-term one, which the demo leaves as a draft
    from haicap.oversight.demo import FINANCE_DIRECTIVE_TITLE

    approved = TransferBatch.objects.get(status=TransferBatch.Status.APPROVED)
    draft = TransferBatch.objects.get(status=TransferBatch.Status.DRAFT)
    assert approved.plan.code == "2025" and draft.plan.code == "2021-2025"
    assert "trung hạn 2021–2025" in FINANCE_DIRECTIVE_TITLE
    assert "năm 2025" not in FINANCE_DIRECTIVE_TITLE
