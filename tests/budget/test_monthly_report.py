"""The monthly report, read back: the Excel workbook's sheets and cells (figures as numbers) and
the PDF's text (title, the day it was made, the tables), for the province and for an investor."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from haicap.budget import monthly_report, rates
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from tests.budget import disbursement_world, world

pytestmark = pytest.mark.django_db
M = world.MILLION
REPORT = "/desk/von-dau-tu/giai-ngan/bao-cao"
JUNE = {"year": 2025, "month": 6}
MADE = dt.datetime(2025, 7, 8, 10, 0, tzinfo=VIETNAM)


def workbook(user, language="en"):
    with clock.fixed_at(MADE):
        answer = world.signed_in(user, language).get(f"{REPORT}.xlsx", JUNE)
    assert answer.status_code == 200
    assert "bao-cao-giai-ngan-2025-06.xlsx" in answer["Content-Disposition"]
    return load_workbook(io.BytesIO(answer.content))


def table(sheet) -> list[tuple]:
    """The rows under the headings (row 5), as values."""
    return [row for row in sheet.iter_rows(min_row=6, values_only=True) if any(row)]


def test_the_workbook_has_a_sheet_per_table_with_figures_as_numbers():
    made = disbursement_world.make()
    book = workbook(made.who.finance)
    assert book.sheetnames == [
        "Summary",
        "By investor",
        "By investing commune",
        "By location",
        "By field",
        "By investor's level",
        "Projects",
        "Behind the pace",
    ]
    summary = book["Summary"]
    assert summary["A1"].value == (
        "Report on the disbursement of public-investment capital, month 6/2025"
    )
    assert summary["A3"].value == "Made on 08/07/2025"
    facts = {label: value for label, value in table(summary)}
    assert facts["Plan in force at the month's end (VND)"] == 28_000 * M
    assert facts["Disbursed from January (VND)"] == 8_500 * M
    assert Decimal(str(facts["Share disbursed (%)"])) == Decimal("30.36")
    assert facts["Projects behind the pace"] == 3
    assert book["By investor's level"]["B5"].value == "Investor's level"
    levels = table(book["By investor's level"])
    # level, projects, plan, disbursed, share, expected, pace — the total last
    assert levels[0][1:5] == ("Province", 1, 12_000 * M, 3_000 * M)
    assert levels[1][1:5] == ("Commune", 2, 15_000 * M, 5_500 * M)
    assert levels[2][1:5] == ("No investor", 1, 1_000 * M, 0)
    assert levels[-1][2:5] == (4, 28_000 * M, 8_500 * M)
    projects = table(book["Projects"])
    assert [row[1] for row in projects[:-1]] == ["DL-GD-02", "DL-GT-01", "DL-GT-03", "DL-VH-04"]
    behind = table(book["Behind the pace"])
    assert [row[1] for row in behind] == ["DL-VH-04", "DL-GT-03", "DL-GT-01"]
    assert behind[0][3] == "No investor yet"


def test_an_investors_workbook_holds_its_own_projects():
    made = disbursement_world.make()
    book = workbook(made.who.bach_ha, "vi")
    assert book.sheetnames[0] == "Tổng hợp"
    projects = table(book[book.sheetnames[6]])
    assert [row[1] for row in projects[:-1]] == ["DL-GD-02"]
    assert table(book[book.sheetnames[7]]) == []  # the school keeps the pace


def pdf_text(user, language="vi") -> str:
    with clock.fixed_at(MADE):
        answer = world.signed_in(user, language).get(f"{REPORT}.pdf", JUNE)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_is_titled_dated_and_holds_the_tables():
    made = disbursement_world.make()
    text = pdf_text(made.who.finance)
    flat = " ".join(text.split())
    assert "BÁO CÁO TÌNH HÌNH GIẢI NGÂN VỐN ĐẦU TƯ CÔNG THÁNG 6/2025" in flat
    assert "Lập ngày 08/07/2025" in flat
    assert "ỦY BAN NHÂN DÂN" in flat
    for code in ("DL-GT-01", "DL-GD-02", "DL-GT-03", "DL-VH-04"):
        assert code in flat
    assert "28.000.000.000" in flat and "8.500.000.000" in flat and "30,36" in flat
    # disbursement is per project: grouped by the investor's level, not the budget level
    assert "Theo cấp của chủ đầu tư" in flat and "Chưa có chủ đầu tư" in flat
    assert "Cấp ngân sách" not in flat


def test_an_investors_pdf_holds_its_own_projects():
    made = disbursement_world.make()
    flat = " ".join(pdf_text(made.who.do_luong).split())
    assert "DL-GT-01" in flat and "DL-GD-02" not in flat and "DL-GT-03" not in flat


def test_a_share_above_the_plan_is_grouped_and_flagged_in_the_report():
    made = disbursement_world.make()
    disbursement_world.disburse(made, "school", 6, 5_000_000)  # far above its 5,000 million
    flat = " ".join(pdf_text(made.who.finance).split())
    assert "100.050,00" in flat and "Vượt kế hoạch" in flat
    book = workbook(made.who.finance)
    school = next(row for row in table(book["Projects"]) if row[1] == "DL-GD-02")
    assert Decimal(str(school[6])) == Decimal("100050.00") and school[8] == "Above plan"
    cell = book["Projects"].cell(row=6, column=7)  # the school is the first project
    assert cell.number_format == "#,##0.00"
    facts = {label: value for label, value in table(book["Summary"])}
    assert facts["Projects above their plan in force"] == 1
    assert facts["Projects behind the pace"] == 3


def test_the_report_says_stt_and_the_plan_in_force_at_the_months_end():
    made = disbursement_world.make()
    flat = " ".join(pdf_text(made.who.finance).split())
    assert "STT" in flat and "hiện hành" not in flat
    assert "Kế hoạch vốn còn hiệu lực đến cuối tháng 6/2025 (đồng)" in flat
    english = " ".join(pdf_text(made.who.finance, "en").split())
    assert "Plan in force at the end of month 6/2025 (VND)" in english
    assert "28.000.000.000" in english and "28,000,000,000" not in english
    book = workbook(made.who.finance)
    assert book["Projects"]["E5"].value == "Plan in force at the end of month 6/2025 (VND)"


def test_the_pdfs_amounts_and_shares_are_set_to_the_right():
    made = disbursement_world.make()
    month = rates.month_rates(made.who.finance, 2025, 6)
    with translation.override("vi"):
        blocks = monthly_report.report_document(month, "", MADE.date()).blocks
    by_title = {block.headings[0].text.split(". ", 1)[1]: block for block in blocks}
    # STT, code, project, investor | plan, disbursed, share, expected | pace
    assert by_title["Dự án"].figures == {4, 5, 6, 7}
    # STT, group | projects, plan, disbursed, share, expected | pace
    assert by_title["Theo chủ đầu tư"].figures == {2, 3, 4, 5, 6}
