"""Importing who works where from files, all or nothing, and the template workbook to fill in.

``import_files`` reads every sheet of the files given (one workbook, or a CSV file a sheet),
parses them (``staff_sheet``), looks up what every row names and applies them
(``services.import_staff``) in one transaction; or refuses them whole with ``NothingImported``,
every problem of every row and sheet at once, said in the reader's language with its sheet, row
and column. The desk's import page and ``manage.py import_staff`` both use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from haicap.accounts.models import User
from haicap.core import clock
from haicap.core.exports import fit_columns, put
from haicap.core.ordering import in_vietnamese_order
from haicap.core.restricted import Viewer
from haicap.core.sheet_cells import BOLD, ITALIC, column_letter, new_workbook
from haicap.core.sheet_import import NothingImported
from haicap.core.sheets import Sheet, UnreadableSheet, read_sheets
from haicap.staffing import services, staff_sheet
from haicap.staffing.models import StaffField
from haicap.staffing.norms import Basis
from haicap.staffing.sheet_words import file_problem
from haicap.staffing.staff_sheet import (
    AGENCY_CODES_TITLE,
    COLUMNS,
    FIELD_CODES_TITLE,
    INSTRUCTIONS_TITLE,
    ORDER,
    TITLES,
    Column,
    Kind,
    NormRow,
    OfficerRow,
    Place,
)
from haicap.units.models import Agency

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


def refused(problems: list[str]) -> NothingImported:
    line = ngettext(
        "%(count)d problem, nothing imported: %(problems)s",
        "%(count)d problems, nothing imported: %(problems)s",
        len(problems),
    ) % {"count": len(problems), "problems": " ".join(problems)}
    return NothingImported(problems, line)


def read_files(files: Sequence[tuple[str, bytes]]) -> list[Sheet]:
    """Every sheet of the files (name, content), or ``NothingImported`` for those unread."""
    sheets: list[Sheet] = []
    problems: list[str] = []
    for name, content in files:
        try:
            sheets.extend(read_sheets(name, content))
        except UnreadableSheet as error:
            problems.append(file_problem(name, str(error)))
    if problems:
        raise refused(problems)
    return sheets


def import_files(actor: User | None, files: Sequence[tuple[str, bytes]]) -> services.ImportReport:
    """Import the files' sheets, all or nothing (see the module)."""
    sheets = read_files(files)
    workbook, problems = staff_sheet.read_workbook(sheets, clock.now().date())
    try:
        with transaction.atomic():
            return services.import_staff(actor, workbook, problems)
    except services.StaffImportRefused as error:
        raise refused(error.problems) from error


def summary(report: services.ImportReport) -> list[str]:
    """One line a sheet: how many rows were created, updated and already so."""
    names = {
        Kind.POSITIONS: _("Positions"),
        Kind.OFFICERS: pgettext("the list of officers", "Officers"),
        Kind.NORMS: _("Norms"),
        Kind.TRAVEL: _("Travel times"),
    }
    return [
        _(
            "%(sheet)s (sheet “%(title)s”): %(created)d created, %(updated)d updated, "
            "%(unchanged)d unchanged."
        )
        % {
            "sheet": names[kind],
            "title": report.titles.get(kind, ""),
            "created": counts.created,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
        }
        for kind, counts in report.counts.items()
    ]


# --- the template ---------------------------------------------------------------------------

TEMPLATE_FILENAME = "mau-nhap-nhan-su.xlsx"
EXAMPLE_PLACE = Place("", 0)
EXAMPLES: dict[Kind, list[list[str]]] = {
    Kind.POSITIONS: [
        ["17662.03.H40", "DATDAI", "Chuyên viên", "2"],
        ["17662.05.H40", "CNTT", "Chuyên viên", "1"],
    ],
    Kind.NORMS: [
        [
            *staff_sheet.norm_cells(
                NormRow(EXAMPLE_PLACE, "DATDAI", "", Basis.WORKLOAD, 0, 60, 1, "Ví dụ minh họa")
            ).values()
        ],
        [
            *staff_sheet.norm_cells(
                NormRow(EXAMPLE_PLACE, "CNTT", "", Basis.FIXED, 1, 0, 0, "Ví dụ minh họa")
            ).values()
        ],
    ],
    Kind.TRAVEL: [["17662", "17707", "25"]],
}
EXAMPLE_OFFICERS = (
    OfficerRow(
        EXAMPLE_PLACE,
        staff_number="NA-000123",
        full_name="Nguyễn Văn An",
        agency="17662.03.H40",
        post_field="DATDAI",
        post_grade="Chuyên viên",
        qualifications=("DATDAI", "XAYDUNG"),
        grade="Chuyên viên",
        experience_years=6,
        in_post_since=dt.date(2025, 7, 1),
    ),
    OfficerRow(
        EXAMPLE_PLACE,
        staff_number="NA-000124",
        full_name="Trần Thị Bình",
        agency="17662.05.H40",
        post_field="CNTT",
        post_grade="Chuyên viên",
        qualifications=("CNTT",),
        grade="Chuyên viên",
        experience_years=3,
        in_post_since=dt.date(2025, 7, 1),
        desk_posting_from=dt.date(2025, 7, 1),
        desk_posting_until=dt.date(2027, 6, 30),
    ),
)
EXAMPLES[Kind.OFFICERS] = [list(staff_sheet.officer_cells(o).values()) for o in EXAMPLE_OFFICERS]

INSTRUCTIONS = (
    "Mẫu nhập dữ liệu nhân sự vào haicap: bốn trang, có thể nhập cùng lúc hoặc từng trang.",
    "Mỗi trang được nhận ra theo tên cột (không theo tên trang); giữ nguyên dòng tiêu đề.",
    "Nhập tất cả hoặc không nhập gì: nếu có dòng sai, haicap nêu từng lỗi (trang, dòng, cột) "
    "và không ghi gì.",
    "Vị trí việc làm được nhập trước cán bộ: vị trí của mỗi cán bộ (cơ quan, lĩnh vực, ngạch) "
    "phải có trên trang Vị trí việc làm hoặc đã có trong haicap.",
    "Nhập lại: cán bộ được cập nhật theo số hiệu; vị trí theo cơ quan, lĩnh vực và ngạch; định "
    "mức theo lĩnh vực và nơi áp dụng; thời gian di chuyển theo cặp đơn vị.",
    "Tài khoản, số CCCD, số điện thoại để trống: giữ thông tin đã có. Ngày làm Một cửa để "
    "trống: không làm Một cửa.",
    "Ngày viết dd/mm/yyyy. Căn cứ định mức: cố định hoặc khối lượng.",
    "Các ví dụ dưới đây chỉ để minh họa; điền dữ liệu vào các trang sau.",
)


def column_note(column: Column) -> str:
    """What to write in a column and whether it may be left out or empty, for the template."""
    if not column.required:
        needed = "có thể bỏ cột, để trống ô"
    elif column.blank_cells:
        needed = "cột bắt buộc, ô có thể để trống"
    else:
        needed = "bắt buộc"
    return f"{column.note} ({needed})" if column.note else needed


def template_workbook(user: Viewer | None = None) -> Workbook:
    """The workbook to fill in: a sheet of instructions, with each sheet's columns, what to write
    in them and example rows, then the four sheets with their headers only (so that importing
    the template as it comes imports nothing), and the codes to write: the staff fields', and
    the agencies' of the units in force (those ``user`` sees)."""
    workbook = new_workbook()
    guide = workbook.active
    guide.title = INSTRUCTIONS_TITLE
    put(guide, 1, 1, "Hướng dẫn nhập nhân sự", style=BOLD)
    for line, text in enumerate(INSTRUCTIONS, start=3):
        put(guide, line, 1, f"{line - 2}. {text}")
    line = len(INSTRUCTIONS) + 4
    titles = [1, *range(3, 3 + len(INSTRUCTIONS))]
    for kind in ORDER:
        put(guide, line, 1, f"Trang “{TITLES[kind]}”: ví dụ", style=BOLD)
        titles.append(line)
        for index, column in enumerate(COLUMNS[kind], start=1):
            put(guide, line + 1, index, column.header, style=BOLD)
            note = column_note(column)
            put(guide, line + 2, index, note, style=ITALIC)
        for row, values in enumerate(EXAMPLES[kind], start=line + 3):
            for index, value in enumerate(values, start=1):
                put(guide, row, index, value)
        line += len(EXAMPLES[kind]) + 4
    fit_columns(guide, skip_rows=titles)
    for kind in ORDER:
        sheet = workbook.create_sheet(TITLES[kind])
        for index, column in enumerate(COLUMNS[kind], start=1):
            put(sheet, 1, index, column.header, style=BOLD)
            # what is typed below stays text: a code keeps its leading zeros
            sheet.column_dimensions[column_letter(index)].number_format = "@"
        fit_columns(sheet)
        sheet.freeze_panes = "A2"
    _code_sheet(
        workbook.create_sheet(FIELD_CODES_TITLE),
        ["Mã lĩnh vực", "Tên lĩnh vực"],
        [[f.code, f.name] for f in StaffField.objects.order_by("code")],
    )
    agencies = Agency.objects.restrict(user) if user is not None else Agency.objects.all()
    agencies = in_vietnamese_order(
        agencies.filter(unit__valid_to=None).select_related("unit"),
        "-unit__tier",
        "unit__name",
        "name",
    )
    _code_sheet(
        workbook.create_sheet(AGENCY_CODES_TITLE),
        ["Mã cơ quan", "Tên cơ quan", "Đơn vị hành chính", "Bộ phận Một cửa"],
        [[a.code, a.name, a.unit.full_name, "có" if a.is_one_stop_desk else ""] for a in agencies],
    )
    return workbook


def _code_sheet(sheet: Worksheet, headers: list[str], rows: list[list[str]]) -> None:
    """A list of codes to copy from, headed in bold, its header frozen."""
    for index, text in enumerate(headers, start=1):
        put(sheet, 1, index, text, style=BOLD)
    for line, values in enumerate(rows, start=2):
        for index, value in enumerate(values, start=1):
            put(sheet, line, index, value)
    fit_columns(sheet)
    sheet.freeze_panes = "A2"
