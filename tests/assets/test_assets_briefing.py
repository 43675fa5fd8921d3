"""The briefing pack's assets section: each visited commune's offices and their condition, its
equipment against the norms, and its surplus offices waiting to be disposed of with the plan's
status, from a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from haicap.assets.briefing_sections import ASSETS, build_assets
from haicap.assets.models import Asset, Condition, Disposal, DisposalPlan, EquipmentNorm
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.briefing import Period, pack_sections
from haicap.core.task_status import Outcome
from tests.assets import gap_world
from tests.assets.gap_world import (
    BACH_HA,
    BACH_NGOC,
    DO_LUONG,
    FINANCE,
    LUONG_SON,
    THUAN_TRUNG,
    VAN_HIEN,
    agency,
    commune,
    item,
)

pytestmark = pytest.mark.django_db
QUARTER = Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
ON = dt.datetime(2026, 4, 1, 9, tzinfo=VIETNAM)


@pytest.fixture
def world(db):
    built = gap_world.build_world()
    office = built.kinds.office
    do_luong = f"{DO_LUONG}.01.H40"
    built.seat = item(
        office,
        do_luong,
        name="Trụ sở UBND xã Đô Lương",
        address="Khối 4, xã Đô Lương",
        area_m2=Decimal("850.5"),
    )
    built.yen_son = item(
        office,
        do_luong,
        condition=Condition.FAIR,
        status=Asset.Status.SURPLUS,
        name="Trụ sở UBND xã Yên Sơn cũ",
        address="Xóm 3, Yên Sơn cũ",
        area_m2=Decimal("420"),
    )
    built.dong_son = item(
        office,
        do_luong,
        condition=Condition.POOR,
        status=Asset.Status.SURPLUS,
        name="Trụ sở UBND xã Đông Sơn cũ",
    )
    built.sold = item(office, do_luong, status=Asset.Status.DISPOSED, name="Trụ sở đã bán đấu giá")
    DisposalPlan.objects.create(
        office=built.yen_son,
        method=Disposal.REUSE,
        deadline=dt.date(2026, 3, 15),
        responsible=agency(do_luong),
    )
    # carried out on time: not pending, and the office is in use again
    built.school = item(office, f"{BACH_HA}.01.H40", name="Trụ sở xã Bạch Hà cũ, nay là trường")
    DisposalPlan.objects.create(
        office=built.school,
        method=Disposal.REUSE,
        deadline=dt.date(2026, 6, 30),
        responsible=agency(FINANCE),
        closed_on=dt.date(2026, 2, 1),
        outcome=Outcome.ACHIEVED,
    )
    with clock.fixed_at(ON):
        yield built


def tables_of(code: str, built) -> tuple:
    return built[commune(code).pk]


def test_the_section_is_in_the_pack():
    assert ASSETS in pack_sections.sections()
    assert ASSETS.key == "assets.offices_equipment"


def test_each_commune_has_its_offices_and_their_condition(world):
    with translation.override("en"):
        built = build_assets(None, (commune(DO_LUONG).pk, commune(BACH_HA).pk), QUARTER)
    offices, _equipment, _surplus = tables_of(DO_LUONG, built)
    assert offices.header == (
        "Office",
        "Held by",
        "Address",
        "Floor area (m²)",
        "Condition",
        "Status",
    )
    committee = agency(f"{DO_LUONG}.01.H40").name
    # by name, Vietnamese order; the office sold is gone
    assert offices.rows == (
        (
            "Trụ sở UBND xã Đô Lương",
            committee,
            "Khối 4, xã Đô Lương",
            Decimal("850.5"),
            "Good",
            "In use",
        ),
        (
            "Trụ sở UBND xã Đông Sơn cũ",
            committee,
            "",
            None,
            "Poor, needs repair",
            "Surplus, to be arranged",
        ),
        (
            "Trụ sở UBND xã Yên Sơn cũ",
            committee,
            "Xóm 3, Yên Sơn cũ",
            Decimal("420.0"),
            "Fair",
            "Surplus, to be arranged",
        ),
    )


def test_each_commune_has_its_equipment_against_the_norms(world):
    with translation.override("vi"):
        built = build_assets(None, (commune(DO_LUONG).pk, commune(BACH_HA).pk), QUARTER)
    _offices, equipment, _surplus = tables_of(DO_LUONG, built)
    assert equipment.title == "Trang thiết bị so với định mức"
    assert equipment.rows == (("Máy in", 5, 4, 1), ("Máy quét", 1, 1, 0), ("Máy tính", 7, 8, 0))
    assert tables_of(BACH_HA, built)[1].rows == (
        ("Máy in", 5, 0, 5),
        ("Máy quét", 1, 0, 1),
        ("Máy tính", 7, 0, 7),
    )


def test_surplus_offices_waiting_show_their_plan_and_its_status(world):
    with translation.override("en"):
        built = build_assets(None, (commune(DO_LUONG).pk, commune(BACH_HA).pk), QUARTER)
    _offices, _equipment, surplus = tables_of(DO_LUONG, built)
    assert surplus.header == ("Office", "What it becomes", "Responsible", "Deadline", "Status")
    assert surplus.rows == (
        ("Trụ sở UBND xã Đông Sơn cũ", "No plan yet", "", None, ""),
        (
            "Trụ sở UBND xã Yên Sơn cũ",
            "Reuse for another public purpose",
            agency(f"{DO_LUONG}.01.H40").name,
            dt.date(2026, 3, 15),
            "In progress, overdue",  # 1 April, past its deadline
        ),
    )
    # Bạch Hà's old office was reused on time: nothing pending
    offices, _equipment, surplus = tables_of(BACH_HA, built)
    assert [row[0] for row in offices.rows] == ["Trụ sở xã Bạch Hà cũ, nay là trường"]
    assert surplus.rows == ()


def test_a_commune_the_register_knows_nothing_of_is_left_out(world):
    EquipmentNorm.objects.all().delete()
    built = build_assets(None, (commune(DO_LUONG).pk, commune(VAN_HIEN).pk), QUARTER)
    assert set(built) == {commune(DO_LUONG).pk}  # Văn Hiến holds no office, and no norm is set


def test_the_queries_do_not_grow_with_the_communes(world):
    one = (commune(DO_LUONG).pk,)
    six = tuple(
        commune(c).pk for c in (DO_LUONG, BACH_NGOC, VAN_HIEN, BACH_HA, THUAN_TRUNG, LUONG_SON)
    )
    counted = []
    for ids in (one, six):
        with CaptureQueriesContext(connection) as queries:
            built = build_assets(None, ids, QUARTER)
        counted.append(len(queries))
    assert len(built) == 6
    assert counted[0] == counted[1], counted


def test_an_inspections_pack_shows_the_offices_and_equipment_of_the_communes_visited(world):
    from haicap.oversight import services
    from haicap.oversight.selectors import briefing_pack
    from tests.oversight.conftest import group_spec

    secretary = gap_world.staff("thuky.vpubnd", "000.01.00.H40")
    with clock.fixed_at(dt.datetime(2026, 3, 2, 9, tzinfo=VIETNAM)):
        group = services.save_group(secretary, group_spec())
        visit = services.plan_inspection(
            secretary,
            group,
            held_on=dt.date(2026, 4, 1),
            communes=[commune(DO_LUONG), commune(BACH_HA)],
        )
    with translation.override("vi"):
        pack = briefing_pack(secretary, visit)
    by_commune = {c.commune.code: {p.section.key: p.tables for p in c.parts} for c in pack.communes}
    _offices, _equipment, surplus = by_commune[DO_LUONG]["assets.offices_equipment"]
    assert [row[0] for row in surplus.rows] == [
        "Trụ sở UBND xã Đông Sơn cũ",
        "Trụ sở UBND xã Yên Sơn cũ",
    ]
    assert by_commune[BACH_HA]["assets.offices_equipment"][1].rows[1] == ("Máy quét", 1, 0, 1)
    from haicap.oversight.pack_files import pack_workbook

    with translation.override("vi"):
        sheet = pack_workbook(pack)["xã Đô Lương"]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value not in (None, "")]
    assert "Trụ sở và trang thiết bị" in values  # the section's title
    seat = values.index("Trụ sở UBND xã Đô Lương")
    assert values[seat + 2 : seat + 6] == ["Khối 4, xã Đô Lương", 850.5, "Tốt", "Đang sử dụng"]


def test_a_plan_reads_as_it_stood_on_the_packs_last_day(world):
    """A pack for a period ending before the deadline shows the plan in progress, though today
    it is overdue: the pack says what the group would have found."""
    before_the_deadline = Period(dt.date(2026, 1, 1), dt.date(2026, 3, 10))
    with translation.override("en"):
        built = build_assets(None, (commune(DO_LUONG).pk,), before_the_deadline)
    _offices, _equipment, surplus = tables_of(DO_LUONG, built)
    (reuse,) = [row for row in surplus.rows if row[3] == dt.date(2026, 3, 15)]
    assert reuse[-1] == "In progress, within the deadline"
