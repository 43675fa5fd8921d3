"""The staffing figures a directive's target can be bound to: officers in a field and the gap,
at a commune or summed over the province, on the period's last day or today."""

import datetime as dt
from decimal import Decimal

import pytest

from haicap.catalog.models import Field
from haicap.core.measures import Comparison, Unit, measures, met
from haicap.oversight.directive_forms import DirectiveForm
from haicap.oversight.models import Finding
from haicap.staffing.measures import GAP, OFFICERS
from haicap.staffing.models import NormRule, StaffField
from haicap.units.models import AdministrativeUnit, Agency
from tests.staffing import gap_world
from tests.staffing.gap_world import BACH_HA, BACH_NGOC, DO_LUONG, commune, officer

staff_world, on_the_day = gap_world.staff_world, gap_world.on_the_day

pytestmark = pytest.mark.django_db
QUARTER = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))  # under way on 1 April


def value(measure, code: str | None, field: str | None, start: dt.date, end: dt.date):
    unit = commune(code).pk if code else None
    return measure.value(unit, field, start, end)


def current_communes() -> int:
    return AdministrativeUnit.objects.filter(tier="commune", valid_to=None).count()


def test_the_measures_are_registered_and_offered_to_a_directives_target():
    assert measures.get("staffing.officers") is OFFICERS
    assert measures.get("staffing.gap") is GAP
    assert (OFFICERS.unit, OFFICERS.higher_is_better) == (Unit.COUNT, True)
    assert (GAP.unit, GAP.higher_is_better) == (Unit.COUNT, False)
    form = DirectiveForm(
        agencies=Agency.objects.none(),
        findings=Finding.objects.none(),
        communes=AdministrativeUnit.objects.none(),
    )
    offered = {key for key, _label in form.fields["measure"].choices}
    assert {"staffing.officers", "staffing.gap"} <= offered


def test_land_officers_at_a_commune(on_the_day):
    assert value(OFFICERS, BACH_HA, "DATDAI", *QUARTER) == 1  # Bình, seconded in
    assert value(OFFICERS, DO_LUONG, "DATDAI", *QUARTER) == 1  # An; Bình is away
    assert value(GAP, BACH_NGOC, "DATDAI", *QUARTER) == 3
    target = Decimal(2)
    assert not met(value(OFFICERS, BACH_HA, "DATDAI", *QUARTER), Comparison.AT_LEAST, target)


def test_no_field_counts_every_field_it_is_how_a_field_outside_the_catalogue_is_counted(
    on_the_day,
):
    # Bạch Hà: land 1 of 1, IT 0 of 2
    assert value(OFFICERS, BACH_HA, None, *QUARTER) == 1
    assert value(GAP, BACH_HA, None, *QUARTER) == 2


def test_the_province_adds_up_its_communes(on_the_day):
    others = current_communes() - 4  # with the minimum land norm of 1 and no officer
    # short of land officers: Đô Lương 0 (the minimum, no dossiers), Bạch Hà 0, Bạch Ngọc 3,
    # Văn Hiến 1, and each other commune 1
    assert value(GAP, None, "DATDAI", *QUARTER) == 4 + others
    assert value(OFFICERS, None, "DATDAI", *QUARTER) == 3  # An, Bình at Bạch Hà, Giang
    assert value(OFFICERS, None, None, *QUARTER) == 3 + 3  # and IT: Cúc, Dũng, Hùng


def test_the_value_is_the_standing_on_the_periods_last_day_or_today(on_the_day):
    # Bình's secondment to Bạch Hà runs from 15 March to 14 September
    before = (dt.date(2026, 3, 1), dt.date(2026, 3, 14))
    assert value(OFFICERS, BACH_HA, "DATDAI", *before) == 0
    first_days = (dt.date(2026, 3, 1), dt.date(2026, 3, 15))
    assert value(OFFICERS, BACH_HA, "DATDAI", *first_days) == 1
    # a period past today is read today (1 April), not on its last day (after the secondment)
    through_the_year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert value(OFFICERS, BACH_HA, "DATDAI", *through_the_year) == 1
    assert value(GAP, BACH_HA, "DATDAI", *through_the_year) == 0


def test_nothing_to_measure(on_the_day):
    assert value(OFFICERS, BACH_HA, "DATDAI", dt.date(2026, 5, 1), dt.date(2026, 6, 30)) is None
    assert value(OFFICERS, BACH_HA, "HOTICH", *QUARTER) is None  # no staff field for it
    province = AdministrativeUnit.objects.get(tier="province")
    assert OFFICERS.value(province.pk, "DATDAI", *QUARTER) is None  # not a commune


def test_a_staff_field_is_found_by_its_catalogue_field(on_the_day):
    building = StaffField.objects.create(
        code="XD", name="Xây dựng", catalog_field=Field.objects.get(code="XAYDUNG")
    )
    NormRule.objects.create(field=building, basis="fixed", count=2)
    officer("NA-101", "Ngô Văn Xây", f"{BACH_HA}.03.H40", building)
    assert value(OFFICERS, BACH_HA, "XAYDUNG", *QUARTER) == 1
    assert value(GAP, BACH_HA, "XAYDUNG", *QUARTER) == 1
    assert value(GAP, BACH_HA, "XD", *QUARTER) == 1  # or by its own code
