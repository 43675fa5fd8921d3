"""The briefing pack's staffing section: each visited commune's standing by field and the
secondments in effect into and out of it, from a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from haicap.core import clock
from haicap.core.briefing import Period, pack_sections
from haicap.oversight import services
from haicap.oversight.selectors import briefing_pack
from haicap.staffing.briefing_sections import STAFFING, build_staffing
from tests.oversight.conftest import group_spec
from tests.staffing import gap_world
from tests.staffing.gap_world import (
    BACH_HA,
    BACH_NGOC,
    DO_LUONG,
    LUONG_SON,
    THUAN_TRUNG,
    VAN_HIEN,
    at,
    commune,
    staff,
)

staff_world, world = gap_world.staff_world, gap_world.world

pytestmark = pytest.mark.django_db
# The pack of a visit on 1 April covers the year up to 31 March: the standing on 31 March,
# its workload the 90 days to 30 March (all of Đô Lương's 12 land dossiers; the 9 of 2 March
# overdue by then).
FIRST_QUARTER = Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def tables_of(code: str, built) -> tuple:
    return built[commune(code).pk]


def test_the_section_is_in_the_pack():
    assert STAFFING in pack_sections.sections()
    assert STAFFING.key == "staffing.gaps"


def test_each_commune_has_its_standing_by_field(world):
    ids = tuple(commune(c).pk for c in (DO_LUONG, BACH_HA, BACH_NGOC, VAN_HIEN))
    with translation.override("vi"):
        built = build_staffing(world.authority, ids, FIRST_QUARTER)
    gaps, _secondments = tables_of(DO_LUONG, built)
    assert gaps.title == "Công chức theo lĩnh vực ngày 31/03/2026"
    assert gaps.header == (
        "Lĩnh vực",
        "Định mức",
        "Công chức hiện có",
        "Thiếu",
        "Hồ sơ/tháng",
        "Hồ sơ quá hạn",
        "Lý do",
    )
    # IT has no dossiers of its own: no workload to show
    assert [row[:6] for row in gaps.rows] == [
        ("Công nghệ thông tin", 1, 2, 0, None, None),
        ("Đất đai", 2, 1, 1, Decimal("4.0"), 9),
    ]
    assert gaps.rows[1][6] == (
        "Xã Đô Lương đủ công chức đất đai theo định mức (cần 2 người) nhưng 1 người đang được "
        "biệt phái sang xã Bạch Hà đến 14/09/2026, chỉ còn 1; 9 hồ sơ đất đai đang quá hạn."
    )
    bach_ngoc, _secondments = tables_of(BACH_NGOC, built)
    assert [row[:4] for row in bach_ngoc.rows] == [
        ("Công nghệ thông tin", 1, 1, 0),
        ("Đất đai", 4, 1, 3),
    ]


def test_each_commune_has_the_secondments_in_effect_into_and_out_of_it(world):
    ids = tuple(commune(c).pk for c in (DO_LUONG, BACH_HA, BACH_NGOC, VAN_HIEN))
    with translation.override("en"):
        built = build_staffing(world.authority, ids, FIRST_QUARTER)
    _gaps, out_of_do_luong = tables_of(DO_LUONG, built)
    assert out_of_do_luong.header == ("Officer", "Seconded from", "Seconded to", "Field", "Until")
    binh = (
        "Trần Văn Bình",
        "Phòng Kinh tế xã Đô Lương",
        "Phòng Kinh tế xã Bạch Hà",
        "Đất đai",
        dt.date(2026, 9, 14),
    )
    assert out_of_do_luong.rows == (binh,)
    assert tables_of(BACH_HA, built)[1].rows == (binh,)
    assert tables_of(BACH_NGOC, built)[1].rows == (
        (
            "Đặng Văn Hùng",
            "Sở Nội vụ",
            "Ủy ban nhân dân xã Bạch Ngọc",
            "Công nghệ thông tin",
            dt.date(2026, 6, 30),
        ),
    )
    # Giang's secondment ended on 1 March, An's is only proposed
    assert tables_of(VAN_HIEN, built)[1].rows == ()


def test_a_secondment_not_yet_started_on_the_packs_last_day_is_not_in_effect(world):
    before = Period(dt.date(2026, 1, 1), dt.date(2026, 3, 14))
    built = build_staffing(world.authority, (commune(BACH_HA).pk,), before)
    gaps, secondments = tables_of(BACH_HA, built)
    assert secondments.rows == ()
    land = next(row for row in gaps.rows if row[0] == "Đất đai")
    assert land[1:4] == (1, 0, 1)


def test_a_commune_the_province_has_no_staffing_data_for_is_left_out(db):
    assert build_staffing(None, (commune(DO_LUONG).pk,), FIRST_QUARTER) == {}


def test_the_queries_do_not_grow_with_the_communes(world):
    one = (commune(DO_LUONG).pk,)
    six = tuple(
        commune(c).pk for c in (DO_LUONG, BACH_NGOC, VAN_HIEN, BACH_HA, THUAN_TRUNG, LUONG_SON)
    )
    counted = []
    for ids in (one, six):
        with CaptureQueriesContext(connection) as queries:
            built = build_staffing(world.authority, ids, FIRST_QUARTER)
        counted.append(len(queries))
    assert len(built) == 6
    assert counted[0] == counted[1], counted


def test_an_inspections_pack_shows_the_staffing_of_the_communes_visited(world):
    secretary = staff("thuky.vpubnd", "000.01.00.H40")
    with clock.fixed_at(at(3, 2)):
        group = services.save_group(secretary, group_spec())
        visit = services.plan_inspection(
            secretary,
            group,
            held_on=dt.date(2026, 4, 1),
            communes=[commune(DO_LUONG), commune(BACH_HA)],
        )
    with clock.fixed_at(at(4, 1)), translation.override("vi"):
        pack = briefing_pack(secretary, visit)
    by_commune = {c.commune.code: {p.section.key: p.tables for p in c.parts} for c in pack.communes}
    gaps, secondments = by_commune[BACH_HA]["staffing.gaps"]
    assert [row[:4] for row in gaps.rows] == [
        ("Công nghệ thông tin", 2, 0, 2),
        ("Đất đai", 1, 1, 0),
    ]
    assert [row[0] for row in secondments.rows] == ["Trần Văn Bình"]
