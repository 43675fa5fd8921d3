"""The briefing pack's Excel file: a sheet per commune named in whole words, days as date cells
shown dd/mm/yyyy, columns as wide as what they hold; and a section with nothing in it says so,
in the sheet, the PDF and the page."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle

from haicap.core import clock
from haicap.core.briefing import PackSection, Table, pack_sections
from haicap.dossiers.pdf import render
from haicap.dossiers.pdf_render import column_widths
from haicap.oversight import pack_files, selectors
from tests.conftest import client_for
from tests.oversight.conftest import DO_LUONG, at, commune
from tests.oversight.test_pages import text_of_pdf, url

pytestmark = pytest.mark.django_db


def visits(viewer, commune_ids, period):
    """Đô Lương has a table of visits (one row, one empty table); Văn Hiến has nothing."""
    do_luong = commune(DO_LUONG).pk
    return {
        do_luong: (
            Table("Các lần làm việc", ("Ngày", "Nội dung"), ((dt.date(2026, 2, 3), "Rà soát"),)),
            Table("Kiến nghị", ("Kiến nghị",), ()),
        )
    }


SECTION = PackSection("test.visits", "Làm việc trước đây", 99, visits)


def test_a_sheet_per_commune_with_dates_as_dates_and_sized_columns(people, visit):
    with clock.fixed_at(at(3, 5)), translation.override("vi"):
        pack = selectors.briefing_pack(people.secretary, visit.inspection, sections=[SECTION])
        workbook = pack_files.pack_workbook(pack)
    assert workbook.sheetnames == ["xã Đô Lương", "xã Văn Hiến"]
    sheet = workbook["xã Đô Lương"]
    rows = [[c for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(rows) if row[0].value == "Ngày")
    day = rows[header + 1][0]
    assert day.value == dt.date(2026, 2, 3) and day.number_format == "DD/MM/YYYY"
    # A: "Ngày" (4) or a date (10) → 12; B: "Nội dung" (8) → 10. Titles running across are not
    # counted.
    assert sheet.column_dimensions["A"].width == 12
    assert sheet.column_dimensions["B"].width == 10
    values = [c.value for row in rows for c in row if c.value]
    assert values.count("Không có nội dung") == 1  # the empty table of recommendations
    empty = [c.value for row in workbook["xã Văn Hiến"].iter_rows() for c in row if c.value]
    assert empty[-2:] == ["Làm việc trước đây", "Không có nội dung"]


def test_empty_sections_say_so_in_every_form_of_the_pack(people, visit):
    client = client_for(people.secretary.username)
    pack_sections.register(SECTION)
    try:
        with clock.fixed_at(at(3, 5)):
            page = client.get(url("briefing_pack", visit.inspection.pk)).content.decode()
            pdf = text_of_pdf(client.get(url("briefing_pack_pdf", visit.inspection.pk)).content)
            xlsx = client.get(url("briefing_pack_xlsx", visit.inspection.pk))
    finally:
        pack_sections.forget(SECTION)
    van_hien = page[page.index("xã Văn Hiến</h2>") :]
    section = van_hien[van_hien.index("Làm việc trước đây") :]
    assert section[: section.index("</p>")].endswith("Không có nội dung")
    assert "Không có nội dung" in pdf
    workbook = load_workbook(BytesIO(xlsx.content))
    assert workbook.sheetnames == ["xã Đô Lương", "xã Văn Hiến"]
    days = [c for row in workbook["xã Đô Lương"].iter_rows() for c in row if c.is_date]
    assert {c.number_format for c in days} == {"DD/MM/YYYY"}  # the directives' deadlines too
    assert dt.date(2026, 2, 3) in {c.value.date() for c in days}
    assert "Không có nội dung" in [
        c.value for row in workbook["xã Văn Hiến"].iter_rows() for c in row
    ]


def test_a_pack_of_no_commune_still_opens_and_says_so(visit):
    with clock.fixed_at(at(3, 5)), translation.override("vi"):
        period = selectors.pack_period(visit.inspection)
        pack = selectors.BriefingPack(inspection=visit.inspection, period=period, communes=())
        workbook = pack_files.pack_workbook(pack)
    assert len(workbook.sheetnames) == 1 and workbook.sheetnames[0].startswith("Tài liệu")
    assert "Không có nội dung" in [c.value for c in workbook.active["A"]]


STAFF_HEADER = ("Lĩnh vực", "Định mức", "Công chức hiện có", "Thiếu", "Hồ sơ/tháng", "Lý do")
LAND_REASON = (
    "Xã Đô Lương cần tối thiểu 2 công chức đất đai (mức tối thiểu của tỉnh; khoảng 1 hồ "
    "sơ/tháng) nhưng chỉ có 1, trong đó 1 người biệt phái đến từ xã Bích Hào đến 29/05/2027."
)


def staffing_pack(inspection, period, filler_rows: int) -> selectors.BriefingPack:
    """A commune whose first section's table runs ``filler_rows`` rows, then a section like
    the staffing one: its heading, its table's title, and a first row with a long reason."""
    figures = Table(
        "Chỉ tiêu",
        ("Chỉ số", "Giá trị"),
        tuple((f"Chỉ số thứ {n}", n) for n in range(1, filler_rows + 1)),
    )
    staff = Table(
        "Công chức theo lĩnh vực ngày 09/03/2026",
        STAFF_HEADER,
        (
            ("Đất đai", 2, 1, 1, Decimal("1.0"), LAND_REASON),
            *((f"Lĩnh vực {n}", 1, 1, 0, 0, "Xã Đô Lương có đủ công chức.") for n in range(6)),
        ),
    )
    parts = (
        selectors.PackPart(PackSection("test.figures", "Chỉ số", 1, visits), (figures,)),
        selectors.PackPart(PackSection("test.staff", "Nhân sự và biệt phái", 2, visits), (staff,)),
    )
    return selectors.BriefingPack(
        inspection, period, (selectors.CommunePack(commune(DO_LUONG), parts),)
    )


def test_a_sections_heading_is_printed_on_the_page_of_its_tables_first_row(visit):
    with clock.fixed_at(at(3, 5)), translation.override("vi"):
        period = selectors.pack_period(visit.inspection)
        # wherever the section falls on the page, its heading never stands alone at the foot
        for filler_rows in range(18, 48):
            pdf = render(
                pack_files.pack_document(staffing_pack(visit.inspection, period, filler_rows))
            )
            pages = [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]
            heading = next(n for n, text in enumerate(pages) if "Nhân sự và biệt phái" in text)
            assert "Đất đai" in pages[heading], (filler_rows, pages[heading][-200:])
            assert "Công chức theo lĩnh vực" in pages[heading]


def test_a_tables_long_text_column_takes_the_width_its_figures_do_not_need():
    styles = {"cell": ParagraphStyle("c", fontSize=9), "head": ParagraphStyle("h", fontSize=8)}
    rows = [["Đất đai", "2", "1", "1", "1,0", LAND_REASON]]
    widths = column_widths(STAFF_HEADER, rows, styles["cell"], styles["head"], 500)
    assert sum(widths) == pytest.approx(500)
    reason, shortfall = widths[5], widths[3]
    assert reason > 3 * shortfall  # the reason, not the one-digit gap, has the room
    assert reason > 500 / len(STAFF_HEADER) * 2
