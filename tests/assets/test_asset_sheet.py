"""Reading the register from a sheet (pure): every problem of every row with its row and column,
amounts and areas as offices write them, former units as the registry names them, and the
identifiers haicap gives."""

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from haicap.assets import asset_sheet
from haicap.assets.asset_sheet import (
    COLUMNS,
    AssetRow,
    AssetSheetError,
    Place,
    UnitName,
    area_of,
    asset_cells,
    given_identifier,
    given_number,
    money_of,
    money_text,
    parse_sheets,
    unit_name,
)
from haicap.core.sheets import Sheet

THIS_YEAR = 2026
HEADERS = [c.header for c in COLUMNS]
OFFICE = [
    "",
    "TRUSO",
    "Trụ sở UBND xã Đà Sơn cũ",
    "17662.01.H40",
    "xã Đà Sơn",
    "Xóm 3, xã Đô Lương",
    "450,5",
    "3.200.000.000",
    "1.250.000.000",
    2008,
    "trung bình",
]
SCANNER = [
    "TS.40.000123",
    "MAYSCAN",
    "Máy quét tài liệu",
    "17662.05.H40",
    "huyện Đô Lương",
    "",
    "",
    18500000,
    9000000.0,
    "2021",
    "Tốt",
]


def sheet(rows: list[list], title: str = "Tài sản", headers: list[str] = HEADERS) -> Sheet:
    return Sheet(title, list(headers), [dict(zip(headers, row, strict=True)) for row in rows])


def problems(*sheets: Sheet) -> list[str]:
    with pytest.raises(AssetSheetError) as refused:
        parse_sheets(list(sheets), THIS_YEAR)
    return [str(p) for p in refused.value.found]


def test_a_sheet_of_assets_is_read_row_by_row():
    book = parse_sheets([sheet([OFFICE, SCANNER])], THIS_YEAR)
    office, scanner = book.rows
    assert book.titles == ("Tài sản",)
    assert office.at == Place("Tài sản", 2)
    assert (office.identifier, office.kind, office.holder) == ("", "TRUSO", "17662.01.H40")
    assert office.origin == UnitName(name="Đà Sơn", word="xã")
    assert office.area_m2 == Decimal("450.5")
    assert (office.original_value, office.remaining_value) == (3_200_000_000, 1_250_000_000)
    assert (office.acquired_year, office.condition) == (2008, "fair")
    assert scanner.identifier == "TS.40.000123"
    assert scanner.origin == UnitName(name="Đô Lương", word="huyện")
    assert scanner.area_m2 is None
    assert (scanner.original_value, scanner.remaining_value) == (18_500_000, 9_000_000)
    assert (scanner.acquired_year, scanner.condition) == (2021, "good")


def test_every_problem_of_every_row_is_named_with_its_row_and_column():
    bad_office = [*OFFICE]
    bad_office[6] = "rộng"  # the area
    bad_office[8] = "4.000.000.000"  # more than the original value
    bad_office[10] = "tuyệt vời"  # no condition
    bad_scanner = [*SCANNER]
    bad_scanner[2] = ""  # no name
    bad_scanner[9] = THIS_YEAR + 1  # a year to come
    bad_scanner[7] = "18,5 triệu"
    found = problems(sheet([bad_office, SCANNER, bad_scanner]))
    assert found == [
        "sheet Tài sản, row 2, column Diện tích (m²): "
        "not an area in m² with at most one decimal, e.g. 350,5",
        "sheet Tài sản, row 2, column Giá trị còn lại (đồng): "
        "the remaining value is more than the original value",
        "sheet Tài sản, row 2, column Tình trạng: write tốt, trung bình, kém or hỏng",
        "sheet Tài sản, row 4, column Mã tài sản: TS.40.000123 is already on row 3",
        "sheet Tài sản, row 4, column Tên tài sản: empty: it is required",
        "sheet Tài sản, row 4, column Nguyên giá (đồng): "
        "not a whole number of đồng from 0 to 1.000.000.000.000.000",
        "sheet Tài sản, row 4, column Năm đưa vào sử dụng: the year 2027 has not come yet",
    ]


def test_a_missing_column_and_a_sheet_of_other_columns_are_refused():
    without_value = [h for h in HEADERS if h != "Nguyên giá (đồng)"]
    found = problems(
        sheet([], headers=without_value),
        Sheet("Ghi chú", ["Số thứ tự", "Nội dung"], []),
    )
    assert found == [
        "sheet Ghi chú, row 1: its columns are not those of the assets sheet (see the template)",
        "sheet Tài sản, row 1, column Nguyên giá (đồng): the column is missing",
    ]


def test_the_optional_columns_may_be_left_out_and_headers_are_matched_loosely():
    kept = [h for h in HEADERS if h not in {"Mã tài sản", "Nguồn gốc", "Địa chỉ"}]
    row = {h: v for h, v in zip(HEADERS, OFFICE, strict=True) if h in kept}
    loose = {"Diện tích (m²)": "dien tich (M2)", "Tên tài sản": "  TÊN  tài sản "}
    headers = [loose.get(h, h) for h in kept]
    read = parse_sheets(
        [Sheet("Đất và nhà", headers, [{loose.get(h, h): v for h, v in row.items()}])], THIS_YEAR
    )
    (office,) = read.rows
    assert (office.identifier, office.origin, office.address) == ("", None, "")
    assert office.area_m2 == Decimal("450.5")


def test_several_sheets_of_assets_are_read_and_an_identifier_is_once_in_the_workbook():
    buildings = sheet([OFFICE], title="Đất và nhà")
    equipment = sheet([SCANNER, [*SCANNER]], title="Thiết bị")
    again = sheet([[*SCANNER]], title="Khác")
    found = problems(buildings, equipment, again)
    assert found == [
        "sheet Thiết bị, row 3, column Mã tài sản: TS.40.000123 is already on row 2",
        "sheet Khác, row 2, column Mã tài sản: TS.40.000123 is already on sheet Thiết bị, row 2",
    ]
    read = parse_sheets([buildings, sheet([SCANNER], title="Thiết bị")], THIS_YEAR)
    assert [r.at.sheet for r in read.rows] == ["Đất và nhà", "Thiết bị"]


def test_the_templates_instructions_and_kinds_are_passed_over_and_an_empty_sheet_refused():
    guide = Sheet("Hướng dẫn", ["Hướng dẫn nhập"], [{"Hướng dẫn nhập": "1. ..."}])
    kinds = Sheet("Loại tài sản", ["Mã loại", "Tên loại"], [{"Mã loại": "TRUSO"}])
    assert problems(guide, kinds, sheet([["", "", "", "", "", "", "", "", "", "", ""]])) == [
        "sheet Tài sản: the sheet has no rows"
    ]
    assert problems(guide, kinds) == [
        "sheet Hướng dẫn: no sheet has the assets' columns (see the template)"
    ]


def test_an_identifier_is_kept_in_capitals_and_refused_with_spaces_or_too_long():
    lower = [*SCANNER]
    lower[0] = " ts.40.000777 "
    assert parse_sheets([sheet([lower])], THIS_YEAR).rows[0].identifier == "TS.40.000777"
    spaced, long = [*SCANNER], [*SCANNER]
    spaced[0] = "TS 40 1"
    long[0] = "X" * 31
    assert problems(sheet([spaced, long])) == [
        "sheet Tài sản, row 2, column Mã tài sản: "
        "an identifier is written with letters, digits and . - / _ only",
        "sheet Tài sản, row 3, column Mã tài sản: longer than 30 characters",
    ]


@pytest.mark.parametrize(
    "year, problem",
    [
        (1899, "a year from 1900 on"),
        ("19", "not a year written with four digits"),
        (2008.5, "not a year written with four digits"),
        ("", "empty: it is required"),
    ],
)
def test_the_year_is_not_absurd(year, problem):
    row = [*OFFICE]
    row[9] = year
    assert problems(sheet([row])) == [
        f"sheet Tài sản, row 2, column Năm đưa vào sử dụng: {problem}"
    ]


@pytest.mark.parametrize(
    "text, amount",
    [
        ("1.250.000.000", 1_250_000_000),
        ("1,250,000,000", 1_250_000_000),
        ("1 250 000 000 đ", 1_250_000_000),
        ("1250000000 đồng", 1_250_000_000),
        ("0", 0),
        (1_250_000_000.0, 1_250_000_000),
        ("1.25", None),
        ("1.250.00", None),
        ("-5", None),
        (12.5, None),
        (True, None),
        (10**15 + 1, None),
    ],
)
def test_amounts_are_read_as_offices_write_them(text, amount):
    assert money_of(text) == amount


@given(st.integers(min_value=0, max_value=asset_sheet.MAX_VALUE))
def test_an_amount_written_with_its_thousands_reads_back(amount):
    assert money_of(money_text(amount)) == amount
    assert money_of(f"{amount:,}") == amount
    assert money_of(amount) == amount


@pytest.mark.parametrize(
    "text, area",
    [
        ("450,5", Decimal("450.5")),
        ("450.5", Decimal("450.5")),
        ("1.200", Decimal("1200")),
        ("120 m²", Decimal("120")),
        (350.5, Decimal("350.5")),
        ("350,25", None),
        (350.25, None),
        ("rộng", None),
    ],
)
def test_areas_have_at_most_one_decimal(text, area):
    assert area_of(text) == area


@given(st.decimals(min_value=0, max_value=asset_sheet.MAX_AREA, places=1))
def test_an_area_written_as_the_sheet_writes_it_reads_back(area):
    assert area_of(asset_sheet.area_text(area)) == area


names = st.text(
    alphabet=st.sampled_from("aăâbcdđeêghiklmnoôơpqrstuưvxyàáạảãÀĐẮ "), min_size=1, max_size=20
).filter(lambda t: t.strip() and "(" not in t)


@given(
    st.sampled_from(asset_sheet.UNIT_WORDS),
    names,
    st.sampled_from(("", *asset_sheet.UNIT_WORDS)),
    st.one_of(st.just(""), names),
)
def test_a_former_units_name_reads_back_as_written(word, name, within_word, within):
    # brackets without a kind's word hold a name that does not start with one
    assume(within_word or not asset_sheet._split_word(within)[0])
    written = UnitName(
        name=" ".join(name.split()),
        word=word,
        within_word=within_word if within.strip() else "",
        within=" ".join(within.split()),
    )
    assert unit_name(str(written)) == written


def test_a_former_units_name_is_read_with_its_kind_and_brackets():
    assert unit_name("Xã Nam Sơn (huyện Đô Lương)") == UnitName(
        name="Nam Sơn", word="xã", within_word="huyện", within="Đô Lương"
    )
    assert unit_name("thị xã Thái Hòa") == UnitName(name="Thái Hòa", word="thị xã")
    assert unit_name("Đà Sơn") == UnitName(name="Đà Sơn")
    assert unit_name("40123") == UnitName(code="40123")
    assert unit_name("xã") is None
    assert unit_name("xã Nam Sơn ()") is None
    row = [*OFFICE]
    row[4] = "huyện"
    assert problems(sheet([row])) == [
        "sheet Tài sản, row 2, column Nguồn gốc: write the former unit's name, e.g. xã Đà Sơn"
    ]


rows = st.builds(
    AssetRow,
    at=st.just(Place("Tài sản", 2)),
    identifier=st.from_regex(r"\A[A-Z0-9][A-Z0-9./_-]{0,29}\Z"),
    kind=st.from_regex(r"\A[A-Z]{2,10}\Z"),
    name=names.map(lambda t: " ".join(t.split())),
    holder=st.from_regex(r"\A[0-9]{5}\.0[1-5]\.H40\Z"),
    origin=st.builds(UnitName, name=st.just("Đà Sơn"), word=st.sampled_from(("xã", "huyện"))),
    address=st.just("Xóm 3"),
    area_m2=st.one_of(st.none(), st.decimals(min_value=0, max_value=99999, places=1)),
    original_value=st.integers(min_value=0, max_value=asset_sheet.MAX_VALUE),
    remaining_value=st.just(0),
    acquired_year=st.integers(min_value=asset_sheet.FIRST_YEAR, max_value=THIS_YEAR),
    condition=st.sampled_from(tuple(asset_sheet.CONDITION_TEXT)),
)


@given(rows)
def test_a_row_written_as_the_sheet_writes_it_reads_back(row):
    cells = asset_cells(row)
    (read,) = parse_sheets([Sheet("Tài sản", list(cells), [cells])], THIS_YEAR).rows
    assert read == row


def test_the_conditions_are_the_registers():
    from haicap.assets.models import Condition

    assert set(asset_sheet.CONDITION_TEXT) == set(Condition.values)


@given(st.integers(min_value=1, max_value=10**9))
def test_the_identifiers_haicap_gives_carry_their_running_number(number):
    identifier = given_identifier("40", number)
    assert identifier.startswith("TS.40.")
    assert given_number(identifier, "40") == number
    assert given_number(identifier, "41") is None


def test_a_running_number_starts_at_one_and_other_identifiers_have_none():
    assert given_identifier("40", 123) == "TS.40.000123"
    with pytest.raises(ValueError):
        given_identifier("40", 0)
    assert given_number("QLTS-0001", "40") is None
    assert given_number("TS.40.12A", "40") is None


def test_the_value_rules_the_forms_share():
    assert asset_sheet.value_problems(100, 50) == {}
    assert asset_sheet.value_problems(100, 101) == {
        "remaining_value": (asset_sheet.REMAINING_ABOVE_ORIGINAL, {})
    }
    assert set(asset_sheet.value_problems(-1, 10**16)) == {"original_value", "remaining_value"}
    assert asset_sheet.year_problem(2026, 2026) is None
    assert asset_sheet.year_problem(2027, 2026) == (asset_sheet.YEAR_IN_FUTURE, {"year": 2027})
