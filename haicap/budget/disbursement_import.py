"""Importing disbursement from a workbook, all or nothing (``core.sheet_import``), and the
template workbook to fill in.

The sheet's own problems (``disbursement_sheet``) and what the records refuse
(``services.disbursement``) are said in the reader's language, each with its row; the desk's
import page and the API both use ``import_file``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.utils.translation import gettext, gettext_noop, ngettext

from haicap.accounts.models import User
from haicap.budget import disbursement_sheet
from haicap.budget.disbursement_sheet import (
    COLUMNS,
    INSTRUCTIONS_TITLE,
    TITLE,
    DisbursementRow,
)
from haicap.budget.services import disbursement
from haicap.core.exports import fit_columns, put
from haicap.core.sheet_cells import BOLD, ITALIC, column_letter, new_workbook
from haicap.core.sheet_import import NothingImported, import_sheet
from haicap.core.sheets import Problem, ProblemsFound, SheetError

if TYPE_CHECKING:
    from openpyxl import Workbook

# The pure rules speak English; these are their words, so that the catalogue holds them.
WORDS = (
    gettext_noop("the column is missing"),
    gettext_noop("the sheet has no rows"),
    gettext_noop("not a year written with four digits"),
    gettext_noop("not a month: write a number from 1 to 12"),
    gettext_noop("not a whole number of đồng from 0 to %(max)s"),
    gettext_noop("%(code)s, month %(month)d/%(year)d is already on row %(row)d"),
    gettext_noop("empty: it is required"),
    gettext_noop("longer than %(max)d characters"),
    gettext_noop("%(kind)s (U+%(code)s) at position %(position)d is not allowed here"),
    # what the sheet reader says of a file (haicap.core.sheets)
    gettext_noop("the file is not UTF-8 text; save it as CSV UTF-8"),
    gettext_noop("the file is not a readable .xlsx workbook"),
    gettext_noop("send a .csv or .xlsx file"),
)


def describe(problem: Problem) -> str:
    """``Dòng 5, cột “Tháng”: …`` in the active language."""
    params = dict(problem.params)
    if "kind" in params:  # a kind of character, itself a word (haicap.core.validators.KINDS)
        params["kind"] = gettext(str(params["kind"]))
    what = gettext(problem.message) % params
    if problem.row is not None and problem.column:
        where = gettext("Row %(row)d, column “%(column)s”")
    elif problem.row is not None:
        where = gettext("Row %(row)d")
    else:
        return what[:1].upper() + what[1:]
    return f"{where % {'row': problem.row, 'column': problem.column}}: {what}"


def _parse(rows: Iterable[Mapping[str, object]], header: Iterable[str]) -> list[DisbursementRow]:
    try:
        return disbursement_sheet.parse(rows, header)
    except ProblemsFound as found:
        raise SheetError([describe(p) for p in found.found]) from found


def import_file(user: User, name: str, content: bytes) -> disbursement.ImportReport:
    """Import the file's first sheet, all or nothing; ``NothingImported`` with every problem
    (translated) when refused."""

    def apply(rows: list[DisbursementRow]) -> disbursement.ImportReport:
        try:
            return disbursement.import_disbursement(user, rows)
        except disbursement.RowsRefused as refused:
            raise SheetError(list(refused.problems.values())) from refused

    try:
        return import_sheet(name, content, _parse, apply)
    except NothingImported as refused:
        problems = [gettext(p) for p in refused.problems]  # the file reader's words
        line = ngettext(
            "%(count)d problem, nothing imported: %(problems)s",
            "%(count)d problems, nothing imported: %(problems)s",
            len(problems),
        ) % {"count": len(problems), "problems": "; ".join(problems)}
        raise NothingImported(problems, line) from refused


def summary(report: disbursement.ImportReport) -> list[str]:
    return [
        ngettext("%(count)d month entered.", "%(count)d months entered.", report.created)
        % {"count": report.created},
        ngettext("%(count)d month replaced.", "%(count)d months replaced.", report.replaced)
        % {"count": report.replaced},
        ngettext(
            "%(count)d month already as the sheet says.",
            "%(count)d months already as the sheet says.",
            report.unchanged,
        )
        % {"count": report.unchanged},
    ]


# --- the template ---------------------------------------------------------------------------

TEMPLATE_FILENAME = "mau-nhap-giai-ngan.xlsx"
INSTRUCTIONS = (
    "Mẫu nhập số liệu giải ngân vốn đầu tư công vào haicap: trang “Giải ngân” (trang đầu), mỗi "
    "dòng một dự án trong một tháng; giữ nguyên dòng tiêu đề.",
    "Số vốn ghi là số giải ngân TRONG tháng (không cộng dồn từ đầu năm), bằng đồng, số nguyên.",
    "Nhập lại một tháng đã có: số mới thay số cũ (haicap ghi lại cả số cũ và số mới).",
    "Không nhập tháng chưa đến; năm phải có kế hoạch vốn năm. Lũy kế giải ngân từ đầu năm "
    "không được vượt kế hoạch vốn còn hiệu lực cuối tháng.",
    "Nhập tất cả hoặc không nhập gì: nếu có dòng sai, haicap nêu lỗi của từng dòng và không "
    "ghi gì.",
    "Mã dự án: xem danh sách dự án trên haicap (Vốn đầu tư › Dự án).",
)
EXAMPLE = DisbursementRow(0, "DL-GT-01", 2025, 6, 1_250_000_000)


def template_workbook() -> Workbook:
    """The workbook to fill in: the disbursement sheet first, with its headers only (importing
    the template as it comes imports nothing), then the instructions with an example row."""
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = TITLE
    for index, column in enumerate(COLUMNS, start=1):
        put(sheet, 1, index, column.header, style=BOLD)
        # what is typed below stays text: a code keeps its leading zeros
        sheet.column_dimensions[column_letter(index)].number_format = "@"
    fit_columns(sheet)
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet(INSTRUCTIONS_TITLE)
    put(guide, 1, 1, "Hướng dẫn nhập số liệu giải ngân", style=BOLD)
    for line, text in enumerate(INSTRUCTIONS, start=3):
        put(guide, line, 1, f"{line - 2}. {text}")
    line = len(INSTRUCTIONS) + 4
    put(guide, line, 1, f"Trang “{TITLE}”: ví dụ", style=BOLD)
    for index, column in enumerate(COLUMNS, start=1):
        put(guide, line + 1, index, column.header, style=BOLD)
        put(guide, line + 2, index, column.note, style=ITALIC)
        put(guide, line + 3, index, disbursement_sheet.row_cells(EXAMPLE)[index - 1])
    fit_columns(guide, skip_rows=[1, *range(3, 3 + len(INSTRUCTIONS)), line])
    return workbook
