"""Excel exports of lists: the same rows the user filtered, nothing more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse

from haicap.core.characters import printable, reads_as_formula
from haicap.core.sheet_cells import (
    BOLD,
    TITLE,
    column_letter,
    font,
    new_workbook,
    put,  # the apps' workbooks write their cells with it
)
from haicap.core.sheet_names import sheet_names

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_EXPORT_ROWS = 100_000
WIDEST_COLUMN = 60  # characters; longer text wraps in the reader's Excel rather than the sheet


def xlsx_response(
    filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    workbook = new_workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.append([_bold(workbook, printable(str(h))) for h in headers])
    for count, row in enumerate(rows):
        if count >= MAX_EXPORT_ROWS:
            break
        sheet.append([_cell(workbook, value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def titled_xlsx_response(
    filename: str,
    sheet_title: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> HttpResponse:
    """A list as a sheet headed by ``title`` (what it is and as of when), its column headings
    below in bold and frozen, days shown dd/mm/yyyy and the columns sized to their contents:
    for the short lists a reader prints or files (a plan, the secondments in effect)."""
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_title)
    put(sheet, 1, 1, title, style=TITLE)
    for column, heading in enumerate(headers, start=1):
        put(sheet, 2, column, str(heading), style=BOLD)
    for line, row in enumerate(rows, start=3):
        if line - 3 >= MAX_EXPORT_ROWS:
            break
        for column, value in enumerate(row, start=1):
            put(sheet, line, column, value)
    sheet.freeze_panes = "A3"
    fit_columns(sheet, skip_rows=(1,))
    return workbook_response(filename, workbook)


def _sheet_title(title: str) -> str:
    """Excel refuses some characters in a sheet's name and more than 31 of them: shortened on
    a word (``sheet_names``)."""
    return sheet_names([title])[0]


def workbook_response(filename: str, workbook: Workbook) -> HttpResponse:
    """A workbook built cell by cell (``put``), as a download."""
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def fit_columns(sheet: Worksheet, skip_rows: Iterable[int] = ()) -> None:
    """Size each column to its longest value (up to ``WIDEST_COLUMN`` characters), leaving out
    ``skip_rows``: titles that run across the empty columns beside them."""
    skipped = set(skip_rows)
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.row in skipped or cell.value in (None, ""):
                continue
            length = 10 if isinstance(cell.value, dt.date) else len(str(cell.value))
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, width in widths.items():
        sheet.column_dimensions[column_letter(column)].width = min(width + 2, WIDEST_COLUMN)


def _bold(workbook: Workbook, text: str) -> WriteOnlyCell:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(workbook.worksheets[0], value=text)
    cell.font = font(BOLD)
    return cell


def _cell(workbook: Workbook, value: Any) -> Any:
    """A value as a cell; text starting like a formula is kept as text, never evaluated.

    Text is made printable: one control character stored in a name (XML cannot hold it) would
    otherwise fail the whole export.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        value = printable(value)
    if isinstance(value, str) and reads_as_formula(value):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(workbook.worksheets[0], value=value)
        cell.data_type = "s"
        return cell
    return value
