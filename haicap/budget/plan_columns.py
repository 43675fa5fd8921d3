"""The plan workbook's vocabulary (pure: no Django): its two sheets and their columns, the words
a sheet writes fields, sources, levels and plans in, and how a cell is read (an amount of đồng,
a day, a unit's name). Reading the rows is ``plan_sheet``."""

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from haicap.budget.money import MAX_VND, NotAnAmount, parse_vnd
from haicap.core.sheets import text_of
from haicap.core.text import search_key

# The codes of the models' choices (``models.InvestmentField``, ``Source``, ``Level``) with the
# words a sheet writes them in; the shell checks the two agree.
FIELD_TEXT = {
    "transport": "Giao thông",
    "agriculture": "Nông nghiệp, thủy lợi",
    "education": "Giáo dục và đào tạo",
    "health": "Y tế",
    "culture": "Văn hóa, thể thao",
    "state_offices": "Trụ sở cơ quan nhà nước",
    "urban": "Hạ tầng đô thị",
    "environment": "Tài nguyên và môi trường",
    "digital": "Công nghệ thông tin",
    "other": "Khác",
}
SOURCE_TEXT = {
    "provincial": "Ngân sách tỉnh",
    "district": "Ngân sách huyện",
    "commune": "Ngân sách xã",
    "central": "Ngân sách trung ương hỗ trợ",
    "other": "Nguồn vốn khác",
}
LEVEL_TEXT = {"province": "Tỉnh", "district": "Huyện (đã kết thúc hoạt động)", "commune": "Xã"}
# Other ways offices write a level.
LEVEL_WORDS = {
    "cap tinh": "province",
    "ngan sach tinh": "province",
    "huyen": "district",
    "huyen (da giai the)": "district",  # the wording of earlier templates
    "cap huyen": "district",
    "ngan sach huyen": "district",
    "cap xa": "commune",
    "ngan sach xa": "commune",
    "xa, phuong": "commune",
}
# The plans haicap keeps (``services.projects.ensure_plans``): the medium-term and the years.
PLAN_CODES = ("2021-2025", "2025", "2026")

FIRST_YEAR = 2000  # no decision of a plan still followed is older; an earlier year is a typo
MAX_LENGTHS = {
    "code": 30,
    "name": 300,
    "location": 120,
    "investor": 40,
    "former_investor": 200,
    "former_district": 120,
    "project": 30,
    "plan": 20,
    "decision_number": 60,
    "reason": 300,
}
CODE = re.compile(r"^[A-Z0-9][A-Z0-9./_-]*$")
_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DASHES = re.compile(r"\s*[-\u2010-\u2015]\s*")  # 2021–2025, 2021 - 2025


class Kind(StrEnum):
    PROJECTS = "projects"
    ALLOCATIONS = "allocations"


KIND_NAMES = {Kind.PROJECTS: "projects", Kind.ALLOCATIONS: "allocations"}


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as the template heads it, in Vietnamese: officials fill the sheets in
    required: bool = True  # the column must be there (its cells may still be optional)
    note: str = ""  # what to write, for the template's instructions


def source_header(source: str) -> str:
    return f"{SOURCE_TEXT[source]} (đồng)"


COLUMNS: dict[Kind, tuple[Column, ...]] = {
    Kind.PROJECTS: (
        Column("code", "Mã dự án", note="duy nhất; nhập lại một mã đã có thì cập nhật dự án"),
        Column("name", "Tên dự án"),
        Column("field", "Lĩnh vực", note="tên lĩnh vực hoặc mã, xem trang Danh mục"),
        Column(
            "location",
            "Địa điểm (xã, phường)",
            required=False,
            note="xã, phường nơi xây dựng, ví dụ xã Đô Lương, hoặc mã; để trống nếu nhiều xã",
        ),
        Column(
            "investor",
            "Mã chủ đầu tư",
            required=False,
            note="mã cơ quan là chủ đầu tư sau sắp xếp, ví dụ 17662.01.H40; để trống nếu chưa giao",
        ),
        Column("former_investor", "Chủ đầu tư trước sắp xếp", required=False),
        Column(
            "former_district",
            "Huyện cũ",
            required=False,
            note="huyện (đã kết thúc hoạt động) đã giao vốn, ví dụ huyện Đô Lương",
        ),
        Column("total", "Tổng mức đầu tư (đồng)", note="số nguyên, ví dụ 20.000.000.000"),
        *(
            Column(
                f"source_{source}",
                source_header(source),
                required=False,
                note="để trống nếu không có; các nguồn cộng lại bằng tổng mức đầu tư",
            )
            for source in SOURCE_TEXT
        ),
    ),
    Kind.ALLOCATIONS: (
        Column("project", "Mã dự án", note="dự án trên trang Dự án hoặc đã có trong haicap"),
        Column("plan", "Kế hoạch", note="2021-2025, 2025 hoặc 2026"),
        Column("source", "Nguồn vốn", note="tên nguồn vốn hoặc mã, xem trang Danh mục"),
        Column("level", "Cấp ngân sách", note="tỉnh, huyện hoặc xã"),
        Column("amount", "Số vốn (đồng)", note="số nguyên lớn hơn 0"),
        Column("decision_number", "Số quyết định", note="ví dụ 15/QĐ-UBND"),
        Column("decision_date", "Ngày quyết định", note="dd/mm/yyyy, không sau hôm nay"),
        Column("reason", "Nội dung", note="ví dụ Giao kế hoạch vốn năm 2025"),
    ),
}
TITLES = {Kind.PROJECTS: "Dự án", Kind.ALLOCATIONS: "Kế hoạch vốn"}
INSTRUCTIONS_TITLE = "Hướng dẫn"
CODES_TITLE = "Danh mục"
GUIDE_TITLES = (INSTRUCTIONS_TITLE, CODES_TITLE)
# The column that tells each sheet from the other.
MARK = {Kind.PROJECTS: "name", Kind.ALLOCATIONS: "decision_number"}
# The columns that name what a row is: a problem in one of them leaves it unnamed.
IDENTITY = {
    Kind.PROJECTS: frozenset({"code"}),
    Kind.ALLOCATIONS: frozenset(
        {"project", "plan", "source", "level", "amount", "decision_number", "decision_date"}
    ),
}
# The words before a unit's name, longest first ("thị xã" before "xã").
UNIT_WORDS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "huyện", "tỉnh", "xã")


def header(kind: Kind, key: str) -> str:
    return next(c.header for c in COLUMNS[kind] if c.key == key)


def key_of(text: object) -> str:
    """A header or a word as it is compared: no brackets, case, diacritics or extra spaces."""
    return search_key(re.sub(r"\([^)]*\)", " ", str(text or "")))


def _choice_keys(texts: Mapping[str, str]) -> dict[str, str]:
    return {**{key_of(t): code for code, t in texts.items()}, **{code: code for code in texts}}


FIELD_KEYS = _choice_keys(FIELD_TEXT)
SOURCE_KEYS = {**_choice_keys(SOURCE_TEXT), "trung uong": "central", "khac": "other"}
LEVEL_KEYS = {**_choice_keys(LEVEL_TEXT), **LEVEL_WORDS}

# --- cells --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitName:
    """A unit as a sheet names it: its code, or its kind's word (may be empty) and its name."""

    name: str = ""
    word: str = ""
    code: str = ""

    def __str__(self) -> str:
        return self.code or f"{self.word} {self.name}".strip()


def unit_name(text: str) -> UnitName | None:
    """The unit ``text`` names ("xã Đô Lương", "Đô Lương", "17662"), or None (a word alone)."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return UnitName(code=text)
    words = text.split()
    for word in UNIT_WORDS:
        length = len(word.split())
        if search_key(" ".join(words[:length])) == search_key(word):
            name = " ".join(words[length:])
            return UnitName(name=name, word=word) if name else None
    return UnitName(name=text)


def amount_of(value: object) -> int | None:
    """Whole đồng from a number cell or text ("8.000.000.000"); None if it is not one (a
    fraction, a negative, text that is no amount)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        number = int(value) if value.is_integer() else None
    elif isinstance(value, int):
        number = value
    else:
        try:
            number = parse_vnd(text_of(value))
        except NotAnAmount:
            return None
    return number if number is not None and 0 <= number <= MAX_VND else None


def day_of(value: object) -> dt.date | None:
    """A day from a date cell, or text written dd/mm/yyyy (or yyyy-mm-dd); None if it is not."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = text_of(value)
    try:
        if found := _DAY.match(text):
            return dt.date(int(found[3]), int(found[2]), int(found[1]))
        if found := _ISO_DAY.match(text):
            return dt.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None
    return None


def plan_code(text: str) -> str:
    """ "2021–2025", "2021 - 2025" → "2021-2025"; a year stays as it is."""
    return _DASHES.sub("-", text.strip())


def choices_text(texts: Mapping[str, str]) -> str:
    return ", ".join(texts.values())
