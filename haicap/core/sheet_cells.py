"""Writing one cell of an Excel workbook built cell by cell (pure: no Django), so that every
workbook haicap makes writes its cells alike: text made printable (``characters.printable``)
and never taken for a formula, a day shown dd/mm/yyyy, a number kept a number for the
reader's sums and sorting. ``core.exports`` serves such workbooks as downloads; a pure module
that builds one (the consolidated report) writes it with the same ``put``."""

import datetime as dt
from typing import Any

from openpyxl.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from haicap.core.characters import printable, reads_as_formula

DATE_FORMAT = "DD/MM/YYYY"  # how Vietnam writes a day; the cell stays a date, for sorting


def put(sheet: Worksheet, row: int, column: int, value: Any, *, font: Font | None = None) -> Cell:
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
    if font is not None:
        cell.font = font
    return cell
