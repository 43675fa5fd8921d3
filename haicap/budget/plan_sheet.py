"""Reading the capital plan from a workbook (pure: no Django).

Two sheets, each known by its columns (the sheet's name does not matter; the template's sheets
of instructions and codes are passed over):

- projects ("Dự án"): one a row, by code: name, field, the commune it is built in, its investor
  after the reform (an agency code), the investor and district before it, the total investment
  and, one column per source, how the total is funded (the sources add up to the total);
- allocations ("Kế hoạch vốn"): one a row: the project's code, the plan ("2021-2025", "2025",
  "2026"), the source and the budget level, the amount, and the decision that allocated it.

Headers are matched ignoring case, diacritics, extra spaces and what is in brackets ("Tổng mức
đầu tư" for "Tổng mức đầu tư (đồng)"). Amounts are whole đồng (``money.parse_vnd``). Every
problem names the sheet, the row as the spreadsheet numbers it (the header is row 1) and the
column, and every row is kept, a row with problems too (its ``flawed`` columns named), so that
the import looks up what the other cells name and reports every problem at once. Problems are
worded in English with their values apart, so the shell says them in the reader's language.

What the sheet cannot know (agencies, communes, districts, plans, projects already in haicap)
the import resolves against the records (``services.projects``).
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from haicap.budget import adjustment
from haicap.budget.money import MAX_VND, format_vnd
from haicap.budget.plan_columns import (
    CODE,
    COLUMNS,
    FIELD_KEYS,
    FIELD_TEXT,
    FIRST_YEAR,
    GUIDE_TITLES,
    IDENTITY,
    KIND_NAMES,
    LEVEL_KEYS,
    LEVEL_TEXT,
    MARK,
    MAX_LENGTHS,
    SOURCE_KEYS,
    SOURCE_TEXT,
    Kind,
    UnitName,
    amount_of,
    choices_text,
    day_of,
    header,
    key_of,
    plan_code,
    unit_name,
)
from haicap.core.sheets import EMPTY, Problem, ProblemsFound, RowCells, Sheet, text_of

# What is wrong, in the words the problems use (the shell translates them).
MISSING_COLUMN = "the column is missing"
UNKNOWN_SHEET = "its columns are not those of the projects or the allocations (see the template)"
SECOND_SHEET = "a second sheet of %(kind)s; the first is %(first)s"
NO_SHEET = "neither the projects nor the allocations are there (see the template)"
NOTHING_TO_IMPORT = "the sheets have no rows"
BAD_CODE = "a project code is written with letters, digits and . - / _ only"
DUPLICATE = "%(value)s is already on row %(row)d"
DUPLICATE_ALLOCATION = "the same allocation is already on row %(row)d"
NOT_POSITIVE = "not a whole number of đồng above 0"
NOT_AMOUNT = "not a whole number of đồng from 0 to %(max)s"
SOURCES_DIFFER = (
    "the sources add up to %(sources)s đồng, not the total investment of %(total)s đồng"
)
UNKNOWN_FIELD = "not a field: write one of %(choices)s"
UNKNOWN_SOURCE = "not a source: write one of %(choices)s"
UNKNOWN_LEVEL = "not a budget level: write tỉnh, huyện or xã"
NO_UNIT_NAME = "write the unit's kind and name, e.g. %(example)s, or its code"
NOT_A_DAY = "not a date written dd/mm/yyyy"
DAY_TOO_EARLY = "a day from %(first)d on"
IN_THE_FUTURE = "a day after today (%(today)s)"
DISTRICT_ENDED = adjustment.DISTRICT_ENDED

# --- problems -----------------------------------------------------------------------------------


class PlanSheetError(ProblemsFound):
    """The problems that refuse a plan import."""


@dataclass(frozen=True)
class Place:
    """Where a row came from, so that what the records refuse names it too."""

    kind: Kind
    sheet: str
    row: int

    def problem(self, key: str, message: str, /, **params: object) -> Problem:
        return Problem(self.sheet, self.row, header(self.kind, key), message, params)


# --- rows ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectRow:
    """A project as the sheet gives it, checked in itself."""

    at: Place
    code: str
    name: str
    field: str  # the code of ``models.InvestmentField``
    location: UnitName | None
    investor: str  # an agency code; "" when none is decided yet
    former_investor: str
    former_district: UnitName | None
    total: int
    fundings: Mapping[str, int]  # source → đồng, the sources given (above 0)
    # the optional columns the sheet does not have: the import keeps what haicap holds
    absent: frozenset[str] = frozenset()
    flawed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AllocationRow:
    """An allocation as the sheet gives it: the ledger entry it makes."""

    at: Place
    project: str
    plan: str
    source: str
    level: str
    amount: int
    decision_number: str
    decision_date: dt.date | None
    reason: str
    flawed: frozenset[str] = frozenset()

    @property
    def identity(self) -> tuple:
        """What makes two allocations the same (the import skips one already recorded)."""
        return (
            self.project,
            self.plan,
            self.source,
            self.level,
            self.amount,
            self.decision_number,
            self.decision_date,
        )


@dataclass(frozen=True)
class PlanWorkbook:
    projects: tuple[ProjectRow, ...] = ()
    allocations: tuple[AllocationRow, ...] = ()
    titles: Mapping[Kind, str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


class _Row(RowCells):
    limits = MAX_LENGTHS

    def __init__(self, place: Place, cells: Mapping[str, object]) -> None:
        super().__init__(cells)
        self.place = place
        self.flawed: set[str] = set()

    def bad(self, key: str, message: str, **params: object) -> None:
        self.problems.append(self.place.problem(key, message, **params))
        self.flawed.add(key)

    def given(self, key: str) -> bool:
        return bool(text_of(self.cells.get(key)))

    def amount(self, key: str, required: bool = True) -> int:
        if not self.given(key):
            if required:
                self.bad(key, EMPTY)
            return 0
        amount = amount_of(self.cells.get(key))
        if amount is None:
            self.bad(key, NOT_AMOUNT, max=format_vnd(MAX_VND))
            return 0
        return amount

    def code(self, key: str) -> str:
        code = self.text(key).upper()
        if code and key not in self.flawed and not CODE.match(code):
            self.bad(key, BAD_CODE)
        return code

    def choice(self, key: str, keys: Mapping[str, str], message: str, **params: object) -> str:
        text = self.text(key)
        found = keys.get(key_of(text), "") if text else ""
        if text and not found:
            self.bad(key, message, **params)
        return found

    def unit(self, key: str, example: str) -> UnitName | None:
        text = self.text(key, required=False)
        unit = unit_name(text) if text else None
        if text and unit is None:
            self.bad(key, NO_UNIT_NAME, example=example)
        return unit

    def day(self, key: str, today: dt.date) -> dt.date | None:
        if not self.given(key):
            self.bad(key, EMPTY)
            return None
        day = day_of(self.cells.get(key))
        if day is None:
            self.bad(key, NOT_A_DAY)
        elif day.year < FIRST_YEAR:
            self.bad(key, DAY_TOO_EARLY, first=FIRST_YEAR)
        elif day > today:
            self.bad(key, IN_THE_FUTURE, today=today.strftime("%d/%m/%Y"))
        return day


KEPT_WHEN_ABSENT = frozenset({"location", "investor", "former_investor", "former_district"})


def _project(row: _Row, columns: frozenset[str]) -> ProjectRow:
    code = row.code("code")
    name = row.text("name")
    field_code = row.choice("field", FIELD_KEYS, UNKNOWN_FIELD, choices=choices_text(FIELD_TEXT))
    location = row.unit("location", "xã Đô Lương")
    investor = row.text("investor", required=False).upper()
    former_investor = row.text("former_investor", required=False)
    former_district = row.unit("former_district", "huyện Đô Lương")
    total = row.amount("total")
    if "total" not in row.flawed and total == 0:
        row.bad("total", NOT_POSITIVE)
    fundings = {}
    for source in SOURCE_TEXT:
        amount = row.amount(f"source_{source}", required=False)
        if amount:
            fundings[source] = amount
    sources_flawed = any(key.startswith("source_") for key in row.flawed)
    if total and not sources_flawed and sum(fundings.values()) != total:
        row.bad(
            "total",
            SOURCES_DIFFER,
            sources=format_vnd(sum(fundings.values())),
            total=format_vnd(total),
        )
    return ProjectRow(
        row.place,
        code=code,
        name=name,
        field=field_code,
        location=location,
        investor=investor,
        former_investor=former_investor,
        former_district=former_district,
        total=total,
        fundings=fundings,
        absent=KEPT_WHEN_ABSENT - columns,
    )


def _allocation(row: _Row, today: dt.date) -> AllocationRow:
    project = row.code("project")
    plan = plan_code(row.text("plan"))
    source = row.choice("source", SOURCE_KEYS, UNKNOWN_SOURCE, choices=choices_text(SOURCE_TEXT))
    level = row.choice("level", LEVEL_KEYS, UNKNOWN_LEVEL)
    amount = row.amount("amount")
    if "amount" not in row.flawed and amount == 0:
        row.bad("amount", NOT_POSITIVE)
    decision_number = row.text("decision_number")
    decision_date = row.day("decision_date", today)
    if (
        decision_date
        and "decision_date" not in row.flawed
        and adjustment.adds_district_capital(level, amount, decision_date)
    ):
        row.bad("level", DISTRICT_ENDED, ended=adjustment.DISTRICTS_ENDED.strftime("%d/%m/%Y"))
    return AllocationRow(
        row.place,
        project=project,
        plan=plan,
        source=source,
        level=level,
        amount=amount,
        decision_number=decision_number,
        decision_date=decision_date,
        reason=row.text("reason"),
    )


def _identity(parsed: ProjectRow | AllocationRow) -> tuple[str, tuple, dict]:
    """The column a duplicate is said in, what is compared, and the message's parameters."""
    if isinstance(parsed, ProjectRow):
        return "code", (parsed.code,), {"value": parsed.code}
    return "project", parsed.identity, {}


def kind_of(sheet_header: Iterable[str]) -> Kind | None:
    """Which of the two sheets has these columns: the one whose mark column is among them."""
    present = {key_of(h) for h in sheet_header}
    for kind in Kind:
        if key_of(header(kind, MARK[kind])) in present:
            return kind
    return None


def is_guide(sheet: Sheet) -> bool:
    """One of the template's sheets to read, not import: its instructions, its codes."""
    guide = key_of(sheet.title) in {key_of(title) for title in GUIDE_TITLES}
    return (guide and kind_of(sheet.header) is None) or not any(sheet.header)


def _read_sheet(kind: Kind, sheet: Sheet, today: dt.date) -> tuple[list, list[Problem]]:
    by_key = {key_of(h): h for h in sheet.header if h}
    columns = {c.key for c in COLUMNS[kind] if key_of(c.header) in by_key}
    missing = [c for c in COLUMNS[kind] if c.required and c.key not in columns]
    if missing:
        return [], [Problem(sheet.title, 1, c.header, MISSING_COLUMN) for c in missing]
    order = [c.header for c in COLUMNS[kind]]
    parsed, problems = [], []
    seen: dict[tuple, int] = {}
    for number, raw in enumerate(sheet.rows, start=2):
        cells = {
            c.key: raw.get(by_key[key_of(c.header)]) for c in COLUMNS[kind] if c.key in columns
        }
        if not any(text_of(v) for v in cells.values()):
            continue  # a blank line is no row
        row = _Row(Place(kind, sheet.title, number), cells)
        if kind == Kind.PROJECTS:
            result = _project(row, frozenset(columns))
        else:
            result = _allocation(row, today)
        if not IDENTITY[kind] & row.flawed:
            column, identity, params = _identity(result)
            if identity in seen:
                message = DUPLICATE if kind == Kind.PROJECTS else DUPLICATE_ALLOCATION
                row.bad(column, message, row=seen[identity], **params)
            seen.setdefault(identity, number)
        problems.extend(sorted(row.problems, key=lambda p: order.index(p.column)))
        parsed.append(replace(result, flawed=frozenset(row.flawed)) if row.flawed else result)
    return parsed, problems


def read_workbook(sheets: Sequence[Sheet], today: dt.date) -> PlanWorkbook:
    """Every row of the two sheets, those with problems too (their ``flawed`` columns named),
    and every problem found: each sheet's, then each row's in the columns' order. ``today``
    bounds a decision's date."""
    problems: list[Problem] = []
    found: dict[Kind, Sheet] = {}
    for sheet in sheets:
        if is_guide(sheet):
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
        problems.append(Problem(sheets[0].title if sheets else "", None, None, NO_SHEET))
    rows: dict[Kind, list] = {}
    for kind in Kind:  # projects first, as the import applies them
        if kind in found:
            rows[kind], sheet_problems = _read_sheet(kind, found[kind], today)
            problems.extend(sheet_problems)
    if not problems and not any(rows.values()):
        problems.append(Problem(next(iter(found.values())).title, None, None, NOTHING_TO_IMPORT))
    return PlanWorkbook(
        projects=tuple(rows.get(Kind.PROJECTS, ())),
        allocations=tuple(rows.get(Kind.ALLOCATIONS, ())),
        titles={kind: sheet.title for kind, sheet in found.items()},
        problems=tuple(problems),
    )


def in_order(problems: Iterable[Problem], workbook: PlanWorkbook) -> list[Problem]:
    """Problems as a reader goes through the workbook: sheet by sheet (those of no sheet of the
    two first), row by row, column by column."""
    titles = [workbook.titles[k] for k in Kind if k in workbook.titles]
    headers = {title: [c.header for c in COLUMNS[k]] for k, title in workbook.titles.items()}

    def place(problem: Problem) -> tuple[int, int, int]:
        sheet = titles.index(problem.sheet) if problem.sheet in titles else -1
        columns = headers.get(problem.sheet, [])
        column = columns.index(problem.column) if problem.column in columns else -1
        return sheet, problem.row or 0, column

    return sorted(problems, key=place)


# --- writing rows the way the sheets are read (the template's examples, round trips) ------------


def project_cells(row: ProjectRow) -> dict[str, str]:
    """A project's row as the projects sheet writes it, by header."""
    values = {
        "code": row.code,
        "name": row.name,
        "field": FIELD_TEXT.get(row.field, row.field),
        "location": str(row.location) if row.location else "",
        "investor": row.investor,
        "former_investor": row.former_investor,
        "former_district": str(row.former_district) if row.former_district else "",
        "total": format_vnd(row.total),
        **{
            f"source_{source}": format_vnd(row.fundings[source]) if source in row.fundings else ""
            for source in SOURCE_TEXT
        },
    }
    return {header(Kind.PROJECTS, key): value for key, value in values.items()}


def allocation_cells(row: AllocationRow) -> dict[str, str]:
    """An allocation's row as the allocations sheet writes it, by header."""
    values = {
        "project": row.project,
        "plan": row.plan,
        "source": SOURCE_TEXT.get(row.source, row.source),
        "level": LEVEL_TEXT.get(row.level, row.level),
        "amount": format_vnd(row.amount),
        "decision_number": row.decision_number,
        "decision_date": row.decision_date.strftime("%d/%m/%Y") if row.decision_date else "",
        "reason": row.reason,
    }
    return {header(Kind.ALLOCATIONS, key): value for key, value in values.items()}
