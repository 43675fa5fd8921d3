"""Excel exports of lists: the same rows the user filtered, nothing more."""

from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from haicap.core.characters import printable

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_EXPORT_ROWS = 100_000
FORMULA_STARTS = ("=", "+", "-", "@")
SHEET_TITLE_FORBIDDEN = set("[]:*?/\\")


def xlsx_response(
    filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    workbook = Workbook(write_only=True)
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


def _sheet_title(title: str) -> str:
    """Excel refuses some characters in a sheet's name and more than 31 of them."""
    return "".join("-" if c in SHEET_TITLE_FORBIDDEN else c for c in printable(title))[:31]


def _bold(workbook: Workbook, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(workbook.worksheets[0], value=text)
    cell.font = Font(bold=True)
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
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        cell = WriteOnlyCell(workbook.worksheets[0], value=value)
        cell.data_type = "s"
        return cell
    return value
