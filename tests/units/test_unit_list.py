"""Reading the resolution's unit list: the real file, and every kind of bad line."""

import io

import pytest

from haicap.units import unit_list
from haicap.units.demo import CODE_LIST, UNIT_LIST

HEADER = "item,kind,name,formed_from,former_unit_count\n"


def parse(text: str):
    return unit_list.parse_unit_list(io.StringIO(HEADER + text))


def test_the_nghe_an_list_has_130_units_formed_from_412_former_units():
    with UNIT_LIST.open(encoding="utf-8") as f:
        units = unit_list.parse_unit_list(f)
    assert len(units) == 130
    assert sum(1 for u in units if u.kind == "xã") == 119
    assert sum(1 for u in units if u.kind == "phường") == 11
    assert sum(len(u.formed_from) for u in units) == 412
    do_luong = next(u for u in units if u.name == "Đô Lương")
    assert do_luong.item == "20"
    assert unit_list.FormerUnit("xã", "Nam Sơn", "Đô Lương") in do_luong.formed_from
    assert unit_list.FormerUnit("thị trấn", "Đô Lương") in do_luong.formed_from


def test_the_code_list_covers_every_unit_with_five_digit_codes():
    with UNIT_LIST.open(encoding="utf-8") as f:
        units = unit_list.parse_unit_list(f)
    with CODE_LIST.open(encoding="utf-8") as f:
        codes = unit_list.parse_code_list(f)
    assert {(u.kind, u.name) for u in units} == set(codes)
    assert codes[("xã", "Thuần Trung")] == unit_list.UnitCode("17689", "44141")


def test_a_former_unit_with_a_district_hint_is_read_apart():
    assert unit_list.parse_former_unit(" xã  Bình Sơn (huyện Anh Sơn) ") == unit_list.FormerUnit(
        "xã", "Bình Sơn", "Anh Sơn"
    )
    assert unit_list.parse_former_unit("thị trấn Kim Nhan") == unit_list.FormerUnit(
        "thị trấn", "Kim Nhan"
    )
    assert unit_list.parse_former_unit("làng Vũ Đại") is None


def test_every_problem_is_reported_with_its_line():
    with pytest.raises(unit_list.UnitListError) as caught:
        parse(
            "1,xã,Một,xã A; xã B,2\n"
            "2,huyện,Hai,xã C,1\n"
            "3,xã,,xã D,1\n"
            "4,xã,Bốn,xã E; xóm F,2\n"
            "5,xã,Năm,xã G,3\n"
            "6,xã,Một,xã H,1\n"
            "7,phường,Bảy,,0\n"
        )
    problems = caught.value.problems
    assert problems == [
        "line 3: kind must be one of xã, phường, đặc khu",
        "line 4: name is empty",
        "line 5: cannot read former unit 'xóm F'",
        "line 6: former_unit_count is '3' but formed_from lists 1",
        "line 7: xã Một appears twice",
        "line 8: formed_from is empty",
    ]


def test_a_file_without_the_columns_is_refused():
    with pytest.raises(unit_list.UnitListError, match="missing column"):
        unit_list.parse_unit_list(io.StringIO("stt,ten\n1,A\n"))


def test_an_empty_file_is_refused():
    with pytest.raises(unit_list.UnitListError, match="no units"):
        parse("")


def test_bad_codes_are_refused():
    with pytest.raises(unit_list.UnitListError) as caught:
        unit_list.parse_code_list(
            io.StringIO("code,kind,name,postcode\n1766,xã,A,1\n17662,xã,B,1\n17662,xã,C,1\n")
        )
    assert caught.value.problems == [
        "line 2: a commune-level code has 5 digits, not '1766'",
        "line 4: xã C or code 17662 appears twice",
    ]
