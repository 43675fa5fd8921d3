"""Reading a month's disbursement from a sheet: the pure rows and their problems (each with its row
and column), the amounts as offices write them, and the import of a workbook or a CSV file, all
or nothing, its problems in the reader's language; the template workbook."""

import io

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from haicap.budget import disbursement_import, disbursement_sheet
from haicap.budget.disbursement_sheet import COLUMNS, DisbursementRow, amount_of
from haicap.budget.models import Disbursement
from haicap.budget.money import format_vnd as money_text
from haicap.core.sheet_import import NothingImported
from haicap.core.sheets import ProblemsFound
from tests.budget import disbursement_world, world

HEADERS = [c.header for c in COLUMNS]
M = world.MILLION


def rows_of(*lines):
    return [dict(zip(HEADERS, line, strict=True)) for line in lines]


def test_rows_are_read_with_their_numbers_and_headers_loosely_matched():
    headers = ["ma du an", "NĂM", " Tháng ", "Giải ngân trong tháng (đồng)"]
    rows = [
        dict(zip(headers, ["dl-gt-01", 2025, 6.0, "1.250.000.000 đ"], strict=True)),
        dict.fromkeys(headers, None),  # a blank line is no row
        dict(zip(headers, ["DL-GD-02", "2025", "7", 300_000_000], strict=True)),
    ]
    assert disbursement_sheet.parse(rows, headers) == [
        DisbursementRow(2, "DL-GT-01", 2025, 6, 1_250_000_000),
        DisbursementRow(4, "DL-GD-02", 2025, 7, 300_000_000),
    ]


def test_every_problem_names_its_row_and_column():
    lines = rows_of(
        ["", 2025, 6, 1],
        ["DL-GT-01", "25", 13, "1,5"],
        ["DL-GT-01", 2025, 6, -3],
        ["DL-GT-01", 2025, 6, 10],
    )
    _parsed, problems = disbursement_sheet.read_rows(lines, HEADERS)
    assert [(p.row, p.column, p.message) for p in problems] == [
        (2, "Mã dự án", disbursement_sheet.EMPTY),
        (3, "Năm", disbursement_sheet.NOT_YEAR),
        (3, "Tháng", disbursement_sheet.NOT_MONTH),
        (3, "Giải ngân trong tháng (đồng)", disbursement_sheet.NOT_AMOUNT),
        (4, "Giải ngân trong tháng (đồng)", disbursement_sheet.NOT_AMOUNT),
        (5, "Mã dự án", disbursement_sheet.DUPLICATE),
    ]
    assert str(problems[-1]).endswith("DL-GT-01, month 6/2025 is already on row 4")
    with pytest.raises(ProblemsFound):
        disbursement_sheet.parse(lines, HEADERS)


def test_a_missing_column_and_an_empty_sheet():
    _rows, problems = disbursement_sheet.read_rows([], HEADERS[:2])
    assert [(p.column, p.message) for p in problems] == [
        ("Tháng", disbursement_sheet.MISSING_COLUMN),
        ("Giải ngân trong tháng (đồng)", disbursement_sheet.MISSING_COLUMN),
    ]
    _rows, problems = disbursement_sheet.read_rows([], HEADERS)
    assert [p.message for p in problems] == [disbursement_sheet.NOTHING_TO_IMPORT]


@given(st.integers(0, disbursement_sheet.MAX_AMOUNT))
def test_an_amount_written_as_offices_do_reads_back(amount):
    assert amount_of(money_text(amount)) == amount
    assert amount_of(money_text(amount).replace(".", " ") + " đồng") == amount
    assert amount_of(str(amount)) == amount
    assert amount_of(float(amount)) == amount  # a number cell: exact below 2**53


@pytest.mark.parametrize("text", ["1,5", "1.25", "12.34.567", "-5", "abc", "", True, 2.5])
def test_what_is_not_whole_dong_is_refused(text):
    assert amount_of(text) is None


def test_the_words_of_the_sheet_are_in_the_catalogue():
    words = set(disbursement_import.WORDS)
    for message in (
        disbursement_sheet.MISSING_COLUMN,
        disbursement_sheet.NOTHING_TO_IMPORT,
        disbursement_sheet.NOT_YEAR,
        disbursement_sheet.NOT_MONTH,
        disbursement_sheet.NOT_AMOUNT,
        disbursement_sheet.DUPLICATE,
        disbursement_sheet.EMPTY,
    ):
        assert message in words


# --- the import, through the records -------------------------------------------------------


def workbook_bytes(*lines) -> bytes:
    book = Workbook()
    book.active.title = disbursement_sheet.TITLE
    book.active.append(HEADERS)
    for line in lines:
        book.active.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_workbook_is_imported_whole_or_refused_with_every_problem_in_the_readers_language():
    made = disbursement_world.make()
    bad = workbook_bytes(
        ["DL-GT-01", 2025, 7, "100.000.000"],
        ["DL-GT-01", 2025, 14, "5"],
    )
    with translation.override("vi"), pytest.raises(NothingImported) as refused:
        disbursement_import.import_file(made.who.do_luong, "giai-ngan.xlsx", bad)
    assert refused.value.problems == ["Dòng 3, cột “Tháng”: không phải tháng: ghi số từ 1 đến 12"]
    refused_by_records = workbook_bytes(["DL-GT-03", 2025, 7, 1], ["DL-GT-01", 2025, 7, 9_000 * M])
    with translation.override("en"), pytest.raises(NothingImported) as refused:
        disbursement_import.import_file(made.who.do_luong, "giai-ngan.xlsx", refused_by_records)
    assert refused.value.problems[0] == "Row 2: No project you may see has the code DL-GT-03."
    assert refused.value.problems[1].startswith("Row 3: From January to 7/2025")
    assert not Disbursement.objects.filter(year=2025, month=7).exists()
    good = workbook_bytes(["DL-GT-01", 2025, 7, "100.000.000"], ["dl-gt-01", 2025, 5, 1_200 * M])
    report = disbursement_import.import_file(made.who.do_luong, "giai-ngan.xlsx", good)
    assert (report.created, report.replaced, report.unchanged) == (1, 1, 0)
    with translation.override("en"):
        assert disbursement_import.summary(report)[0] == "1 month entered."


@pytest.mark.django_db
def test_a_csv_file_and_a_file_that_is_neither():
    made = disbursement_world.make()
    csv = ",".join(HEADERS) + "\nDL-GD-02,2025,7,250.000.000\n"
    disbursement_import.import_file(made.who.bach_ha, "thang7.csv", csv.encode())
    assert Disbursement.objects.get(project=made.school, month=7).amount == 250 * M
    with translation.override("en"), pytest.raises(NothingImported) as refused:
        disbursement_import.import_file(made.who.bach_ha, "thang7.pdf", b"%PDF")
    assert refused.value.problems == ["send a .csv or .xlsx file"]


@pytest.mark.django_db
def test_the_template_reads_back_as_the_import_reads_it_and_imports_nothing():
    made = disbursement_world.make()
    buffer = io.BytesIO()
    disbursement_import.template_workbook().save(buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    assert book.sheetnames == [disbursement_sheet.TITLE, disbursement_sheet.INSTRUCTIONS_TITLE]
    assert [c.value for c in book[disbursement_sheet.TITLE][1]] == HEADERS
    guide = [row for row in book[disbursement_sheet.INSTRUCTIONS_TITLE].iter_rows(values_only=True)]
    example = next(r for r in guide if r[0] == disbursement_import.EXAMPLE.code)
    assert example[:4] == ("DL-GT-01", 2025, 6, "1.250.000.000")
    with translation.override("en"), pytest.raises(NothingImported) as refused:
        disbursement_import.import_file(made.who.finance, "mau.xlsx", buffer.getvalue())
    assert refused.value.problems == ["The sheet has no rows"]
