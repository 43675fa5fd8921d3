"""The equipment gaps a directive's target can be bound to: every kind's, and one kind's of
the fixed set the one-stop desk norms name, at a commune or summed over the province, today."""

import datetime as dt
from decimal import Decimal

import pytest

from haicap.assets.measures import BY_KIND, KIND_CODES, TOTAL, kind_key
from haicap.assets.models import Asset, EquipmentNorm
from haicap.assets.services import allocation
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.measures import Comparison, Unit, measures, met
from haicap.oversight.directive_forms import DirectiveForm
from haicap.oversight.models import Finding
from haicap.units.models import AdministrativeUnit, Agency
from tests.assets import gap_world
from tests.assets.gap_world import BACH_HA, DO_LUONG, VAN_HIEN, commune, item, province

pytestmark = pytest.mark.django_db
QUARTER = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))


@pytest.fixture
def world(db):
    with clock.fixed_at(dt.datetime(2026, 4, 15, 9, tzinfo=VIETNAM)):
        yield gap_world.build_world()


def value(measure, code: str | None, start: dt.date = QUARTER[0], end: dt.date = QUARTER[1]):
    unit = commune(code).pk if code else None
    return measure.value(unit, None, start, end)


def scanners():
    return measures.get("assets.gap.scanner")


def test_the_measures_are_registered_with_stable_keys_and_offered_to_a_target():
    assert [m.key for m in BY_KIND] == [
        "assets.gap.computer",
        "assets.gap.scanner",
        "assets.gap.printer",
        "assets.gap.receipt_printer",
        "assets.gap.queue_kiosk",
    ]
    assert measures.get("assets.equipment_gap") is TOTAL
    for measure in (TOTAL, *BY_KIND):
        assert measures.get(measure.key) is measure
        assert (measure.unit, measure.higher_is_better) == (Unit.COUNT, False)
    assert KIND_CODES == ("computer", "scanner", "printer", "receipt_printer", "queue_kiosk")
    assert kind_key("scanner") == "assets.gap.scanner"
    form = DirectiveForm(
        agencies=Agency.objects.none(),
        findings=Finding.objects.none(),
        communes=AdministrativeUnit.objects.none(),
    )
    offered = {key for key, _label in form.fields["measure"].choices}
    assert {"assets.equipment_gap", "assets.gap.scanner", "assets.gap.queue_kiosk"} <= offered


def test_a_communes_gap_every_kind_and_one_kind(world):
    assert value(TOTAL, DO_LUONG) == 1  # a printer
    assert value(TOTAL, BACH_HA) == 13
    assert value(TOTAL, VAN_HIEN) == 6
    assert value(scanners(), BACH_HA) == 1
    assert value(scanners(), DO_LUONG) == 0
    assert value(measures.get("assets.gap.computer"), BACH_HA) == 7
    assert met(value(scanners(), BACH_HA), Comparison.AT_MOST, Decimal(0)) is False


def test_the_province_adds_up_its_communes(world):
    others = AdministrativeUnit.objects.filter(tier="commune", valid_to=None).count() - 3
    assert value(TOTAL, None) == 1 + 13 + 6 + 13 * others
    assert value(measures.get("assets.gap.printer"), None) == 1 + 5 + 5 + 5 * others


def test_the_value_follows_an_approved_allocation(world):
    proposal = allocation.propose(world.specialist, 20)[0]  # Đô Lương's scanner to Bạch Hà
    assert value(scanners(), BACH_HA) == 1  # proposed only
    allocation.approve(world.leader, proposal, "15/QĐ-STC", dt.date(2026, 4, 15))
    assert value(scanners(), BACH_HA) == 0
    assert met(value(scanners(), BACH_HA), Comparison.AT_MOST, Decimal(0))


def test_an_unusable_item_does_not_close_the_gap(world):
    item(world.kinds.scanner, f"{BACH_HA}.05.H40", condition="unusable")
    item(world.kinds.scanner, f"{BACH_HA}.02.H40", status=Asset.Status.SURPLUS)
    assert value(scanners(), BACH_HA) == 1


def test_nothing_to_measure(world):
    kiosks = measures.get("assets.gap.queue_kiosk")
    assert value(kiosks, BACH_HA) is None  # the province sets no norm for kiosks
    assert value(TOTAL, BACH_HA, dt.date(2026, 5, 1), dt.date(2026, 6, 30)) is None  # not begun
    assert TOTAL.value(province().pk, None, *QUARTER) is None  # not a commune
    EquipmentNorm.objects.all().delete()
    assert value(TOTAL, BACH_HA) is None


def test_a_field_named_by_the_target_is_ignored(world):
    unit = commune(BACH_HA).pk
    assert scanners().value(unit, "DATDAI", *QUARTER) == scanners().value(unit, None, *QUARTER)
