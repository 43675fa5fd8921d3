"""Reading the plan workbook, without the database: its two sheets known by their columns, every
problem of every row with its sheet, row and column, the structure of sources adding up to the
total, whole đồng, decisions not dated in the future, and the rows written back as read."""

import datetime as dt
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from haicap.budget import plan_sheet
from haicap.budget.plan_columns import (
    COLUMNS,
    FIELD_TEXT,
    LEVEL_TEXT,
    SOURCE_TEXT,
    Kind,
    UnitName,
    amount_of,
    unit_name,
)
from haicap.budget.plan_sheet import AllocationRow, Place, ProjectRow
from haicap.core.sheets import Sheet

TODAY = dt.date(2025, 9, 15)
PROJECT_HEADERS = [c.header for c in COLUMNS[Kind.PROJECTS]]
ALLOCATION_HEADERS = [c.header for c in COLUMNS[Kind.ALLOCATIONS]]
ROAD = [
    "DL-GT-01", "Đường liên xã", "Giao thông", "xã Đô Lương", "17662.01.H40",
    "UBND huyện Đô Lương", "huyện Đô Lương", "20.000.000.000", "", "16.000.000.000", "",
    "4.000.000.000", "",
]  # fmt: skip
ALLOCATION = [
    "DL-GT-01", "2025", "Ngân sách huyện", "huyện", "8.000.000.000", "15/QĐ-UBND",
    "10/01/2025", "Giao kế hoạch vốn năm 2025",
]  # fmt: skip


def sheet(title: str, headers: list[str], *rows: list) -> Sheet:
    return Sheet(title, headers, [dict(zip(headers, row, strict=False)) for row in rows])


def projects(*rows: list, headers: list[str] = PROJECT_HEADERS) -> Sheet:
    return sheet("Dự án", headers, *rows)


def allocations(*rows: list) -> Sheet:
    return sheet("Kế hoạch vốn", ALLOCATION_HEADERS, *rows)


def problems(*sheets: Sheet) -> list[str]:
    return [str(p) for p in plan_sheet.read_workbook(sheets, TODAY).problems]


def test_a_good_workbook_reads_into_projects_and_allocations():
    read = plan_sheet.read_workbook([projects(ROAD), allocations(ALLOCATION)], TODAY)
    assert read.problems == ()
    (road,) = read.projects
    assert (road.code, road.field, road.investor, road.total) == (
        "DL-GT-01",
        "transport",
        "17662.01.H40",
        20_000_000_000,
    )
    assert road.location == UnitName(name="Đô Lương", word="xã")
    assert road.former_district == UnitName(name="Đô Lương", word="huyện")
    assert road.fundings == {"district": 16_000_000_000, "central": 4_000_000_000}
    assert road.absent == frozenset()
    (allocation,) = read.allocations
    assert allocation.identity == (
        "DL-GT-01",
        "2025",
        "district",
        "district",
        8_000_000_000,
        "15/QĐ-UBND",
        dt.date(2025, 1, 10),
    )
    assert (allocation.at.sheet, allocation.at.row) == ("Kế hoạch vốn", 2)


def test_sheets_are_known_by_their_columns_and_headers_loosely():
    loose = [h.upper().replace(" (đồng)", "") for h in PROJECT_HEADERS]
    read = plan_sheet.read_workbook(
        [
            Sheet("Hướng dẫn", ["Hướng dẫn nhập"], [{"Hướng dẫn nhập": "…"}]),
            sheet("Sheet1", loose, ROAD),
            sheet("Danh mục", ["Danh mục", "Mã"], []),
        ],
        TODAY,
    )
    assert read.problems == ()
    assert read.titles == {Kind.PROJECTS: "Sheet1"}
    assert read.projects[0].total == 20_000_000_000


def test_codes_and_words_of_fields_sources_and_levels_are_both_read():
    rows = [
        [*ALLOCATION[:2], "district", "Huyện (đã giải thể)", *ALLOCATION[4:]],
        [*ALLOCATION[:2], "NGÂN SÁCH TRUNG ƯƠNG HỖ TRỢ", "cấp tỉnh", "1000", *ALLOCATION[5:]],
        [*ALLOCATION[:2], "Nguồn vốn khác", "xã", "2 000", *ALLOCATION[5:]],
    ]
    read = plan_sheet.read_workbook([allocations(*rows)], TODAY)
    assert read.problems == ()
    assert [(a.source, a.level, a.amount) for a in read.allocations] == [
        ("district", "district", 8_000_000_000),
        ("central", "province", 1000),
        ("other", "commune", 2000),
    ]


def test_every_problem_of_every_row_is_named_with_its_place():
    bad_project = [
        "DL GT 01", "", "Cầu cống", "xã", "", "", "", "20.000.000.000", "", "16.000.000.000",
        "", "3.000.000.000", "",
    ]  # fmt: skip
    fraction = [*ROAD[:7], "1,5", *ROAD[8:]]
    fraction[0] = "DL-GT-02"
    bad_allocation = ["DL-GT-01", "2025", "vay", "quận", "-5", "", "31/02/2025", ""]
    future = [*ALLOCATION[:6], "16/09/2025", ALLOCATION[7]]
    found = problems(projects(bad_project, fraction), allocations(bad_allocation, future))
    assert found == [
        "sheet Dự án, row 2, column Mã dự án: "
        "a project code is written with letters, digits and . - / _ only",
        "sheet Dự án, row 2, column Tên dự án: empty: it is required",
        "sheet Dự án, row 2, column Lĩnh vực: not a field: write one of "
        + ", ".join(FIELD_TEXT.values()),
        "sheet Dự án, row 2, column Địa điểm (xã, phường): "
        "write the unit's kind and name, e.g. xã Đô Lương, or its code",
        "sheet Dự án, row 2, column Tổng mức đầu tư (đồng): "
        "the sources add up to 19.000.000.000 đồng, not the total investment of "
        "20.000.000.000 đồng",
        "sheet Dự án, row 3, column Tổng mức đầu tư (đồng): "
        "not a whole number of đồng from 0 to 1.000.000.000.000.000",
        "sheet Kế hoạch vốn, row 2, column Nguồn vốn: not a source: write one of "
        + ", ".join(SOURCE_TEXT.values()),
        "sheet Kế hoạch vốn, row 2, column Cấp ngân sách: "
        "not a budget level: write tỉnh, huyện or xã",
        "sheet Kế hoạch vốn, row 2, column Số vốn (đồng): "
        "not a whole number of đồng from 0 to 1.000.000.000.000.000",
        "sheet Kế hoạch vốn, row 2, column Số quyết định: empty: it is required",
        "sheet Kế hoạch vốn, row 2, column Ngày quyết định: not a date written dd/mm/yyyy",
        "sheet Kế hoạch vốn, row 2, column Nội dung: empty: it is required",
        "sheet Kế hoạch vốn, row 3, column Ngày quyết định: a day after today (15/09/2025)",
    ]


def test_a_row_with_problems_is_kept_with_its_flawed_columns():
    read = plan_sheet.read_workbook(
        [allocations([*ALLOCATION[:4], "nhiều", *ALLOCATION[5:]])], TODAY
    )
    (allocation,) = read.allocations
    assert allocation.flawed == {"amount"}


def test_duplicates_are_named_with_the_row_they_repeat():
    second = [*ROAD]
    found = problems(projects(ROAD, second), allocations(ALLOCATION, ALLOCATION))
    assert found == [
        "sheet Dự án, row 3, column Mã dự án: DL-GT-01 is already on row 2",
        "sheet Kế hoạch vốn, row 3, column Mã dự án: the same allocation is already on row 2",
    ]


def test_amounts_are_whole_dong_above_zero():
    zero_total = [*ROAD[:7], "0", *[""] * 5]
    zero_allocation = [*ALLOCATION[:4], 0, *ALLOCATION[5:]]
    assert problems(projects(zero_total), allocations(zero_allocation)) == [
        "sheet Dự án, row 2, column Tổng mức đầu tư (đồng): not a whole number of đồng above 0",
        "sheet Kế hoạch vốn, row 2, column Số vốn (đồng): not a whole number of đồng above 0",
    ]
    assert amount_of(8e9) == 8_000_000_000 and amount_of(8.5) is None
    assert amount_of(True) is None and amount_of(-1) is None


def test_missing_columns_unknown_sheets_and_empty_files_are_said():
    assert problems(sheet("Dự án", PROJECT_HEADERS[:2])) == [
        "sheet Dự án, row 1, column Lĩnh vực: the column is missing",
        "sheet Dự án, row 1, column Tổng mức đầu tư (đồng): the column is missing",
    ]
    assert problems(sheet("Khác", ["Cột A"], ["x"])) == [
        "sheet Khác, row 1: its columns are not those of the projects or the allocations "
        "(see the template)"
    ]
    assert problems(projects(), allocations()) == ["sheet Dự án: the sheets have no rows"]
    assert problems(projects(ROAD), sheet("Bản sao", PROJECT_HEADERS, ROAD)) == [
        "sheet Bản sao: a second sheet of projects; the first is Dự án"
    ]
    assert problems() == [
        "sheet : neither the projects nor the allocations are there (see the template)"
    ]


def test_optional_columns_left_out_are_named_so_the_import_keeps_them():
    kept = {"location", "investor", "former_investor", "former_district"}
    headers = [c.header for c in COLUMNS[Kind.PROJECTS] if c.key not in kept]
    row = [ROAD[0], ROAD[1], ROAD[2], *ROAD[7:]]
    read = plan_sheet.read_workbook([projects(row, headers=headers)], TODAY)
    assert read.problems == ()
    assert read.projects[0].absent == kept


@pytest.mark.parametrize(
    "text, unit",
    [
        ("xã Đô Lương", UnitName(name="Đô Lương", word="xã")),
        ("Thị xã Thái Hòa", UnitName(name="Thái Hòa", word="thị xã")),
        ("Đô Lương", UnitName(name="Đô Lương")),
        ("17662", UnitName(code="17662")),
        ("huyện", None),
    ],
)
def test_a_unit_is_named_by_its_kind_and_name_or_its_code(text, unit):
    assert unit_name(text) == unit


def test_the_words_agree_with_the_models_choices():
    from haicap.budget.models import InvestmentField, Level, Source

    assert list(FIELD_TEXT) == list(InvestmentField.values)
    assert list(SOURCE_TEXT) == list(Source.values)
    assert list(LEVEL_TEXT) == list(Level.values)


PLACE = Place(Kind.PROJECTS, "Dự án", 2)
codes = st.from_regex(r"[A-Z0-9][A-Z0-9./_-]{0,20}", fullmatch=True)
# a sheet's text is read in Unicode's composed form (NFC): names are drawn in that form, since
# some characters (the CJK compatibility ideographs) have another one
names = st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=40).map(
    lambda text: unicodedata.normalize("NFC", text).strip()
)


@given(
    codes,
    names.filter(bool),
    st.sampled_from(list(FIELD_TEXT)),
    st.dictionaries(st.sampled_from(list(SOURCE_TEXT)), st.integers(1, 10**14), min_size=1),
)
def test_a_project_written_the_sheets_way_reads_back(code, name, field, fundings):
    row = ProjectRow(
        PLACE,
        code=code,
        name=" ".join(name.split()),
        field=field,
        location=UnitName(name="Đô Lương", word="xã"),
        investor="17662.01.H40",
        former_investor="UBND huyện Đô Lương",
        former_district=UnitName(name="Đô Lương", word="huyện"),
        total=sum(fundings.values()),
        fundings=fundings,
    )
    cells = plan_sheet.project_cells(row)
    read = plan_sheet.read_workbook([projects(list(cells.values()))], TODAY)
    assert read.problems == ()
    assert read.projects == (row,)


@given(
    st.sampled_from(["2021-2025", "2025", "2026"]),
    st.sampled_from(list(SOURCE_TEXT)),
    st.sampled_from(list(LEVEL_TEXT)),
    st.integers(1, 10**15),
    st.dates(dt.date(2000, 1, 1), TODAY),
)
def test_an_allocation_written_the_sheets_way_reads_back(plan, source, level, amount, day):
    assume(level != "district" or day < dt.date(2025, 7, 1))  # the district level ended then
    row = AllocationRow(
        Place(Kind.ALLOCATIONS, "Kế hoạch vốn", 2),
        project="DL-GT-01",
        plan=plan,
        source=source,
        level=level,
        amount=amount,
        decision_number="15/QĐ-UBND",
        decision_date=day,
        reason="Giao kế hoạch vốn",
    )
    cells = plan_sheet.allocation_cells(row)
    read = plan_sheet.read_workbook([allocations(list(cells.values()))], TODAY)
    assert read.problems == ()
    assert read.allocations == (row,)


def test_no_capital_is_allocated_at_the_district_level_from_the_reform_on():
    district_on_reform = [*ALLOCATION[:6], "01/07/2025", ALLOCATION[7]]
    province_on_reform = [*ALLOCATION[:3], "tỉnh", *ALLOCATION[4:6], "01/07/2025", ALLOCATION[7]]
    district_before = [*ALLOCATION[:6], "30/06/2025", ALLOCATION[7]]
    found = problems(allocations(district_on_reform, province_on_reform, district_before))
    assert found == [
        "sheet Kế hoạch vốn, row 2, column Cấp ngân sách: the district level ended on "
        "01/07/2025: capital decided from then on goes to the province or a commune, and "
        "district capital only decreases",
    ]
