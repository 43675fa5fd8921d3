"""The consolidated report as an Excel workbook, from plain values (pure: no Django).

Three sheets:

- the summary: each number cell (and each table's number column) with its total over the
  counted reports and how many communes gave a figure for it;
- by commune: a row per expected commune (where it stands, its report's state, whether it is
  counted, the submission counted, its address and the template version it was filed
  against), then each number's value, and a totals row equal to the summary's;
- the highlighted texts (difficulties, proposals) of each counted report.

Every figure traces back: a commune's row names the submission it was read from and its page.
Numbers stay numbers (sums and sorting work in the reader's Excel); the words come in the
reader's language from the caller.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from haicap.core.sheet_cells import BOLD, TITLE, Style, column_letter, font, new_workbook, put
from haicap.core.sheet_names import sheet_names

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

MOMENT_FORMAT = "DD/MM/YYYY HH:MM"
WIDEST = 60  # characters; a longer text wraps
HEADER_ROW = 4  # each sheet: its title, a line saying what it holds, a blank row, the headings


@dataclass(frozen=True)
class Words:
    """The workbook's words, in the reader's language."""

    title: str  # the template and the period
    scope: str  # as of when, how many reports counted
    summary: str  # the sheets' names
    by_commune: str
    highlights: str
    number: str  # headings
    key: str
    label: str
    unit: str
    total: str
    not_added: str  # in a share's total: the communes' shares do not add up
    communes_counted: str
    commune: str
    commune_code: str
    standing: str
    state: str
    counted: str
    submission: str
    submitted_at: str
    address: str
    version: str
    totals_row: str
    yes: str
    no: str


@dataclass(frozen=True)
class NumberColumn:
    key: str  # a number cell's key, or "table.column"
    label: str
    unit: str = ""
    adds_up: bool = True  # a count; a share ("%") has no total


@dataclass(frozen=True)
class TextColumn:
    key: str  # a highlighted text cell's key
    label: str


@dataclass(frozen=True)
class Total:
    value: Decimal | None  # None: no counted report gives a figure
    communes: int  # how many counted reports give one


@dataclass(frozen=True)
class CommuneLine:
    commune: str
    code: str
    standing: str
    state: str  # the report's state, or that it was never opened
    counted: bool
    submission: int | None  # the number of the submission counted (or the last one made)
    submitted_at: dt.datetime | None  # naive, in Vietnam's time
    address: str  # the submission's page (or the report's)
    version: int | None = None  # the template version the counted submission was filed against
    numbers: Mapping[str, Decimal | None] = field(default_factory=dict)  # counted only
    texts: Mapping[str, str] = field(default_factory=dict)  # the highlighted texts


def workbook(
    words: Words,
    numbers: Sequence[NumberColumn],
    totals: Mapping[str, Total],
    lines: Sequence[CommuneLine],
    texts: Sequence[TextColumn],
) -> Workbook:
    book = new_workbook()
    names = sheet_names([words.summary, words.by_commune, words.highlights])
    summary = book.active
    summary.title = names[0]
    _summary(summary, words, numbers, totals)
    _by_commune(book.create_sheet(names[1]), words, numbers, totals, lines)
    _highlights(book.create_sheet(names[2]), words, texts, lines)
    return book


def content(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary(
    sheet: Worksheet, words: Words, numbers: Sequence[NumberColumn], totals: Mapping[str, Total]
) -> None:
    _heading(
        sheet,
        words,
        [words.number, words.key, words.label, words.unit, words.total, words.communes_counted],
    )
    for line, column in enumerate(numbers, start=1):
        total = totals.get(column.key, Total(None, 0))
        shown = total.value if column.adds_up else words.not_added
        row = [line, column.key, column.label, column.unit, shown, total.communes]
        _row(sheet, HEADER_ROW + line, row)
    _finish(sheet)


def _by_commune(
    sheet: Worksheet,
    words: Words,
    numbers: Sequence[NumberColumn],
    totals: Mapping[str, Total],
    lines: Sequence[CommuneLine],
) -> None:
    fixed = [
        words.commune,
        words.commune_code,
        words.standing,
        words.state,
        words.counted,
        words.submission,
        words.submitted_at,
        words.address,
        words.version,
    ]
    _heading(sheet, words, fixed + [_number_heading(c) for c in numbers])
    at = HEADER_ROW
    for at, line in enumerate(lines, start=HEADER_ROW + 1):
        row: list[object] = [
            line.commune,
            line.code,
            line.standing,
            line.state,
            words.yes if line.counted else words.no,
            line.submission,
            line.submitted_at,
            line.address,
            line.version,
        ]
        row += [line.numbers.get(c.key) if line.counted else None for c in numbers]
        _row(sheet, at, row)
    totals_row: list[object] = [words.totals_row] + [None] * (len(fixed) - 1)
    totals_row += [
        totals.get(c.key, Total(None, 0)).value if c.adds_up else words.not_added for c in numbers
    ]
    _row(sheet, at + 1, totals_row, style=BOLD)
    _finish(sheet)


def _highlights(
    sheet: Worksheet, words: Words, texts: Sequence[TextColumn], lines: Sequence[CommuneLine]
) -> None:
    _heading(
        sheet, words, [words.commune, words.submission, words.address] + [c.label for c in texts]
    )
    counted = [line for line in lines if line.counted]
    for at, line in enumerate(counted, start=HEADER_ROW + 1):
        row = [line.commune, line.submission, line.address]
        _row(sheet, at, row + [line.texts.get(c.key, "") for c in texts], wrap=True)
    _finish(sheet)


def _number_heading(column: NumberColumn) -> str:
    return f"{column.label} ({column.unit})" if column.unit else column.label


def _heading(sheet: Worksheet, words: Words, headings: Sequence[str]) -> None:
    _put(sheet, 1, 1, words.title, style=TITLE)
    _put(sheet, 2, 1, words.scope)
    _row(sheet, HEADER_ROW, list(headings), style=BOLD)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)


def _row(
    sheet: Worksheet,
    at: int,
    values: Sequence[object],
    *,
    style: Style | None = None,
    wrap: bool = False,
) -> None:
    from openpyxl.styles import Alignment

    for column, value in enumerate(values, start=1):
        cell = _put(sheet, at, column, value, style=style)
        if wrap and isinstance(value, str):
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _put(
    sheet: Worksheet, row: int, column: int, value: object, *, style: Style | None = None
) -> Cell:
    """A cell as every workbook writes one (``core.sheet_cells.put``), but a figure not given
    left blank rather than an empty text, and a moment shown with its time."""
    if value is None:
        cell = sheet.cell(row=row, column=column)
        if style is not None:
            cell.font = font(style)
        return cell
    cell = put(sheet, row, column, value, style=style)
    if isinstance(value, dt.datetime):
        cell.number_format = MOMENT_FORMAT
    return cell


def _finish(sheet: Worksheet) -> None:
    """Each column as wide as its longest value below the title lines, up to ``WIDEST``."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=HEADER_ROW):
        for cell in row:
            if cell.value is None:
                continue
            length = 16 if isinstance(cell.value, dt.datetime) else len(str(cell.value))
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, width in widths.items():
        sheet.column_dimensions[column_letter(column)].width = min(width + 2, WIDEST)
