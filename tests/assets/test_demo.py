"""The demo's assets: the former Đô Lương district's assets handed to its six communes and the
province, one record refused for an asset with no destination, surplus offices with disposal
plans, and the equipment Lương Sơn's desk lacks, as the inspection found."""

import datetime as dt

import pytest

from haicap.assets import selectors
from haicap.assets.demo import LUONG_SON, SIX, WAITING_COMMUNE, load_demo_assets
from haicap.assets.models import (
    AllocationProposal,
    Asset,
    DisposalPlan,
    Movement,
    TakeoverLine,
    TakeoverRecord,
)
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.context import acting_as
from haicap.staffing.demo import load_demo_staff
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def loaded():
    with clock.fixed_at(dt.datetime.combine(TODAY, dt.time(9), VIETNAM)), acting_as("test"):
        load_demo_staff()  # the travel times the allocation reads
        yield load_demo_assets(TODAY)


def test_every_abolished_unit_of_the_district_has_a_record_and_one_waits(loaded):
    district = AdministrativeUnit.objects.get(tier=Tier.DISTRICT, name="Đô Lương")
    former = AdministrativeUnit.objects.filter(parent=district)
    assert TakeoverRecord.objects.count() == 1 + former.count() == 33
    (waiting,) = TakeoverRecord.objects.filter(signed_on=None)
    assert waiting.former_unit.name == WAITING_COMMUNE
    (lacking,) = waiting.lines.filter(destination=None, disposal="")
    assert lacking.asset.kind.code == "computer"
    assert (loaded.records_signed, loaded.records_waiting) == (32, 1)
    # every asset of a signed record moved where its line says
    for line in TakeoverLine.objects.filter(record__signed_on__isnull=False):
        moved = Movement.objects.get(asset=line.asset, kind__in=("taken_over", "disposed"))
        assert moved.to_agency_id == line.destination_id
    destinations = TakeoverLine.objects.exclude(destination=None).values_list(
        "destination__unit__code", "destination__unit__tier"
    )
    assert {code for code, tier in destinations if tier == Tier.COMMUNE} == set(SIX)
    assert any(tier == Tier.PROVINCE for _code, tier in destinations)


def test_surplus_offices_carry_disposal_plans(loaded):
    plans = DisposalPlan.objects.select_related("office")
    assert plans.count() == loaded.disposal_plans > 0
    assert all(p.office.status in ("surplus", "in_use", "disposed") for p in plans)
    assert {p.method for p in plans} == {"reuse", "transfer", "sale", "demolition"}


def test_only_luong_son_lacks_desk_equipment_and_the_approved_scanner_reached_it(loaded, user):
    finance = user("chuyenvien.taisan")
    table = selectors.gap_table(finance, lacking_only=True)
    lacking = {
        (commune.code, kind.kind.code): table.cell(commune.pk, kind.kind.code).gap
        for commune in table.communes
        for kind in table.kinds
        if table.cell(commune.pk, kind.kind.code).gap
    }
    # the district gave Lương Sơn's desk no scanner, receipt printer or kiosk; the surplus
    # scanner Finance's leader approved has reached it, the kiosk is still only proposed
    assert lacking == {(LUONG_SON, "receipt_printer"): 1, (LUONG_SON, "queue_kiosk"): 1}
    approved = AllocationProposal.objects.get(status="approved")
    assert approved.asset.kind.code == "scanner"
    assert approved.to_agency.unit.code == LUONG_SON
    assert approved.asset.holder == approved.to_agency
    (proposed,) = AllocationProposal.objects.filter(status="proposed")
    assert (proposed.asset.kind.code, proposed.to_agency.unit.code) == ("queue_kiosk", LUONG_SON)
    assert Asset.objects.count() == loaded.assets


def test_the_demo_is_loaded_once(loaded):
    with acting_as("test"):
        assert load_demo_assets(TODAY) is None
