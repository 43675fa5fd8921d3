"""Each commune's need of each kind with a norm, against the items its agencies hold in use
and usable, for the whole province from a fixed number of queries (``gap_world`` has the
figures worked out by hand)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haicap.accounts.models import User
from haicap.assets import selectors
from haicap.assets.gaps import province_gaps
from haicap.assets.models import Asset, Condition, EquipmentNorm
from haicap.core.errors import NotFound
from haicap.units.kinds import AgencyKind
from haicap.units.models import AdministrativeUnit, Agency
from tests.assets import gap_world
from tests.assets.gap_world import (
    BACH_HA,
    BACH_NGOC,
    COMMUNE_LEADER,
    DO_LUONG,
    SUPERVISOR,
    VAN_HIEN,
    commune,
    item,
    staff,
)

world = gap_world.world

pytestmark = pytest.mark.django_db


def figures(found, code: str, kind: str) -> tuple[int, int, int, int]:
    need = found.of(commune(code).pk, kind)
    return need.needed, need.held, need.gap, need.beyond


def user(username: str) -> User:
    return User.objects.get(username=username)


def test_a_commune_needs_its_desks_and_offices_norms(world):
    found = province_gaps()
    pk = commune(DO_LUONG).pk
    assert (found.desks[pk], found.offices[pk]) == (1, 5)
    assert [k.kind.code for k in found.kinds] == ["printer", "scanner", "computer"]  # by name
    assert figures(found, BACH_HA, "scanner") == (1, 0, 1, 0)
    assert figures(found, BACH_HA, "computer") == (7, 0, 7, 0)  # 2 × 1 desk + 1 × 5 offices
    assert figures(found, BACH_HA, "printer") == (5, 0, 5, 0)


def test_unusable_surplus_and_disposed_items_are_not_held(world):
    found = province_gaps()
    # Đô Lương: its surplus scanner and its unusable one do not count, nor its disposed printer
    assert figures(found, DO_LUONG, "scanner") == (1, 1, 0, 0)
    assert figures(found, DO_LUONG, "printer") == (5, 4, 1, 0)  # a poor one still counts
    assert figures(found, DO_LUONG, "computer") == (7, 8, 0, 1)
    assert figures(found, VAN_HIEN, "scanner") == (1, 0, 1, 0)  # its only one is unusable
    assert figures(found, VAN_HIEN, "computer") == (7, 7, 0, 0)


def test_a_second_desk_and_another_office_raise_the_need(world):
    bach_ha = commune(BACH_HA)
    Agency.objects.filter(code=f"{BACH_HA}.02.H40").update(is_one_stop_desk=True)
    Agency.objects.create(
        code=f"{BACH_HA}.06.H40",
        name="Phòng Văn hóa bổ sung",
        kind=AgencyKind.CULTURE_SOCIAL_OFFICE,
        unit=bach_ha,
    )
    found = province_gaps([bach_ha.pk])
    assert (found.desks[bach_ha.pk], found.offices[bach_ha.pk]) == (2, 6)
    assert figures(found, BACH_HA, "scanner") == (2, 0, 2, 0)
    assert figures(found, BACH_HA, "computer") == (10, 0, 10, 0)  # 2 × 2 + 1 × 6
    assert figures(found, BACH_HA, "printer") == (6, 0, 6, 0)


def test_the_items_of_an_agency_of_an_abolished_unit_count_for_no_commune(world):
    former = AdministrativeUnit.objects.filter(tier="commune", valid_to__isnull=False).first()
    old_committee = Agency.objects.create(
        code="TEST.FORMER.01",
        name="UBND xã cũ (đã sáp nhập)",
        kind=AgencyKind.COMMUNE_PEOPLES_COMMITTEE,
        unit=former,
    )
    item(world.kinds.scanner, old_committee.code)
    found = province_gaps()
    assert former.pk not in {c.pk for c in found.communes}
    assert (
        len(found.communes)
        == AdministrativeUnit.objects.filter(tier="commune", valid_to=None).count()
    )
    assert sum(need.held for (_u, code), need in found.cells.items() if code == "scanner") == 1


def test_a_kind_without_a_norm_is_no_column_and_no_norm_at_all_is_an_empty_table(world):
    EquipmentNorm.objects.filter(kind=world.kinds.printer).delete()
    assert [k.kind.code for k in province_gaps().kinds] == ["scanner", "computer"]
    EquipmentNorm.objects.all().delete()
    found = province_gaps()
    assert found.kinds == [] and found.cells == {}


def test_the_province_adds_up_its_communes(world):
    found = province_gaps()
    others = len(found.communes) - 3
    # Đô Lương lacks 1 printer; Bạch Hà 13; Văn Hiến a scanner and 5 printers; the others 13
    assert found.total_gap(commune(DO_LUONG).pk) == 1
    assert found.total_gap(commune(BACH_HA).pk) == 13
    assert found.total_gap(commune(VAN_HIEN).pk) == 6
    assert found.total_gap() == 1 + 13 + 6 + 13 * others
    assert found.total_gap(kind_code="scanner") == 0 + 1 + 1 + others


def test_the_queries_do_not_grow_with_the_communes(world):
    counted = []
    for codes in ((DO_LUONG,), (DO_LUONG, BACH_HA, VAN_HIEN, BACH_NGOC), None):
        ids = None if codes is None else [commune(c).pk for c in codes]
        with CaptureQueriesContext(connection) as queries:
            province_gaps(ids)
        counted.append(len(queries))
    assert counted[0] == counted[1] == counted[2] == 4, counted


def test_the_table_is_in_vietnamese_order_and_filters(world):
    finance = world.specialist
    table = selectors.gap_table(finance, query="bach")
    assert [c.code for c in table.communes] == [BACH_HA, BACH_NGOC]  # Hà before Ngọc
    names = [c.name for c in selectors.gap_table(finance).communes]
    assert names.index("Đô Lương") > names.index("Diễn Châu")  # Đ after every D
    assert names.index("Đô Lương") < names.index("Giai Lạc")
    only_scanners = selectors.gap_table(finance, kind_code="scanner", query="o")
    assert [k.kind.code for k in only_scanners.kinds] == ["scanner"]
    lacking = selectors.gap_table(finance, kind_code="scanner", lacking_only=True)
    codes = {c.code for c in lacking.communes}
    assert DO_LUONG not in codes and {BACH_HA, VAN_HIEN} <= codes
    # lacking any kind: Đô Lương lacks a printer
    assert DO_LUONG in {c.code for c in selectors.gap_table(finance, lacking_only=True).communes}


def test_totals_add_gaps_and_items_beyond_each_on_their_own(world):
    table = selectors.gap_table(world.specialist, query="Đô Lương")
    total = table.row_total(commune(DO_LUONG).pk)
    assert (total.needed, total.held, total.gap, total.beyond) == (
        13,
        12,
        1,
        1,
    )  # held within each need
    province = selectors.gap_table(world.specialist)
    communes = len(province.communes)
    scanners = province.column_total("scanner")
    # one scanner a commune; Đô Lương holds the only usable one in use
    assert (scanners.needed, scanners.held, scanners.gap) == (communes, 1, communes - 1)
    assert province.total().gap == 1 + 13 + 6 + 13 * (communes - 3)


def test_finance_and_supervisors_read_the_province_a_commune_its_own_row(world):
    everyone = AdministrativeUnit.objects.filter(tier="commune", valid_to=None).count()
    assert len(selectors.gap_table(world.specialist).communes) == everyone
    assert len(selectors.gap_table(user(SUPERVISOR)).communes) == everyone
    assert [c.code for c in selectors.gap_table(user(COMMUNE_LEADER)).communes] == [DO_LUONG]
    outsider = staff("canbo.tuphap", "000.05.00.H40")  # a department with no assets duty
    assert selectors.gap_table(outsider).communes == []


def test_a_cells_items_are_every_item_of_the_kind_the_commune_holds(world):
    found = selectors.gap_items(user(COMMUNE_LEADER), commune(DO_LUONG).pk, world.kinds.scanner.pk)
    assert (found.need.needed, found.need.held, found.desks, found.offices) == (1, 1, 1, 5)
    assert {a.pk for a in found.items} == {
        world.held_scanner.pk,
        world.s2.pk,
        world.broken_scanner.pk,
    }
    printers = selectors.gap_items(world.specialist, commune(DO_LUONG).pk, world.kinds.printer.pk)
    assert Asset.Status.DISPOSED not in {a.status for a in printers.items}
    assert len(printers.items) == 4


def test_a_cell_out_of_reach_or_without_a_norm_is_not_found(world):
    with pytest.raises(NotFound):
        selectors.gap_items(user(COMMUNE_LEADER), commune(BACH_HA).pk, world.kinds.scanner.pk)
    with pytest.raises(NotFound):
        selectors.gap_items(world.specialist, commune(BACH_HA).pk, world.kinds.office.pk)
    item(world.kinds.scanner, f"{BACH_HA}.05.H40", condition=Condition.FAIR)
    found = selectors.gap_items(world.specialist, commune(BACH_HA).pk, world.kinds.scanner.pk)
    assert (found.need.held, found.need.gap) == (1, 0)
