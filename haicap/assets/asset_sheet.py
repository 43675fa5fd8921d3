"""Reading the register of public assets from a spreadsheet (pure: no Django), and the rules an
asset's figures follow wherever they are typed (the sheet, the desk's form, the API).

One workbook (or a CSV file): every sheet whose columns are the assets' is read, so a province
may keep its land and buildings, its vehicles and its equipment on sheets of their own; the
template's sheet of instructions and its list of kind codes are passed over. Headers are matched
ignoring case, diacritics and extra spaces ("m2" for "m²"). Every problem names the sheet, the
row as the spreadsheet numbers it (the header is row 1) and the column; a workbook with any
problem is refused whole. Problems are worded in English with their values apart
(``Problem.message % Problem.params``), so the shell says them in the reader's language.

What the sheet cannot know (the kind codes, the agencies, the former units, the identifiers
already given) the import resolves against the records, and reports alike.

The origin ("Nguồn gốc") is the former unit that held the asset before 1 July 2025, as the
registry writes it: ``xã Đà Sơn``, ``huyện Đô Lương``, or its code where it has one. Former
communes have no codes, and names repeat across the province (several "xã Nam Sơn"), so a name
may carry in brackets its former district or the new commune it became part of:
``xã Nam Sơn (huyện Đô Lương)``, ``xã Nam Sơn (xã Đô Lương)``. ``unit_name`` reads that;
the import matches it (``services.register``).
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from haicap.core.sheets import (
    EMPTY,
    TOO_LONG,
    Problem,
    ProblemsFound,
    RowCells,
    Sheet,
    text_of,
)
from haicap.core.text import search_key

# The conditions, as the register stores them (``models.Condition``) and as a sheet writes them.
GOOD, FAIR, POOR, UNUSABLE = "good", "fair", "poor", "unusable"
CONDITION_TEXT = {GOOD: "tốt", FAIR: "trung bình", POOR: "kém", UNUSABLE: "hỏng"}
CONDITION_WORDS = {
    **{search_key(text): code for code, text in CONDITION_TEXT.items()},
    "hu hong": UNUSABLE,
    "kem, can sua chua": POOR,
    "hong, khong su dung duoc": UNUSABLE,
    **{code: code for code in CONDITION_TEXT},  # the codes themselves (good, fair...)
}

FIRST_YEAR = 1900  # no asset still on a register was put in use before it
MAX_VALUE = 10**15  # đồng: a thousand trillion, beyond any one public asset of a province
MAX_AREA = Decimal("999999999.9")  # what the register's column holds (m², one decimal)
IDENTIFIER = re.compile(r"^[A-Z0-9][A-Z0-9./_-]*$")
MAX_LENGTHS = {
    "identifier": 30,
    "kind": 20,
    "name": 200,
    "holder": 40,
    "origin": 200,
    "address": 300,
}
# The words before a unit's name, longest first ("thị xã" before "xã").
UNIT_WORDS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "huyện", "tỉnh", "xã")

# What is wrong, in the words the problems use (the shell translates them).
MISSING_COLUMN = "the column is missing"
UNKNOWN_SHEET = "its columns are not those of the assets sheet (see the template)"
NO_SHEET = "no sheet has the assets' columns (see the template)"
NOTHING_TO_IMPORT = "the sheet has no rows"
BAD_IDENTIFIER = "an identifier is written with letters, digits and . - / _ only"
DUPLICATE = "%(value)s is already on row %(row)d"
DUPLICATE_ELSEWHERE = "%(value)s is already on sheet %(sheet)s, row %(row)d"
NOT_VALUE = "not a whole number of đồng from 0 to %(max)s"
NOT_AREA = "not an area in m² with at most one decimal, e.g. 350,5"
NOT_YEAR = "not a year written with four digits"
YEAR_TOO_EARLY = "a year from %(first)d on"
YEAR_IN_FUTURE = "the year %(year)d has not come yet"
REMAINING_ABOVE_ORIGINAL = "the remaining value is more than the original value"
UNKNOWN_CONDITION = "write tốt, trung bình, kém or hỏng"
NO_UNIT_NAME = "write the former unit's name, e.g. xã Đà Sơn"
# ... and what the import finds against the records (``services.register``).


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as the template heads it, in Vietnamese: officials fill the sheet in
    required: bool = True  # the column must be there (its cells may still be optional)
    note: str = ""  # what to write, for the template's instructions


COLUMNS: tuple[Column, ...] = (
    Column(
        "identifier",
        "Mã tài sản",
        required=False,
        note="để trống: haicap cấp mã mới; ghi mã đã có: cập nhật tài sản đó",
    ),
    Column("kind", "Loại tài sản", note="mã loại, xem trang Loại tài sản"),
    Column("name", "Tên tài sản"),
    Column(
        "holder",
        "Mã cơ quan quản lý",
        note="cơ quan đang quản lý, sử dụng, ví dụ 17662.01.H40",
    ),
    Column(
        "origin",
        "Nguồn gốc",
        required=False,
        note=(
            "đơn vị cũ quản lý trước 01/07/2025, ví dụ xã Đà Sơn, huyện Đô Lương; tên trùng: "
            "ghi thêm huyện cũ hoặc xã mới trong ngoặc, ví dụ xã Nam Sơn (huyện Đô Lương); để "
            "trống nếu mua sắm sau khi sắp xếp"
        ),
    ),
    Column("address", "Địa chỉ", required=False, note="nơi đặt tài sản; trụ sở: địa chỉ"),
    Column("area_m2", "Diện tích (m²)", required=False, note="chỉ cho đất và nhà"),
    Column("original_value", "Nguyên giá (đồng)", note="số nguyên, ví dụ 1.250.000.000"),
    Column("remaining_value", "Giá trị còn lại (đồng)", note="không lớn hơn nguyên giá"),
    Column("acquired_year", "Năm đưa vào sử dụng", note="bốn chữ số, không sau năm nay"),
    Column("condition", "Tình trạng", note="tốt, trung bình, kém hoặc hỏng"),
)
TITLE = "Tài sản"  # the template's sheet; an import knows a sheet by its columns, not its name
INSTRUCTIONS_TITLE = "Hướng dẫn"
KINDS_TITLE = "Loại tài sản"
MARK = "name"  # the column that tells the assets sheet from any other


def header(key: str) -> str:
    return next(c.header for c in COLUMNS if c.key == key)


def _key(text: object) -> str:
    return search_key(str(text or "").replace("²", "2"))


# --- problems -----------------------------------------------------------------------------------


class AssetSheetError(ProblemsFound):
    """The problems that refuse an asset import."""


@dataclass(frozen=True)
class Place:
    """Where a row came from, so that what the records refuse names it too."""

    sheet: str
    row: int

    def problem(self, key: str, message: str, /, **params: object) -> Problem:
        return Problem(self.sheet, self.row, header(key), message, params)


# --- a former unit's name -----------------------------------------------------------------------


@dataclass(frozen=True)
class UnitName:
    """A unit as a sheet names it: its code, or its kind's word (may be empty) and its name,
    with what the brackets add (a former district, or the new commune it became part of)."""

    name: str = ""
    word: str = ""
    within_word: str = ""
    within: str = ""
    code: str = ""

    def __str__(self) -> str:
        if self.code:
            return self.code
        text = f"{self.word} {self.name}".strip()
        if self.within:
            text += f" ({f'{self.within_word} {self.within}'.strip()})"
        return text


_BRACKETED = re.compile(r"^(?P<main>[^()]*?)\s*\((?P<within>[^()]*)\)$")
_UNIT_WORD_KEYS = tuple((word, search_key(word)) for word in UNIT_WORDS)


def _split_word(text: str) -> tuple[str, str]:
    """("xã", "Đà Sơn") from "Xã Đà Sơn"; ("", "Đà Sơn") when no kind's word leads."""
    words = text.split()
    for word, key in _UNIT_WORD_KEYS:
        length = len(key.split())
        if len(words) > length and search_key(" ".join(words[:length])) == key:
            return word, " ".join(words[length:])
    if len(words) == 1 and any(search_key(words[0]) == key for _word, key in _UNIT_WORD_KEYS):
        return search_key(words[0]), ""  # a word alone: no name
    return "", " ".join(words)


def unit_name(text: str) -> UnitName | None:
    """The unit ``text`` names, or None when it names none (a kind's word alone, brackets
    without a name)."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return UnitName(code=text)
    within_word = within = ""
    bracketed = _BRACKETED.match(text)
    if bracketed:
        text = bracketed["main"]
        within_word, within = _split_word(bracketed["within"])
        if not within:
            return None
    word, name = _split_word(text)
    if not name:
        return None
    return UnitName(name=name, word=word, within_word=within_word, within=within)


# --- the rules an asset's figures follow ---------------------------------------------------------


def value_problems(original: int, remaining: int) -> dict[str, tuple[str, dict[str, object]]]:
    """The values (in đồng) that are wrong, by column key, with what is wrong and its
    parameters: each a whole number from 0 to ``MAX_VALUE``, the remaining value no more than
    the original."""
    found: dict[str, tuple[str, dict[str, object]]] = {}
    for key, value in (("original_value", original), ("remaining_value", remaining)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_VALUE:
            found[key] = (NOT_VALUE, {"max": money_text(MAX_VALUE)})
    if not found and remaining > original:
        found["remaining_value"] = (REMAINING_ABOVE_ORIGINAL, {})
    return found


def year_problem(year: int, this_year: int) -> tuple[str, dict[str, int]] | None:
    """What is wrong with the year an asset was put in use, and its parameters, or None: from
    ``FIRST_YEAR`` to this year."""
    if year < FIRST_YEAR:
        return YEAR_TOO_EARLY, {"first": FIRST_YEAR}
    if year > this_year:
        return YEAR_IN_FUTURE, {"year": year}
    return None


def area_problem(area: Decimal) -> str | None:
    if area < 0 or area > MAX_AREA or area != area.quantize(Decimal("0.1")):
        return NOT_AREA
    return None


def identifier_problem(identifier: str) -> str | None:
    if len(identifier) > MAX_LENGTHS["identifier"]:
        return TOO_LONG
    if not IDENTIFIER.match(identifier):
        return BAD_IDENTIFIER
    return None


# The identifiers haicap gives: "TS.40.000123", the province's code and a running number that
# only grows (``services.register``), never given twice.
GIVEN_PREFIX = "TS"
GIVEN_DIGITS = 6


def given_identifier(province_code: str, number: int) -> str:
    if number < 1:
        raise ValueError("the running number starts at 1")
    return f"{GIVEN_PREFIX}.{province_code}.{number:0{GIVEN_DIGITS}d}"


def given_number(identifier: str, province_code: str) -> int | None:
    """The running number of an identifier haicap gave in the province (or one written in
    its form); None for any other."""
    prefix = f"{GIVEN_PREFIX}.{province_code}."
    number = identifier[len(prefix) :] if identifier.startswith(prefix) else ""
    return int(number) if number.isascii() and number.isdigit() else None


def clean_identifier(text: str) -> str:
    """An identifier as the register keeps it: upper case, no space around."""
    return text.strip().upper()


# --- reading cells ----------------------------------------------------------------------------

_GROUPED = re.compile(r"^\d{1,3}(?:([., \u00a0])\d{3})(?:\1\d{3})*$")
_AREA_TEXT = re.compile(r"^(\d+)(?:[.,](\d)0?)?$")
_CURRENCY = re.compile(r"\s*(?:đồng|đ|vnđ|vnd)\.?$", re.IGNORECASE)


def money_of(value: object) -> int | None:
    """Đồng from a number cell or text as offices write it ("1.250.000.000", "1,250,000,000",
    "1 250 000 000 đ"); None if it is not a whole number of đồng from 0 to ``MAX_VALUE``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        number = int(value) if value.is_integer() else None
    elif isinstance(value, int):
        number = value
    else:
        text = _CURRENCY.sub("", str(value).strip()).strip()
        if text.isascii() and text.isdigit():
            number = int(text)
        elif _GROUPED.match(text):
            number = int(re.sub(r"\D", "", text))
        else:
            return None
    return number if number is not None and 0 <= number <= MAX_VALUE else None


def area_of(value: object) -> Decimal | None:
    """Square metres with at most one decimal, from a number cell or text ("350,5", "1.200");
    None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            area = Decimal(repr(value))
        except InvalidOperation:
            return None
    else:
        text = re.sub(r"\s*m(?:2|²)$", "", str(value).strip(), flags=re.IGNORECASE).strip()
        if _GROUPED.match(text):
            area = Decimal(re.sub(r"\D", "", text))
        elif found := _AREA_TEXT.match(text):
            area = Decimal(f"{found[1]}.{found[2] or 0}")
        else:
            return None
    if not area.is_finite() or area_problem(area):
        return None
    return area.quantize(Decimal("0.1"))


def year_of(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = int(value) if value.is_integer() else None
    if isinstance(value, int):
        return value if 1000 <= value <= 9999 else None
    text = text_of(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) == 4 else None


def condition_of(text: str) -> str | None:
    return CONDITION_WORDS.get(_key(text))


# --- rows -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssetRow:
    """One asset as the sheet gives it, checked in itself; what it names (kind, holder, origin,
    identifier) is resolved against the records by the import."""

    at: Place
    identifier: str  # "" for a new asset: haicap gives it one
    kind: str
    name: str
    holder: str
    origin: UnitName | None
    address: str
    area_m2: Decimal | None
    original_value: int
    remaining_value: int
    acquired_year: int
    condition: str
    # the columns the sheet gets wrong in this row (their problems are the workbook's): the
    # import does not look their values up in the records
    bad: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AssetWorkbook:
    """Every row of the assets' sheets, and what is wrong in them (``problems``): the import
    adds what the records refuse and reports it all at once."""

    rows: tuple[AssetRow, ...]
    titles: tuple[str, ...]  # the sheets read, in order
    problems: tuple[Problem, ...] = ()


class _Row(RowCells):
    """One row being read: its cells by column key, and the problems found in it."""

    limits = MAX_LENGTHS

    def __init__(self, place: Place, cells: Mapping[str, object]) -> None:
        super().__init__(cells)
        self.place = place

    def bad(self, key: str, message: str, **params: object) -> None:
        self.problems.append(self.place.problem(key, message, **params))

    def given(self, key: str) -> bool:
        return bool(text_of(self.cells.get(key)))

    def money(self, key: str) -> int | None:
        if not self.given(key):
            self.bad(key, EMPTY)
            return None
        value = money_of(self.cells.get(key))
        if value is None:
            self.bad(key, NOT_VALUE, max=money_text(MAX_VALUE))
        return value


def _asset(row: _Row, this_year: int) -> AssetRow:
    identifier = clean_identifier(row.text("identifier", required=False))
    problem = identifier_problem(identifier) if identifier else None
    if problem and problem != TOO_LONG:  # the length was said already
        row.bad("identifier", problem)
    origin_text = row.text("origin", required=False)
    origin = unit_name(origin_text) if origin_text else None
    if origin_text and origin is None:
        row.bad("origin", NO_UNIT_NAME)
    area = None
    if row.given("area_m2"):
        area = area_of(row.cells.get("area_m2"))
        if area is None:
            row.bad("area_m2", NOT_AREA)
    original, remaining = row.money("original_value"), row.money("remaining_value")
    if original is not None and remaining is not None:
        for key, (message, params) in value_problems(original, remaining).items():
            row.bad(key, message, **params)
    year = 0
    if not row.given("acquired_year"):
        row.bad("acquired_year", EMPTY)
    elif (year := year_of(row.cells.get("acquired_year"))) is None:
        row.bad("acquired_year", NOT_YEAR)
        year = 0
    elif found := year_problem(year, this_year):
        message, params = found
        row.bad("acquired_year", message, **params)
    condition_text = row.text("condition")
    condition = condition_of(condition_text) if condition_text else None
    if condition_text and condition is None:
        row.bad("condition", UNKNOWN_CONDITION)
    return AssetRow(
        row.place,
        identifier=identifier,
        kind=row.text("kind").upper(),
        name=row.text("name"),
        holder=row.text("holder"),
        origin=origin,
        address=row.text("address", required=False),
        area_m2=area,
        original_value=original or 0,
        remaining_value=remaining or 0,
        acquired_year=year,
        condition=condition or "",
    )


def _column_key(column: str | None) -> str:
    return next((c.key for c in COLUMNS if c.header == column), "")


def is_passed_over(sheet: Sheet) -> bool:
    """The template's instructions and list of kinds, and a sheet with no header."""
    return _key(sheet.title) in {_key(INSTRUCTIONS_TITLE), _key(KINDS_TITLE)} or not any(
        sheet.header
    )


def is_assets_sheet(sheet_header: Iterable[str]) -> bool:
    return _key(header(MARK)) in {_key(h) for h in sheet_header}


def _read_sheet(
    sheet: Sheet, this_year: int, seen: dict[str, Place]
) -> tuple[list[AssetRow], list[Problem]]:
    by_key = {_key(h): h for h in sheet.header if h}
    present = {c.key for c in COLUMNS if _key(c.header) in by_key}
    missing = [c for c in COLUMNS if c.required and c.key not in present]
    if missing:
        return [], [Problem(sheet.title, 1, c.header, MISSING_COLUMN) for c in missing]
    order = [c.header for c in COLUMNS]
    parsed: list[AssetRow] = []
    problems: list[Problem] = []
    for number, raw in enumerate(sheet.rows, start=2):
        cells = {key: raw.get(by_key[_key(header(key))]) for key in present}
        if not any(text_of(v) for v in cells.values()):
            continue  # a blank line is no row
        row = _Row(Place(sheet.title, number), cells)
        asset = _asset(row, this_year)
        if asset.identifier:
            if asset.identifier in seen:
                first = seen[asset.identifier]
                if first.sheet == sheet.title:
                    row.bad("identifier", DUPLICATE, value=asset.identifier, row=first.row)
                else:
                    row.bad(
                        "identifier",
                        DUPLICATE_ELSEWHERE,
                        value=asset.identifier,
                        sheet=first.sheet,
                        row=first.row,
                    )
            seen.setdefault(asset.identifier, row.place)
        problems.extend(sorted(row.problems, key=lambda p: order.index(p.column)))
        bad = frozenset(_column_key(p.column) for p in row.problems)
        parsed.append(replace(asset, bad=bad) if bad else asset)
    return parsed, problems


def read_assets(sheets: Sequence[Sheet], this_year: int) -> AssetWorkbook:
    """Every row of every sheet with the assets' columns, each with the columns it gets wrong,
    and every problem of the sheets (``problems``). ``this_year`` bounds the year an asset was
    put in use."""
    problems: list[Problem] = []
    found: list[Sheet] = []
    for sheet in sheets:
        if is_passed_over(sheet):
            continue
        if is_assets_sheet(sheet.header):
            found.append(sheet)
        else:
            problems.append(Problem(sheet.title, 1, None, UNKNOWN_SHEET))
    if not found and not problems:
        problems.append(Problem(sheets[0].title if sheets else "", None, None, NO_SHEET))
    rows: list[AssetRow] = []
    seen: dict[str, Place] = {}
    for sheet in found:
        sheet_rows, sheet_problems = _read_sheet(sheet, this_year, seen)
        rows += sheet_rows
        problems += sheet_problems
    if found and not problems and not rows:
        problems.append(Problem(found[0].title, None, None, NOTHING_TO_IMPORT))
    return AssetWorkbook(tuple(rows), tuple(s.title for s in found), tuple(problems))


def parse_sheets(sheets: Sequence[Sheet], this_year: int) -> AssetWorkbook:
    """The assets of every sheet with the assets' columns, or ``AssetSheetError`` with every
    problem the sheets have in themselves."""
    read = read_assets(sheets, this_year)
    if read.problems:
        raise AssetSheetError(read.problems)
    return read


def in_order(problems: Iterable[Problem], titles: Sequence[str]) -> list[Problem]:
    """Problems as a reader goes through the workbook: sheet by sheet (those of no assets'
    sheet first), row by row, column by column."""
    columns = [c.header for c in COLUMNS]

    def place(problem: Problem) -> tuple[int, int, int]:
        sheet = titles.index(problem.sheet) if problem.sheet in titles else -1
        column = columns.index(problem.column) if problem.column in columns else -1
        return sheet, problem.row or 0, column

    return sorted(problems, key=place)


# --- writing rows the way the sheet is read (the template's examples, round trips) -------------


def money_text(value: int) -> str:
    """1250000000 → "1.250.000.000", as offices write đồng."""
    return f"{value:,}".replace(",", ".")


def area_text(area: Decimal | None) -> str:
    if area is None:
        return ""
    whole, _dot, tenth = f"{area:.1f}".partition(".")
    return whole if tenth == "0" else f"{whole},{tenth}"


def asset_cells(row: AssetRow) -> dict[str, str]:
    """An asset's row as the sheet writes it, by header."""
    values = {
        "identifier": row.identifier,
        "kind": row.kind,
        "name": row.name,
        "holder": row.holder,
        "origin": str(row.origin) if row.origin else "",
        "address": row.address,
        "area_m2": area_text(row.area_m2),
        "original_value": money_text(row.original_value),
        "remaining_value": money_text(row.remaining_value),
        "acquired_year": str(row.acquired_year),
        "condition": CONDITION_TEXT.get(row.condition, ""),
    }
    return {header(key): value for key, value in values.items()}
