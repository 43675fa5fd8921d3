"""Who reads which capital records: Finance and supervisors the province, an investor its own
projects (a commune's officers act as one), anyone else nothing."""

import pytest

from haicap.budget import selectors
from haicap.budget.models import LedgerEntry, Project, TransferBatch
from tests.budget import world

pytestmark = pytest.mark.django_db


def codes(user) -> set[str]:
    return set(Project.objects.restrict(user).values_list("code", flat=True))


def test_finance_and_supervisors_read_every_project():
    made = world.make()
    every = {"DL-GT-01", "DL-GD-02", "DL-GT-03", "DL-VH-04"}
    assert codes(made.who.finance) == every
    assert codes(made.who.supervisor) == every
    assert selectors.reads_province(made.who.finance)


def test_a_commune_reads_only_the_projects_it_invests_in():
    made = world.make()
    # the road is invested in by xã Đô Lương's People's Committee; its Economic Office's
    # officer reads it, since a commune's agencies act as one
    assert codes(made.who.do_luong) == {"DL-GT-01"}
    assert codes(made.who.bach_ha) == {"DL-GD-02"}
    # a commune where a project is built but that does not invest in it reads nothing of it
    assert codes(made.who.van_hien) == set()
    entries = LedgerEntry.objects.restrict(made.who.bach_ha)
    assert set(entries.values_list("project__code", flat=True)) == {"DL-GD-02"}
    assert not selectors.reads_province(made.who.bach_ha)


def test_transfer_batches_are_the_provinces_only():
    made = world.make()
    TransferBatch.objects.create(
        plan=made.plans.y2025, title="Chuyển vốn", created_by=made.who.finance
    )
    assert TransferBatch.objects.restrict(made.who.finance).count() == 1
    assert TransferBatch.objects.restrict(made.who.do_luong).count() == 0


def test_the_plan_in_force_is_the_sum_of_its_entries_up_to_a_day():
    made = world.make()
    held = selectors.balances(made.plans.y2025)
    assert held[("DL-GT-01", "district", "district")] == 8_000 * world.MILLION
    assert held[("DL-GT-01", "central", "district")] == 2_000 * world.MILLION
    assert selectors.balances(made.plans.y2025, as_of=world.ALLOCATED.replace(day=9)) == {}
    totals = selectors.totals_by_project(made.plans.y2025)
    assert totals[made.road.pk] == 10_000 * world.MILLION
    assert selectors.destinations([made.road, made.bridge, made.orphan]) == {
        "DL-GT-01": "commune",
        "DL-GT-03": "province",
        "DL-VH-04": None,
    }


def test_the_ledger_refuses_to_change_or_remove_an_entry():
    from django.db import DatabaseError, transaction

    made = world.make()
    entry = LedgerEntry.objects.filter(project=made.road).first()
    for change in (
        lambda: LedgerEntry.objects.filter(pk=entry.pk).update(amount=1),
        lambda: LedgerEntry.objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
    entry.refresh_from_db()
    assert entry.amount == 8_000 * world.MILLION


def test_disbursement_is_measured_against_the_plan_in_force_at_the_months_end():
    from haicap.budget.models import Disbursement

    made = world.make()
    for month, amount in ((1, 100), (2, 250), (3, 50)):
        Disbursement.objects.create(
            project=made.road,
            year=2025,
            month=month,
            amount=amount * world.MILLION,
            entered_by=made.who.finance,
        )
    assert selectors.disbursed_through(2025, 2) == {made.road.pk: 350 * world.MILLION}
    in_force = selectors.plan_in_force_at_month_end(2025, 1)
    assert in_force[made.road.pk] == 10_000 * world.MILLION
    # the plan of a year without an annual plan is nothing to measure against
    assert selectors.plan_in_force_at_month_end(2031, 1) == {}
