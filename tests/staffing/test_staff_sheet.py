"""Reading the staff sheets (pure): what a valid row holds comes back as written, and every
problem names its sheet, row and column."""

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from haicap.core.sheets import Sheet
from haicap.staffing import staff_sheet
from haicap.staffing.norms import Basis
from haicap.staffing.staff_sheet import (
    COLUMNS,
    Kind,
    NormRow,
    OfficerRow,
    Place,
    StaffSheetError,
    parse_sheets,
)

TODAY = dt.date(2026, 3, 2)
OFFICER_HEADER = [c.header for c in COLUMNS[Kind.OFFICERS]]
POSITION_HEADER = ["Mã cơ quan", "Mã lĩnh vực", "Ngạch", "Số biên chế được giao"]
NORM_HEADER = [c.header for c in COLUMNS[Kind.NORMS]]
TRAVEL_HEADER = ["Mã đơn vị thứ nhất", "Mã đơn vị thứ hai", "Số phút"]


def row_of(header: list[str], values: list) -> dict:
    return dict(zip(header, values, strict=True))


def officer(**cells) -> dict:
    row = {
        "Số hiệu cán bộ": "NA-1",
        "Họ và tên": "Nguyễn Văn An",
        "Mã cơ quan": "17662.03.H40",
        "Lĩnh vực vị trí": "DATDAI",
        "Ngạch vị trí": "Chuyên viên",
        "Lĩnh vực chuyên môn": "DATDAI",
        "Ngạch": "Chuyên viên",
        "Số năm kinh nghiệm": "4",
        "Giữ vị trí từ ngày": "01/07/2025",
    }
    return row | cells


def problems_of(*sheets: Sheet) -> list[str]:
    with pytest.raises(StaffSheetError) as refused:
        parse_sheets(list(sheets), TODAY)
    return [str(p) for p in refused.value.found]


# --- a valid row comes back as it was written -------------------------------------------------

code = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=2, max_size=10)
words = st.text("aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹ", min_size=1, max_size=12)
name = st.lists(words, min_size=1, max_size=5).map(" ".join).map(str.title)
# A grade's name fits its column (five long words would not).
grade_name = name.filter(lambda text: len(text) <= staff_sheet.MAX_LENGTHS["grade"])
day = st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31))


@st.composite
def citizen_ids(draw) -> str:
    """Valid numbers: a province of registration 001-096, a century-and-sex digit and a birth
    year not after ``TODAY``."""
    province = draw(st.integers(1, 96))
    birth = draw(st.integers(1900, TODAY.year))
    century_sex = (birth - 1900) // 100 * 2 + draw(st.integers(0, 1))
    rest = draw(st.integers(0, 999_999))
    return f"{province:03d}{century_sex}{birth % 100:02d}{rest:06d}"


phones = st.builds(
    "{}{}{:08d}".format, st.just("0"), st.sampled_from("35789"), st.integers(0, 10**8 - 1)
)


@st.composite
def officer_rows(draw) -> OfficerRow:
    desk_from = draw(st.none() | day)
    desk_until = None
    if desk_from is not None:
        desk_until = draw(st.none() | st.dates(desk_from, dt.date(2100, 12, 31)))
    return OfficerRow(
        Place("Cán bộ", 2),
        staff_number=draw(code),
        full_name=draw(name),
        agency=draw(code) + ".03.H40",
        post_field=draw(code),
        post_grade=draw(grade_name),
        qualifications=tuple(draw(st.lists(code, max_size=4, unique=True))),
        grade=draw(grade_name),
        experience_years=draw(st.integers(0, 80)),
        in_post_since=draw(st.dates(dt.date(1950, 1, 1), TODAY)),
        desk_posting_given=True,
        desk_posting_from=desk_from,
        desk_posting_until=desk_until,
        account=draw(st.just("") | st.from_regex(r"[a-z][a-z.]{2,20}", fullmatch=True)),
        citizen_id=draw(st.just("") | citizen_ids()),
        phone=draw(st.just("") | phones),
    )


@given(officer_rows())
def test_any_valid_officer_row_comes_back_as_written(row):
    cells = staff_sheet.officer_cells(row)
    parsed = parse_sheets([Sheet("Cán bộ", list(cells), [cells])], TODAY)
    assert parsed.officers == (row,)


@given(
    st.sampled_from(list(Basis)),
    st.integers(0, 1000),
    st.integers(1, 10_000),
    st.integers(0, 100),
    st.just("") | st.sampled_from(["17662", "000.03.00.H40"]),
)
def test_any_valid_norm_row_comes_back_as_written(basis, count, per_officer, minimum, place):
    row = NormRow(Place("Định mức", 2), "DATDAI", place, basis, count, per_officer, minimum, "")
    cells = staff_sheet.norm_cells(row)
    assert parse_sheets([Sheet("Định mức", list(cells), [cells])], TODAY).norms == (row,)


@given(day)
def test_a_day_reads_from_its_dd_mm_yyyy_text_and_from_a_date_cell(value):
    assert staff_sheet.day_of(value.strftime("%d/%m/%Y")) == value
    assert staff_sheet.day_of(f"{value.day}/{value.month}/{value.year}") == value
    assert staff_sheet.day_of(dt.datetime.combine(value, dt.time())) == value
    assert staff_sheet.day_of(value.isoformat()) == value


@pytest.mark.parametrize("text", ["31/02/2025", "2025/07/01", "1/7/25", "hôm nay", "01/07/1899"])
def test_what_is_no_day_is_refused(text):
    assert staff_sheet.day_of(text) is None


@given(st.integers(0, 80))
def test_a_whole_number_reads_from_text_an_integer_or_excels_float(number):
    for value in (number, float(number), str(number), f" {number} "):
        assert staff_sheet.whole_number(value, 80) == number


@pytest.mark.parametrize("value", [-1, 81, 2.5, "2.5", "hai", True, "٣"])
def test_what_is_no_whole_number_in_range_is_refused(value):
    assert staff_sheet.whole_number(value, 80) is None


# --- sheets, headers, cells --------------------------------------------------------------------


def test_headers_match_whatever_their_case_accents_or_spaces():
    header = ["so hieu can bo", " HỌ VÀ TÊN ", *OFFICER_HEADER[2:9]]
    row = dict(zip(header, officer().values(), strict=True))
    (parsed,) = parse_sheets([Sheet("x", header, [row])], TODAY).officers
    assert (parsed.staff_number, parsed.full_name) == ("NA-1", "Nguyễn Văn An")
    assert parsed.desk_posting_given is False  # no posting columns: the posting stays


def test_each_sheet_is_known_by_its_columns_whatever_its_name():
    parsed = parse_sheets(
        [
            Sheet("Hướng dẫn", ["Hướng dẫn nhập nhân sự"], [{"Hướng dẫn nhập nhân sự": "1."}]),
            Sheet("Trang 1", TRAVEL_HEADER, [row_of(TRAVEL_HEADER, ["17662", 17707, 25.0])]),
            Sheet("Trang 2", POSITION_HEADER, [row_of(POSITION_HEADER, ["a", "cntt", "B", 1])]),
            Sheet("Trang 3", OFFICER_HEADER, [officer()]),
        ],
        TODAY,
    )
    assert parsed.titles == {
        Kind.TRAVEL: "Trang 1",
        Kind.POSITIONS: "Trang 2",
        Kind.OFFICERS: "Trang 3",
    }
    assert (parsed.travel[0].other, parsed.travel[0].minutes) == ("17707", 25)
    assert parsed.positions[0].field == "CNTT"


def test_numbers_excel_stored_for_codes_keep_their_leading_zeros():
    row = officer(**{"Số CCCD": 40195012345, "Số điện thoại": 912345678.0})
    (parsed,) = parse_sheets([Sheet("x", [*row], [row])], TODAY).officers
    assert (parsed.citizen_id, parsed.phone) == ("040195012345", "0912345678")
    travel = row_of(TRAVEL_HEADER, [4, "17707", 10])
    (pair,) = parse_sheets([Sheet("t", TRAVEL_HEADER, [travel])], TODAY).travel
    assert pair.one == "00004"


def test_qualifications_are_split_on_semicolons_or_commas_each_once():
    row = officer(**{"Lĩnh vực chuyên môn": "datdai; XAYDUNG,yte ;; datdai"})
    (parsed,) = parse_sheets([Sheet("x", [*row], [row])], TODAY).officers
    assert parsed.qualifications == ("DATDAI", "XAYDUNG", "YTE")


@pytest.mark.parametrize(
    "text, basis", [("cố định", Basis.FIXED), ("Khối lượng", Basis.WORKLOAD), ("WORKLOAD", "w")]
)
def test_the_basis_is_read_in_vietnamese_or_english(text, basis):
    basis = Basis.WORKLOAD if basis == "w" else basis
    cells = {"Mã lĩnh vực": "DATDAI", "Áp dụng cho": "", "Căn cứ": text}
    cells |= {"Số cán bộ": 2, "Hồ sơ một cán bộ giải quyết mỗi tháng": 50}
    (norm,) = parse_sheets([Sheet("n", [*cells], [cells])], TODAY).norms
    assert norm.basis == basis


def test_blank_lines_are_no_rows():
    parsed = parse_sheets([Sheet("x", OFFICER_HEADER, [{}, officer(), {"Họ và tên": "  "}])], TODAY)
    assert len(parsed.officers) == 1


# --- problems ----------------------------------------------------------------------------------


def test_every_problem_names_its_sheet_row_and_column_in_the_columns_order():
    rows = [
        officer(),
        officer(
            **{
                "Số hiệu cán bộ": "NA-3",
                "Số CCCD": "123",
                "Họ và tên": "",
                "Giữ vị trí từ ngày": "31/02/2025",
                "Số năm kinh nghiệm": "năm",
            }
        ),
        officer(
            **{
                "Số hiệu cán bộ": "NA-4",
                "Làm Một cửa từ ngày": "01/07/2026",
                "Làm Một cửa đến ngày": "30/06/2026",
            }
        ),
        officer(**{"Số hiệu cán bộ": "NA-5", "Làm Một cửa đến ngày": "30/06/2026"}),
        officer(**{"Số điện thoại": "12345", "Số hiệu cán bộ": "NA-2"}),
    ]
    assert problems_of(Sheet("Cán bộ", OFFICER_HEADER, rows)) == [
        "sheet Cán bộ, row 3, column Họ và tên: empty: it is required",
        "sheet Cán bộ, row 3, column Số năm kinh nghiệm: not a whole number from 0 to 80",
        "sheet Cán bộ, row 3, column Giữ vị trí từ ngày: not a date written dd/mm/yyyy",
        "sheet Cán bộ, row 3, column Số CCCD: a citizen ID number has 12 digits",
        "sheet Cán bộ, row 4, column Làm Một cửa đến ngày: the posting ends before it begins",
        "sheet Cán bộ, row 5, column Làm Một cửa đến ngày: a posting that ends needs the day it"
        " began",
        "sheet Cán bộ, row 6, column Số điện thoại: a Vietnamese phone number has 10 digits, e.g."
        " 0912345678",
    ]


def test_a_row_with_problems_comes_back_with_its_flawed_columns_named():
    rows = [officer(**{"Số năm kinh nghiệm": "năm", "Mã cơ quan": "X.01"})]
    workbook, problems = staff_sheet.read_workbook([Sheet("Cán bộ", OFFICER_HEADER, rows)], TODAY)
    assert [p.column for p in problems] == ["Số năm kinh nghiệm"]
    (row,) = workbook.officers
    assert row.flawed == {"experience_years"}
    assert (row.agency, row.post_field) == ("X.01", "DATDAI")


def test_a_row_with_problems_still_has_its_key_checked_for_a_repeat():
    rows = [officer(), officer(**{"Số năm kinh nghiệm": "năm"})]
    assert problems_of(Sheet("Cán bộ", OFFICER_HEADER, rows)) == [
        "sheet Cán bộ, row 3, column Số hiệu cán bộ: NA-1 is already on row 2",
        "sheet Cán bộ, row 3, column Số năm kinh nghiệm: not a whole number from 0 to 80",
    ]


def test_a_day_in_post_after_today_is_refused():
    rows = [officer(**{"Giữ vị trí từ ngày": "03/03/2026"}), officer(**{"Số hiệu cán bộ": "NA-2"})]
    assert problems_of(Sheet("Cán bộ", OFFICER_HEADER, rows)) == [
        "sheet Cán bộ, row 2, column Giữ vị trí từ ngày: a day after today (02/03/2026)"
    ]


def test_a_repeated_key_names_the_row_it_is_first_on():
    rows = [officer(), officer(**{"Số hiệu cán bộ": "NA-2"}), officer()]
    assert problems_of(Sheet("Cán bộ", OFFICER_HEADER[:9], rows)) == [
        "sheet Cán bộ, row 4, column Số hiệu cán bộ: NA-1 is already on row 2"
    ]
    positions = [row_of(POSITION_HEADER, v) for v in (["A", "X", "Chuyên viên", 1],) * 2]
    travel = [row_of(TRAVEL_HEADER, v) for v in (["1", "2", 5], ["2", "1", 6])]
    assert problems_of(
        Sheet("P", POSITION_HEADER, positions), Sheet("T", TRAVEL_HEADER, travel)
    ) == [
        "sheet P, row 3, column Ngạch: A · X · Chuyên viên is already on row 2",
        "sheet T, row 3, column Mã đơn vị thứ hai: 1 · 2 is already on row 2",
    ]


def test_a_missing_column_is_named_on_the_header_row():
    header = [h for h in OFFICER_HEADER if h != "Ngạch"]
    assert problems_of(Sheet("Cán bộ", header, [officer()])) == [
        "sheet Cán bộ, row 1, column Ngạch: the column is missing"
    ]


def test_sheets_that_are_none_of_the_four_or_one_twice_are_refused():
    assert problems_of(
        Sheet("Lương", ["Họ và tên", "Lương"], [{"Họ và tên": "A", "Lương": 1}]),
        Sheet("A", OFFICER_HEADER, [officer()]),
        Sheet("B", OFFICER_HEADER, [officer()]),
    ) == [
        "sheet Lương, row 1: its columns are not those of any of the four sheets"
        " (see the template)",
        "sheet B: a second sheet of officers; the first is A",
    ]


def test_an_empty_import_is_refused():
    assert problems_of(Sheet("Cán bộ", OFFICER_HEADER, [])) == [
        "sheet Cán bộ: the sheets have no rows"
    ]
    assert problems_of(Sheet("Sheet1", [], [])) == [
        "sheet Sheet1: none of the four sheets is there (see the template)"
    ]


def test_norm_and_travel_rows_are_checked():
    norms = [
        {"Mã lĩnh vực": "DATDAI", "Áp dụng cho": "", "Căn cứ": "khối lượng"},
        {"Mã lĩnh vực": "CNTT", "Áp dụng cho": "", "Căn cứ": "theo ý"},
        {"Mã lĩnh vực": "YTE", "Áp dụng cho": "", "Căn cứ": "cố định"},
    ]
    travel = [row_of(TRAVEL_HEADER, ["17662", "17662", "abc"])]
    assert problems_of(Sheet("N", NORM_HEADER, norms), Sheet("T", TRAVEL_HEADER, travel)) == [
        "sheet N, row 2, column Hồ sơ một cán bộ giải quyết mỗi tháng: a workload norm needs the"
        " dossiers one officer handles a month (1 or more)",
        "sheet N, row 3, column Căn cứ: write cố định (fixed) or khối lượng (workload)",
        "sheet N, row 4, column Số cán bộ: empty: it is required",
        "sheet T, row 2, column Mã đơn vị thứ hai: the two units are the same",
        "sheet T, row 2, column Số phút: not a whole number from 0 to 10000",
    ]


def test_a_control_character_in_a_cell_is_refused_where_it_is():
    row = officer(**{"Họ và tên": "Nguyễn\x07An"})
    assert problems_of(Sheet("Cán bộ", [*row], [row])) == [
        "sheet Cán bộ, row 2, column Họ và tên: a control character (U+0007) at position 7 is"
        " not allowed here"
    ]


@given(st.text(max_size=40))
def test_no_cell_text_breaks_the_reader(text):
    row = officer(**{c: text for c in OFFICER_HEADER[:9]})
    try:
        parsed = parse_sheets([Sheet("x", OFFICER_HEADER, [row])], TODAY)
    except StaffSheetError as refused:
        assert all(p.sheet == "x" and p.row in (2, None) for p in refused.found)
    else:
        assume(parsed.officers)
        assert parsed.officers[0].at == Place("x", 2)
