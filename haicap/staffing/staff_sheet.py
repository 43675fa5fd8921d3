"""Reading who works where from spreadsheets (pure: no Django).

Four sheets, in one workbook or as separate files, each known by its columns (the sheet's name
does not matter; the template workbook's ``Hướng dẫn`` sheet of instructions is passed over):

- positions: an agency's posts of a field and grade and how many are approved (the quota);
- officers: one a row, by staff number; their post is the position of their agency, field and
  grade, which must exist (on the positions sheet of the same import, or already in haicap);
- norms: how many officers of a field every commune, one commune or one provincial agency needs,
  a fixed number or one derived from the workload;
- travel times: the minutes between two units, either way.

Headers are matched ignoring case, diacritics and extra spaces. Every problem names the sheet,
the row as the spreadsheet numbers it (the header is row 1) and the column; a workbook with any
problem is refused whole. ``read_workbook`` keeps every row, a row with problems too (its
``flawed`` columns named), so that the import can also look up what the row's other cells name
and report every problem of every row in one go. Problems are worded in English with their
values apart (``Problem.message % Problem.params``), so the shell says them in the reader's
language.

The officer's optional columns: an absent or empty account, citizen ID or phone keeps what haicap
holds (the personnel system that exports the sheet does not know haicap's accounts); the desk
posting dates, when their columns are there, are the posting: empty means not on a desk.
"""

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from haicap.core.sheets import (
    EMPTY,
    Problem,
    ProblemsFound,
    RowCells,
    Sheet,
    text_of,
)
from haicap.core.text import search_key
from haicap.dossiers.applicant import citizen_id_problem, phone_problem
from haicap.staffing.norms import Basis


class Kind(StrEnum):
    POSITIONS = "positions"
    OFFICERS = "officers"
    NORMS = "norms"
    TRAVEL = "travel"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as the template heads it, in Vietnamese: officials fill the sheets in
    required: bool = True  # the column must be there
    note: str = ""  # what to write, for the template's instructions
    blank_cells: bool = False  # a required column whose cells may be left empty


COLUMNS: dict[Kind, tuple[Column, ...]] = {
    Kind.POSITIONS: (
        Column("agency", "Mã cơ quan", note="mã cơ quan, ví dụ 17662.03.H40"),
        Column("field", "Mã lĩnh vực", note="mã lĩnh vực chuyên môn, ví dụ DATDAI"),
        Column("grade", "Ngạch", note="ví dụ Chuyên viên"),
        Column("approved", "Số biên chế được giao", note="số nguyên, 0 trở lên"),
    ),
    Kind.OFFICERS: (
        Column("staff_number", "Số hiệu cán bộ", note="duy nhất; nhập lại thì cập nhật"),
        Column("full_name", "Họ và tên"),
        Column("agency", "Mã cơ quan", note="cơ quan nơi công tác"),
        Column("post_field", "Lĩnh vực vị trí", note="mã lĩnh vực của vị trí việc làm"),
        Column("post_grade", "Ngạch vị trí", note="ngạch của vị trí việc làm"),
        Column(
            "qualifications",
            "Lĩnh vực chuyên môn",
            note="các mã lĩnh vực, cách nhau bởi dấu ; hoặc dấu ,",
            blank_cells=True,
        ),
        Column("grade", "Ngạch"),
        Column("experience_years", "Số năm kinh nghiệm", note="số nguyên"),
        Column("in_post_since", "Giữ vị trí từ ngày", note="dd/mm/yyyy, không sau hôm nay"),
        Column(
            "desk_posting_from",
            "Làm Một cửa từ ngày",
            required=False,
            note="dd/mm/yyyy; chỉ cho cơ quan có bộ phận Một cửa",
        ),
        Column("desk_posting_until", "Làm Một cửa đến ngày", required=False, note="dd/mm/yyyy"),
        Column(
            "account",
            "Tài khoản haicap",
            required=False,
            note="tên đăng nhập; để trống: giữ liên kết đã có",
        ),
        Column("citizen_id", "Số CCCD", required=False, note="12 chữ số; để trống: giữ số đã có"),
        Column("phone", "Số điện thoại", required=False, note="để trống: giữ số đã có"),
    ),
    Kind.NORMS: (
        Column("field", "Mã lĩnh vực"),
        Column(
            "applies_to",
            "Áp dụng cho",
            note="mã xã, hoặc mã cơ quan cấp tỉnh; để trống: mọi xã",
            blank_cells=True,
        ),
        Column("basis", "Căn cứ", note="cố định hoặc khối lượng"),
        Column("count", "Số cán bộ", required=False, note="định mức cố định"),
        Column(
            "dossiers_per_officer_month",
            "Hồ sơ một cán bộ giải quyết mỗi tháng",
            required=False,
            note="định mức theo khối lượng",
        ),
        Column(
            "minimum",
            "Tối thiểu",
            required=False,
            note="định mức theo khối lượng: không ít hơn",
        ),
        Column("note", "Ghi chú", required=False, note="nguồn, căn cứ"),
    ),
    Kind.TRAVEL: (
        Column("one", "Mã đơn vị thứ nhất", note="mã xã, phường hoặc tỉnh"),
        Column("other", "Mã đơn vị thứ hai"),
        Column("minutes", "Số phút", note="thời gian đi lại, chiều nào cũng vậy"),
    ),
}
# The sheet names the template gives; an import knows a sheet by its columns, not its name.
TITLES = {
    Kind.POSITIONS: "Vị trí việc làm",
    Kind.OFFICERS: "Cán bộ",
    Kind.NORMS: "Định mức",
    Kind.TRAVEL: "Thời gian di chuyển",
}
INSTRUCTIONS_TITLE = "Hướng dẫn"
# The template's sheets of codes to look up (staff fields, agencies), passed over like the
# instructions unless their columns are one of the four sheets'.
FIELD_CODES_TITLE = "Mã lĩnh vực"
AGENCY_CODES_TITLE = "Mã cơ quan"
GUIDE_TITLES = (INSTRUCTIONS_TITLE, FIELD_CODES_TITLE, AGENCY_CODES_TITLE)
# The one column that tells each sheet from the others.
MARK = {
    Kind.POSITIONS: "approved",
    Kind.OFFICERS: "staff_number",
    Kind.NORMS: "basis",
    Kind.TRAVEL: "minutes",
}
# The order an import applies them in: an officer's position may come in the same import.
ORDER = (Kind.POSITIONS, Kind.OFFICERS, Kind.NORMS, Kind.TRAVEL)

BASIS_WORDS = {
    "co dinh": Basis.FIXED,
    "fixed": Basis.FIXED,
    "khoi luong": Basis.WORKLOAD,
    "khoi luong cong viec": Basis.WORKLOAD,
    "workload": Basis.WORKLOAD,
}
BASIS_TEXT = {Basis.FIXED: "cố định", Basis.WORKLOAD: "khối lượng"}
QUALIFICATION_SEPARATORS = re.compile(r"[;,]")
_DAY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
FIRST_YEAR, LAST_YEAR = 1900, 2100
SMALL = 32767  # the largest count a small-integer column holds
UNIT_CODE_WIDTH = 5  # a commune's code has five digits (Decision 19/2025/QĐ-TTg)
MAX_LENGTHS = {
    "staff_number": 30,
    "full_name": 150,
    "grade": 60,
    "post_grade": 60,
    "account": 150,
    "note": 300,
    "agency": 40,
    "field": 20,
    "post_field": 20,
    "applies_to": 40,
    "one": 10,
    "other": 10,
}

# What is wrong, in the words the problems use (the shell translates them).
MISSING_COLUMN = "the column is missing"
UNKNOWN_SHEET = "its columns are not those of any of the four sheets (see the template)"
SECOND_SHEET = "a second sheet of %(kind)s; the first is %(first)s"
NO_SHEET = "none of the four sheets is there (see the template)"
NOTHING_TO_IMPORT = "the sheets have no rows"
NOT_WHOLE = "not a whole number from %(low)d to %(high)d"
NOT_A_DAY = "not a date written dd/mm/yyyy"
DUPLICATE = "%(value)s is already on row %(row)d"
IN_THE_FUTURE = "a day after today (%(today)s)"
UNTIL_WITHOUT_FROM = "a posting that ends needs the day it began"
UNTIL_BEFORE_FROM = "the posting ends before it begins"
UNKNOWN_BASIS = "write cố định (fixed) or khối lượng (workload)"
NO_DOSSIERS_PER_OFFICER = (
    "a workload norm needs the dossiers one officer handles a month (1 or more)"
)
SAME_UNIT = "the two units are the same"
# ... and the citizen ID and phone rules' own words (haicap.dossiers.applicant).

KIND_NAMES = {
    Kind.POSITIONS: "positions",
    Kind.OFFICERS: "officers",
    Kind.NORMS: "norms",
    Kind.TRAVEL: "travel times",
}


class StaffSheetError(ProblemsFound):
    """The problems that refuse a staff import."""


@dataclass(frozen=True)
class Place:
    """Where a row came from, so that what the database refuses names it too."""

    sheet: str
    row: int

    def problem(self, kind: Kind, key: str, message: str, /, **params: object) -> Problem:
        return Problem(self.sheet, self.row, header(kind, key), message, params)


@dataclass(frozen=True)
class PositionRow:
    at: Place
    agency: str
    field: str
    grade: str
    approved: int
    # the columns with a problem: the import looks nothing up in them
    flawed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class OfficerRow:
    at: Place
    staff_number: str
    full_name: str
    agency: str
    post_field: str
    post_grade: str
    qualifications: tuple[str, ...]
    grade: str
    experience_years: int
    in_post_since: dt.date
    # None for both when the sheet has no desk posting columns: the posting stays as it is
    desk_posting_given: bool = False
    desk_posting_from: dt.date | None = None
    desk_posting_until: dt.date | None = None
    account: str = ""  # "" keeps the link haicap holds
    citizen_id: str = ""  # "" keeps what haicap holds
    phone: str = ""  # "" keeps what haicap holds
    # the columns with a problem: the import looks nothing up in them
    flawed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class NormRow:
    at: Place
    field: str
    applies_to: str  # a commune's code, a provincial agency's code, or "" for every commune
    basis: Basis
    count: int
    dossiers_per_officer_month: int
    minimum: int
    note: str
    # the columns with a problem: the import looks nothing up in them
    flawed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TravelRow:
    at: Place
    one: str
    other: str
    minutes: int
    # the columns with a problem: the import looks nothing up in them
    flawed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class StaffWorkbook:
    """What the sheets hold, checked row by row; each kind with the title of its sheet."""

    positions: tuple[PositionRow, ...] = ()
    officers: tuple[OfficerRow, ...] = ()
    norms: tuple[NormRow, ...] = ()
    travel: tuple[TravelRow, ...] = ()
    titles: Mapping[Kind, str] = field(default_factory=dict)


def header(kind: Kind, key: str) -> str:
    return next(c.header for c in COLUMNS[kind] if c.key == key)


def _key(text: object) -> str:
    return search_key(str(text or ""))


def kind_of(sheet_header: Iterable[str]) -> Kind | None:
    """Which of the four sheets has these columns: the one whose mark column is among them."""
    present = {_key(h) for h in sheet_header}
    for kind in ORDER:
        if _key(header(kind, MARK[kind])) in present:
            return kind
    return None


def is_instructions(sheet: Sheet) -> bool:
    """One of the template's sheets to read, not import: its instructions, its lists of codes."""
    guide = _key(sheet.title) in {_key(title) for title in GUIDE_TITLES}
    return guide and kind_of(sheet.header) is None


def day_of(value: object) -> dt.date | None:
    """A day from a date cell, or text written dd/mm/yyyy (or yyyy-mm-dd); None if it is not."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = text_of(value)
        found = _DAY.match(text)
        iso = _ISO_DAY.match(text)
        try:
            if found:
                day = dt.date(int(found[3]), int(found[2]), int(found[1]))
            elif iso:
                day = dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
            else:
                return None
        except ValueError:
            return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def whole_number(value: object, high: int) -> int | None:
    """A whole number from 0 to ``high``, from a number cell or text ("3", "3.0" from Excel)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        number = int(value) if value.is_integer() else None
    elif isinstance(value, int):
        number = value
    else:
        text = text_of(value)
        number = int(text) if text.isascii() and text.isdigit() else None
    return number if number is not None and 0 <= number <= high else None


def codes_of(text: str) -> tuple[str, ...]:
    """Field codes separated by ";" or ",", each once, in the order written."""
    codes = (part.strip().upper() for part in QUALIFICATION_SEPARATORS.split(text))
    return tuple(dict.fromkeys(code for code in codes if code))


def basis_of(text: str) -> Basis | None:
    return BASIS_WORDS.get(_key(text))


class _Row(RowCells):
    """One row being read: its cells by column key, and the problems found in it."""

    limits = MAX_LENGTHS

    def __init__(self, kind: Kind, place: Place, cells: Mapping[str, object]) -> None:
        super().__init__(cells)
        self.kind, self.place = kind, place
        self.flawed: set[str] = set()

    def bad(self, key: str, message: str, **params: object) -> None:
        self.problems.append(self.place.problem(self.kind, key, message, **params))
        self.flawed.add(key)

    def digits(self, key: str, width: int) -> str:
        """Text of digits a number cell may have lost its leading zeros from (a citizen ID, a
        phone number, a unit's code typed into Excel as a number)."""
        value = self.cells.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(value, float) and not value.is_integer():
                return self.text(key, required=False)
            return str(int(value)).zfill(width)
        return self.text(key, required=False)

    def number(self, key: str, high: int = SMALL, required: bool = True) -> int:
        value = self.cells.get(key)
        if not text_of(value):
            if required:
                self.bad(key, EMPTY)
            return 0
        number = whole_number(value, high)
        if number is None:
            self.bad(key, NOT_WHOLE, low=0, high=high)
            return 0
        return number

    def day(self, key: str, required: bool = True) -> dt.date | None:
        value = self.cells.get(key)
        if not text_of(value):
            if required:
                self.bad(key, EMPTY)
            return None
        day = day_of(value)
        if day is None:
            self.bad(key, NOT_A_DAY)
        return day


def _position(row: _Row) -> PositionRow:
    return PositionRow(
        row.place,
        agency=row.text("agency"),
        field=row.text("field").upper(),
        grade=row.text("grade"),
        approved=row.number("approved"),
    )


def _officer(row: _Row, columns: set[str], today: dt.date) -> OfficerRow:
    desk_given = {"desk_posting_from", "desk_posting_until"} & columns != set()
    desk_from = row.day("desk_posting_from", required=False)
    desk_until = row.day("desk_posting_until", required=False)
    if desk_until and not text_of(row.cells.get("desk_posting_from")):
        row.bad("desk_posting_until", UNTIL_WITHOUT_FROM)
    if desk_from and desk_until and desk_until < desk_from:
        row.bad("desk_posting_until", UNTIL_BEFORE_FROM)
    citizen_id = row.digits("citizen_id", width=12)
    if citizen_id and (problem := citizen_id_problem(citizen_id, today)):
        row.bad("citizen_id", problem)
    phone = row.digits("phone", width=10)
    if phone and (problem := phone_problem(phone)):
        row.bad("phone", problem)
    return OfficerRow(
        row.place,
        staff_number=row.text("staff_number"),
        full_name=row.text("full_name"),
        agency=row.text("agency"),
        post_field=row.text("post_field").upper(),
        post_grade=row.text("post_grade"),
        qualifications=codes_of(row.text("qualifications", required=False)),
        grade=row.text("grade"),
        experience_years=row.number("experience_years", high=80),
        in_post_since=_in_post_since(row, today),
        desk_posting_given=desk_given,
        desk_posting_from=desk_from,
        desk_posting_until=desk_until,
        account=row.text("account", required=False),
        citizen_id=citizen_id,
        phone=re.sub(r"[\s.\-]", "", phone),
    )


def _in_post_since(row: _Row, today: dt.date) -> dt.date:
    """The day the officer took up the post: not one still to come."""
    since = row.day("in_post_since")
    if since is not None and since > today:
        row.bad("in_post_since", IN_THE_FUTURE, today=day_text(today))
    return since or dt.date(FIRST_YEAR, 1, 1)


def _norm(row: _Row) -> NormRow:
    basis_text = row.text("basis")
    basis = basis_of(basis_text)
    if basis_text and basis is None:
        row.bad("basis", UNKNOWN_BASIS)
    per_officer = row.number("dossiers_per_officer_month", high=2**31 - 1, required=False)
    if basis == Basis.WORKLOAD and per_officer <= 0:
        row.bad("dossiers_per_officer_month", NO_DOSSIERS_PER_OFFICER)
    return NormRow(
        row.place,
        field=row.text("field").upper(),
        applies_to=row.digits("applies_to", width=UNIT_CODE_WIDTH),
        basis=basis or Basis.FIXED,
        count=row.number("count", required=basis == Basis.FIXED),
        dossiers_per_officer_month=per_officer,
        minimum=row.number("minimum", required=False),
        note=row.text("note", required=False),
    )


def _travel(row: _Row) -> TravelRow:
    one, other = row.digits("one", UNIT_CODE_WIDTH), row.digits("other", UNIT_CODE_WIDTH)
    for key, code in (("one", one), ("other", other)):
        if not code:
            row.bad(key, EMPTY)
    if one and one == other:
        row.bad("other", SAME_UNIT)
    return TravelRow(row.place, one=one, other=other, minutes=row.number("minutes", high=10_000))


# The columns that make a row the only one of its kind (``_identity``).
IDENTITY = {
    Kind.POSITIONS: frozenset({"agency", "field", "grade"}),
    Kind.OFFICERS: frozenset({"staff_number"}),
    Kind.NORMS: frozenset({"field", "applies_to"}),
    Kind.TRAVEL: frozenset({"one", "other"}),
}


def _identity(kind: Kind, parsed: object) -> tuple[str, tuple[str, ...], str]:
    """What makes a row the only one of its kind, to refuse a repeat: the column to name, the
    key, and the key as the problem shows it."""
    if kind == Kind.POSITIONS:
        shown = f"{parsed.agency} · {parsed.field} · {parsed.grade}"
        return "grade", (parsed.agency, parsed.field, _key(parsed.grade)), shown
    if kind == Kind.OFFICERS:
        return "staff_number", (parsed.staff_number,), parsed.staff_number
    if kind == Kind.NORMS:
        shown = f"{parsed.field} · {parsed.applies_to}" if parsed.applies_to else parsed.field
        return "applies_to", (parsed.field, parsed.applies_to), shown
    pair = tuple(sorted((parsed.one, parsed.other)))
    return "other", pair, " · ".join(pair)


def _read_sheet(kind: Kind, sheet: Sheet, today: dt.date) -> tuple[list, list[Problem]]:
    by_key = {_key(h): h for h in sheet.header if h}
    columns = {c.key for c in COLUMNS[kind] if _key(c.header) in by_key}
    missing = [c for c in COLUMNS[kind] if c.required and c.key not in columns]
    if missing:
        return [], [Problem(sheet.title, 1, c.header, MISSING_COLUMN) for c in missing]
    read = {Kind.POSITIONS: _position, Kind.NORMS: _norm, Kind.TRAVEL: _travel}
    order = [c.header for c in COLUMNS[kind]]
    parsed, problems = [], []
    seen: dict[tuple[str, ...], int] = {}
    for number, raw in enumerate(sheet.rows, start=2):
        cells = {c.key: raw.get(by_key[_key(c.header)]) for c in COLUMNS[kind] if c.key in columns}
        if not any(text_of(v) for v in cells.values()):
            continue  # a blank line is no row
        row = _Row(kind, Place(sheet.title, number), cells)
        result = _officer(row, columns, today) if kind == Kind.OFFICERS else read[kind](row)
        if not IDENTITY[kind] & row.flawed:
            column, identity, shown = _identity(kind, result)
            if identity in seen:
                row.bad(column, DUPLICATE, value=shown, row=seen[identity])
            seen.setdefault(identity, number)
        problems.extend(sorted(row.problems, key=lambda p: order.index(p.column)))
        parsed.append(replace(result, flawed=frozenset(row.flawed)) if row.flawed else result)
    return parsed, problems


def parse_sheets(sheets: Sequence[Sheet], today: dt.date) -> StaffWorkbook:
    """The rows of the four kinds of sheet, or ``StaffSheetError`` with every problem.

    ``today`` bounds the birth year a citizen ID number may encode, and the day an officer
    took up the post."""
    workbook, problems = read_workbook(sheets, today)
    if problems:
        raise StaffSheetError(problems)
    return workbook


def read_workbook(sheets: Sequence[Sheet], today: dt.date) -> tuple[StaffWorkbook, list[Problem]]:
    """Every row of the four kinds of sheet, those with problems too (their ``flawed`` columns
    named), and every problem found: each sheet's, then each row's in the columns' order."""
    problems: list[Problem] = []
    found: dict[Kind, Sheet] = {}
    for sheet in sheets:
        if is_instructions(sheet) or not any(sheet.header):
            continue
        kind = kind_of(sheet.header)
        if kind is None:
            problems.append(Problem(sheet.title, 1, None, UNKNOWN_SHEET))
        elif kind in found:
            params = {"kind": KIND_NAMES[kind], "first": found[kind].title}
            problems.append(Problem(sheet.title, None, None, SECOND_SHEET, params))
        else:
            found[kind] = sheet
    if not found and not problems:
        title = sheets[0].title if sheets else ""
        problems.append(Problem(title, None, None, NO_SHEET))
    rows: dict[Kind, list] = {}
    for kind, sheet in found.items():
        rows[kind], sheet_problems = _read_sheet(kind, sheet, today)
        problems.extend(sheet_problems)
    if not problems and not any(rows.values()):
        problems.append(Problem(next(iter(found.values())).title, None, None, NOTHING_TO_IMPORT))
    workbook = StaffWorkbook(
        positions=tuple(rows.get(Kind.POSITIONS, ())),
        officers=tuple(rows.get(Kind.OFFICERS, ())),
        norms=tuple(rows.get(Kind.NORMS, ())),
        travel=tuple(rows.get(Kind.TRAVEL, ())),
        titles={kind: sheet.title for kind, sheet in found.items()},
    )
    return workbook, problems


# --- writing rows the way the sheets are read (the template's examples, round trips) ------------


def day_text(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def officer_cells(row: OfficerRow) -> dict[str, str]:
    """An officer's row as the officers sheet writes it, by header."""
    values = {
        "staff_number": row.staff_number,
        "full_name": row.full_name,
        "agency": row.agency,
        "post_field": row.post_field,
        "post_grade": row.post_grade,
        "qualifications": "; ".join(row.qualifications),
        "grade": row.grade,
        "experience_years": str(row.experience_years),
        "in_post_since": day_text(row.in_post_since),
        "desk_posting_from": day_text(row.desk_posting_from),
        "desk_posting_until": day_text(row.desk_posting_until),
        "account": row.account,
        "citizen_id": row.citizen_id,
        "phone": row.phone,
    }
    return {header(Kind.OFFICERS, key): value for key, value in values.items()}


def norm_cells(row: NormRow) -> dict[str, str]:
    values = {
        "field": row.field,
        "applies_to": row.applies_to,
        "basis": BASIS_TEXT[row.basis],
        "count": str(row.count),
        "dossiers_per_officer_month": str(row.dossiers_per_officer_month),
        "minimum": str(row.minimum),
        "note": row.note,
    }
    return {header(Kind.NORMS, key): value for key, value in values.items()}
