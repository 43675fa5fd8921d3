"""Reading the rows of a spreadsheet an official uploads, CSV (UTF-8) or Excel (.xlsx), and the
error every sheet's parser raises (pure: no Django). Importing one, all or nothing, is
``sheet_import.py``."""

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from haicap.core.characters import first_unacceptable


class UnreadableSheet(ValueError):
    pass


class SheetError(ValueError):
    """The rows a parser refuses, every problem with its line (``line 3: ...``)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a workbook: where (the sheet's title, its row, the column's header)
    and what, its message kept with its parameters so the shell words it in the reader's
    language."""

    sheet: str
    row: int | None
    column: str | None
    message: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        where = [f"sheet {self.sheet}"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message % dict(self.params)}"


# What is wrong with a cell, in the words the problems use (each app's shell translates them).
EMPTY = "empty: it is required"
TOO_LONG = "longer than %(max)d characters"
UNACCEPTABLE = "%(kind)s (U+%(code)s) at position %(position)d is not allowed here"


def text_of(value: object) -> str:
    """A cell as text: numbers Excel stored for codes lose no digit to a decimal point."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


class RowCells:
    """A row's cells (by column key) read one at a time; each parser says where a problem is
    (``bad``) and how long each text column may be (``limits``)."""

    limits: Mapping[str, int] = {}

    def __init__(self, cells: Mapping[str, object]) -> None:
        self.cells = cells
        self.problems: list[Problem] = []

    def bad(self, key: str, message: str, **params: object) -> None:
        raise NotImplementedError

    def text(self, key: str, required: bool = True) -> str:
        """The cell as text; a character haicap does not accept, an empty required cell or a
        text over the column's limit is a problem."""
        value = self.cells.get(key)
        if isinstance(value, str) and (found := first_unacceptable(value)):
            self.bad(key, UNACCEPTABLE, **found.params())
            return ""
        text = text_of(value)
        if required and not text:
            self.bad(key, EMPTY)
        limit = self.limits.get(key)
        if limit is not None and len(text) > limit:
            self.bad(key, TOO_LONG, max=limit)
        return text


class ProblemsFound(SheetError):
    """The problems that refuse a workbook's import, each with its place (``found``)."""

    def __init__(self, found: Sequence[Problem]) -> None:
        self.found = list(found)
        super().__init__([str(p) for p in self.found])


def read_rows(name: str, content: bytes) -> tuple[list[str], list[dict[str, object]]]:
    """The header and the rows of the first sheet, each row a dict by column name."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UnreadableSheet("the file is not UTF-8 text; save it as CSV UTF-8") from error
        reader = csv.DictReader(io.StringIO(text))
        rows = list(reader)
        return list(reader.fieldnames or []), rows
    if suffix == ".xlsx":
        first = _workbook(content).worksheets[0]
        sheet = _sheet(first.title, first.iter_rows(values_only=True))
        return sheet.header, sheet.rows
    raise UnreadableSheet("send a .csv or .xlsx file")


@dataclass(frozen=True)
class Sheet:
    """One sheet of rows: a worksheet of a workbook, or a CSV file (titled by its name)."""

    title: str
    header: list[str]
    rows: list[dict[str, object]]


def read_sheets(name: str, content: bytes) -> list[Sheet]:
    """Every sheet of an Excel workbook in order, or the one sheet of a CSV file, titled by the
    file's name without its suffix."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        workbook = _workbook(content)
        return [_sheet(ws.title, ws.iter_rows(values_only=True)) for ws in workbook.worksheets]
    header, rows = read_rows(name, content)
    return [Sheet(Path(name).stem, header, rows)]


def _workbook(content: bytes) -> Any:
    """The workbook openpyxl reads from ``content``."""
    # Imported here so that the parsers, pure cores that import this module, load without it.
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableSheet("the file is not a readable .xlsx workbook") from error


def _sheet(title: str, lines: Iterable[tuple[object, ...]]) -> Sheet:
    values = list(lines)
    if not values:
        return Sheet(title, [], [])
    header = [str(v).strip() if v is not None else "" for v in values[0]]
    rows = [dict(zip(header, row, strict=False)) for row in values[1:]]
    return Sheet(title, header, rows)
