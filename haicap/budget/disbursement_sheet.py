"""Reading a month's disbursement from a spreadsheet (pure: no Django): one row per project and
month, what it disbursed IN that month (not from January).

Headers are matched ignoring case, diacritics and extra spaces. Every problem names the row as
the spreadsheet numbers it (the header is row 1) and the column, worded in English with its
values apart (``Problem.message % Problem.params``) for the shell to say in the reader's
language. What the sheet cannot know (the project codes, the plan) the import checks against
the records (``services.disbursement``).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# an amount is read as the plan sheet reads it: whole đồng as offices write them
from haicap.budget.money import MAX_VND, format_vnd
from haicap.budget.plan_columns import amount_of
from haicap.core.sheets import EMPTY, Problem, ProblemsFound, RowCells, text_of
from haicap.core.text import search_key

TITLE = "Giải ngân"  # the template's first sheet, the one the import reads
INSTRUCTIONS_TITLE = "Hướng dẫn"
MAX_AMOUNT = MAX_VND  # đồng: beyond any one project's month, well inside a 64-bit column
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_LENGTHS = {"code": 30}

# What is wrong, in the words the problems use (the shell translates them).
MISSING_COLUMN = "the column is missing"
NOTHING_TO_IMPORT = "the sheet has no rows"
NOT_YEAR = "not a year written with four digits"
NOT_MONTH = "not a month: write a number from 1 to 12"
NOT_AMOUNT = "not a whole number of đồng from 0 to %(max)s"
DUPLICATE = "%(code)s, month %(month)d/%(year)d is already on row %(row)d"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # in Vietnamese: officials fill the sheet in
    note: str


COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã dự án", "mã dự án trong haicap, ví dụ DL-GT-01"),
    Column("year", "Năm", "bốn chữ số, ví dụ 2025"),
    Column("month", "Tháng", "từ 1 đến 12"),
    Column(
        "amount",
        "Giải ngân trong tháng (đồng)",
        "số vốn giải ngân trong tháng (không cộng dồn), số nguyên, ví dụ 1.250.000.000",
    ),
)


def header(key: str) -> str:
    return next(c.header for c in COLUMNS if c.key == key)


@dataclass(frozen=True)
class DisbursementRow:
    """One row as the sheet gives it, checked in itself."""

    row: int  # as the spreadsheet numbers it
    code: str
    year: int
    month: int
    amount: int


# --- cells ------------------------------------------------------------------------------------


def whole_of(value: object) -> int | None:
    """A whole number from a number cell or digits ("2025", 2025.0); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, int):
        return value
    text = text_of(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None


class _Row(RowCells):
    limits = MAX_LENGTHS

    def __init__(self, number: int, cells: Mapping[str, object]) -> None:
        super().__init__(cells)
        self.number = number

    def bad(self, key: str, message: str, **params: object) -> None:
        self.problems.append(Problem(TITLE, self.number, header(key), message, params))

    def given(self, key: str) -> bool:
        return bool(text_of(self.cells.get(key)))

    def year(self) -> int:
        if not self.given("year"):
            self.bad("year", EMPTY)
            return 0
        year = whole_of(self.cells.get("year"))
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            self.bad("year", NOT_YEAR)
            return 0
        return year

    def month(self) -> int:
        if not self.given("month"):
            self.bad("month", EMPTY)
            return 0
        month = whole_of(self.cells.get("month"))
        if month is None or not 1 <= month <= 12:
            self.bad("month", NOT_MONTH)
            return 0
        return month

    def amount(self) -> int:
        if not self.given("amount"):
            self.bad("amount", EMPTY)
            return 0
        amount = amount_of(self.cells.get("amount"))
        if amount is None:
            self.bad("amount", NOT_AMOUNT, max=format_vnd(MAX_AMOUNT))
            return 0
        return amount


# --- the sheet --------------------------------------------------------------------------------


def read_rows(
    rows: Iterable[Mapping[str, object]], headers: Iterable[str]
) -> tuple[list[DisbursementRow], list[Problem]]:
    """The sheet's rows and every problem in them (blank lines are passed over)."""
    by_key = {search_key(h): h for h in headers if h}
    missing = [c for c in COLUMNS if search_key(c.header) not in by_key]
    if missing:
        return [], [Problem(TITLE, 1, c.header, MISSING_COLUMN) for c in missing]
    parsed: list[DisbursementRow] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, int, int], int] = {}
    for number, raw in enumerate(rows, start=2):
        cells = {c.key: raw.get(by_key[search_key(c.header)]) for c in COLUMNS}
        if not any(text_of(v) for v in cells.values()):
            continue
        row = _Row(number, cells)
        code = row.text("code").upper()
        year, month, amount = row.year(), row.month(), row.amount()
        if code and year and month:
            key = (code, year, month)
            if key in seen:
                row.bad("code", DUPLICATE, code=code, month=month, year=year, row=seen[key])
            seen.setdefault(key, number)
        problems += row.problems
        parsed.append(DisbursementRow(number, code, year, month, amount))
    if not parsed and not problems:
        problems.append(Problem(TITLE, None, None, NOTHING_TO_IMPORT))
    return parsed, problems


def parse(rows: Iterable[Mapping[str, object]], headers: Iterable[str]) -> list[DisbursementRow]:
    """The sheet's rows, or ``ProblemsFound`` with every problem they have in themselves."""
    parsed, problems = read_rows(rows, headers)
    if problems:
        raise ProblemsFound(problems)
    return parsed


def row_cells(row: DisbursementRow) -> list[object]:
    """A row as the sheet writes it, in the columns' order."""
    return [row.code, row.year, row.month, format_vnd(row.amount)]
