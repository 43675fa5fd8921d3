"""Writing one cell of an Excel workbook built cell by cell (pure: no Django), so that every
workbook haicap makes writes its cells alike: text made printable (``characters.printable``)
and never taken for a formula, a day shown dd/mm/yyyy, a number kept a number for the
reader's sums and sorting. ``core.exports`` serves such workbooks as downloads; a pure module
that builds one (the consolidated report) writes it with the same ``put``.

Type is named by a ``Style`` rather than openpyxl's ``Font``, so that a module describing a
workbook imports no openpyxl: it is imported when a workbook is made, not by every web worker.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from haicap.core.characters import printable, reads_as_formula

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell import Cell
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "DD/MM/YYYY"  # how Vietnam writes a day; the cell stays a date, for sorting


@dataclass(frozen=True)
class Style:
    """How a cell's text is set: bold, italic, a size in points (None: the sheet's own)."""

    bold: bool = False
    italic: bool = False
    size: float | None = None


BOLD = Style(bold=True)
ITALIC = Style(italic=True)
TITLE = Style(bold=True, size=13)  # a sheet's title in its first row


def new_workbook(*, write_only: bool = False) -> Workbook:
    """An empty workbook (openpyxl imported here, at the first one)."""
    from openpyxl import Workbook

    return Workbook(write_only=write_only)


def column_letter(index: int) -> str:
    """The letter of the ``index``-th column (1: "A"), as Excel names it."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


@functools.cache
def font(style: Style) -> Font:
    """openpyxl's font for ``style`` (one per style: a workbook holds each font once anyway)."""
    from openpyxl.styles import Font

    return Font(bold=style.bold, italic=style.italic, size=style.size)


def put(sheet: Worksheet, row: int, column: int, value: Any, *, style: Style | None = None) -> Cell:
    """Write ``value`` into a cell as ``core.exports.xlsx_response`` would: text printable and
    never taken for a formula, a day as a date cell shown dd/mm/yyyy, a number as a number."""
    cell = sheet.cell(row=row, column=column)
    if value is None:
        value = ""
    if isinstance(value, str):
        value = printable(value)
        cell.value = value
        if reads_as_formula(value):
            cell.data_type = "s"
    else:
        cell.value = value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        cell.number_format = DATE_FORMAT
    if style is not None:
        cell.font = font(style)
    return cell
