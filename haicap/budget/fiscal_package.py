"""The capital plans as a Fiscal Data Package (pure: no Django).

A Fiscal Data Package is a Tabular Data Package (``datapackage.json`` beside CSV files, each
described by a Table Schema) whose descriptor adds a ``model``: the measures (amounts, with
their currency) and the dimensions that classify them. The columns also carry the budget
taxonomy's ``columnType`` hints (``value``, ``date:fiscal-year``,
``administrative-classification:generic:level1:code``…), so a reader that knows the spec
understands the columns without knowing haicap.

Five CSV files, UTF-8 with a header row, comma-separated, days as ISO dates, amounts in whole
đồng written as integers (never a float, never a thousands separator):

- ``plans.csv``: the plans (code, kind, years);
- ``projects.csv``: the projects and their classifications;
- ``plan.csv``: each non-zero balance of a plan (project, source, budget level);
- ``changes.csv``: every ledger entry behind those balances;
- ``disbursement.csv``: what each project disbursed in each month.

The rows are written as they come (any iterable), so a caller can stream them from the
database into the zip without holding them.
"""

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import IO, Any

PROFILE = "fiscal-data-package"
DESCRIPTOR = "datapackage.json"
CURRENCY = "VND"
COUNTRY = "VN"
# The budget taxonomy the columnType hints come from, and the types haicap adds to it.
TAXONOMY = "https://frictionlessdata.io/taxonomies/fiscal/budgets.json"
BUDGET_LEVEL = "budget-level"

# --- the rows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    code: str
    name: str
    kind: str
    kind_label: str
    first_year: int
    last_year: int


@dataclass(frozen=True)
class ProjectRow:
    code: str
    name: str
    field_code: str
    field_label: str
    location_code: str | None
    location_name: str | None
    investor_level: str | None  # the budget level of the investor after the reform
    investor_level_label: str | None
    investor_unit_code: str | None  # the commune, or the province for a provincial agency
    investor_unit_name: str | None
    investor_code: str | None
    investor_name: str | None
    former_investor: str | None
    former_district_code: str | None
    former_district_name: str | None
    total_investment: int


@dataclass(frozen=True)
class BalanceRow:
    plan: str
    first_year: int
    last_year: int
    project: str
    source: str
    source_label: str
    level: str
    level_label: str
    amount: int


@dataclass(frozen=True)
class ChangeRow:
    id: int
    plan: str
    project: str
    source: str
    level: str
    amount: int
    kind: str
    kind_label: str
    decision_number: str
    decision_date: dt.date
    reason: str
    batch: int | None
    reverses: int | None


@dataclass(frozen=True)
class DisbursementRow:
    project: str
    year: int
    month: int
    amount: int


@dataclass(frozen=True)
class Rows:
    """What the package holds: any iterables, read once, in this order."""

    plans: Iterable[PlanRow]
    projects: Iterable[ProjectRow]
    balances: Iterable[BalanceRow]
    changes: Iterable[ChangeRow]
    disbursement: Iterable[DisbursementRow]


# --- what the descriptor says ------------------------------------------------------------------

Choices = tuple[tuple[str, str], ...]  # (code, label)


@dataclass(frozen=True)
class Codes:
    """The codes a column may hold (its ``enum`` constraint), with their labels."""

    fields: Choices
    sources: Choices
    levels: Choices
    kinds: Choices
    plan_kinds: Choices


@dataclass(frozen=True)
class License:
    name: str  # an Open Definition identifier
    path: str
    title: str


OPEN_LICENSE = License(
    "CC-BY-4.0",
    "https://creativecommons.org/licenses/by/4.0/",
    "Creative Commons Attribution 4.0",
)


@dataclass(frozen=True)
class Meta:
    name: str  # lower case, digits, "-", "_", "." (the spec's pattern)
    title: str
    description: str
    publisher: str  # who publishes it: the source of the data
    created: dt.datetime
    years: tuple[int, int] | None  # the first and last fiscal year of the plans included
    codes: Codes
    note: str = ""  # said first in the description (illustrative data says so)
    license: License = OPEN_LICENSE
    keywords: tuple[str, ...] = ("public investment", "capital plan", "Vietnam")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, date
    title: str
    description: str
    column_type: str | None = None  # the taxonomy's hint, where one fits
    required: bool = False
    enum: Sequence[str] | None = None
    minimum: int | None = None
    maximum: int | None = None

    def schema(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "title": self.title,
            "description": self.description,
        }
        if self.type == "date":
            described["format"] = "default"  # ISO 8601: YYYY-MM-DD
        if self.column_type:
            described["columnType"] = self.column_type
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum is not None:
            constraints["enum"] = list(self.enum)
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        if constraints:
            described["constraints"] = constraints
        return described


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    title: str
    description: str
    row: type
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, resource, its column)

    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def values(self, row: Any) -> tuple:
        """The row's values in the columns' order."""
        return attrgetter(*self.header())(row)

    def resource(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [c.schema() for c in self.columns],
            "primaryKey": list(self.primary_key),
            "missingValues": [""],
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": column, "reference": {"resource": resource, "fields": target}}
                for column, resource, target in self.foreign_keys
            ]
        return {
            "name": self.name,
            "path": self.path,
            "profile": "tabular-data-resource",
            "title": self.title,
            "description": self.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True},
            "schema": schema,
        }


def _codes(choices: Choices) -> list[str]:
    return [code for code, _label in choices]


def _amount(description: str) -> Column:
    return Column(
        "amount",
        "integer",
        "Số tiền (đồng)",
        description,
        "value",
        required=True,
    )


def _project(column: str = "project") -> Column:
    return Column(
        column,
        "string",
        "Mã dự án",
        "The project's code (projects.csv).",
        "activity:generic:project:code",
        required=True,
    )


def tables(codes: Codes) -> tuple[Table, ...]:
    """The package's five tables, in the order they are written."""
    plan_code = Column(
        "plan",
        "string",
        "Mã kế hoạch vốn",
        "The plan's code (plans.csv): 2021-2025 for the medium-term plan, the year for an "
        "annual plan.",
        required=True,
    )
    first_year = Column(
        "first_year",
        "integer",
        "Năm đầu",
        "The plan's first fiscal year (the calendar year in Vietnam).",
        "date:fiscal-year",
        required=True,
    )
    last_year = Column(
        "last_year",
        "integer",
        "Năm cuối",
        "The plan's last fiscal year (the first for an annual plan).",
        "date:fiscal-year:last",
        required=True,
    )
    source = Column(
        "source",
        "string",
        "Mã nguồn vốn",
        "Where the money comes from.",
        "fin-source:generic:level1:code",
        required=True,
        enum=_codes(codes.sources),
    )
    source_label = Column(
        "source_label",
        "string",
        "Nguồn vốn",
        "The source's name.",
        "fin-source:generic:level1:label",
    )
    level = Column(
        "level",
        "string",
        "Mã cấp ngân sách",
        "The budget level that holds the allocation (district: abolished on 1 July 2025).",
        f"{BUDGET_LEVEL}:code",
        required=True,
        enum=_codes(codes.levels),
    )
    level_label = Column(
        "level_label", "string", "Cấp ngân sách", "The level's name.", f"{BUDGET_LEVEL}:label"
    )
    plans = Table(
        "plans",
        "data/plans.csv",
        "Kế hoạch vốn",
        "The capital plans: the medium-term plan 2021–2025 and the annual plans.",
        PlanRow,
        (
            Column(
                "code",
                "string",
                "Mã kế hoạch vốn",
                "The plan's code.",
                required=True,
            ),
            Column("name", "string", "Tên kế hoạch", "The plan's name.", required=True),
            Column(
                "kind",
                "string",
                "Mã loại kế hoạch",
                "medium_term or annual.",
                required=True,
                enum=_codes(codes.plan_kinds),
            ),
            Column("kind_label", "string", "Loại kế hoạch", "The kind's name."),
            first_year,
            last_year,
        ),
        ("code",),
    )
    projects = Table(
        "projects",
        "data/projects.csv",
        "Dự án đầu tư công",
        "The projects, classified by field, location and investor after the reform.",
        ProjectRow,
        (
            _project("code"),
            Column(
                "name",
                "string",
                "Tên dự án",
                "The project's name.",
                "activity:generic:project:label",
                required=True,
            ),
            Column(
                "field_code",
                "string",
                "Mã lĩnh vực",
                "The sector invested in.",
                "functional-classification:generic:level1:code",
                required=True,
                enum=_codes(codes.fields),
            ),
            Column(
                "field_label",
                "string",
                "Lĩnh vực",
                "The sector's name.",
                "functional-classification:generic:level1:label",
            ),
            Column(
                "location_code",
                "string",
                "Mã đơn vị hành chính nơi thực hiện",
                "The official code of the commune it is built in (empty: several).",
                "geo:target:code",
            ),
            Column(
                "location_name",
                "string",
                "Địa điểm thực hiện",
                "The commune it is built in.",
                "geo:target:title",
            ),
            Column(
                "investor_level",
                "string",
                "Mã cấp của chủ đầu tư",
                "The budget level the investor belongs to after the reform: province or "
                "commune (empty: no investor decided yet).",
                "administrative-classification:generic:level1:code",
                enum=_codes(codes.levels),
            ),
            Column(
                "investor_level_label",
                "string",
                "Cấp của chủ đầu tư",
                "The level's name.",
                "administrative-classification:generic:level1:label",
            ),
            Column(
                "investor_unit_code",
                "string",
                "Mã đơn vị hành chính của chủ đầu tư",
                "The official code of the investor's commune, or of the province for a "
                "provincial agency.",
                "administrative-classification:generic:level2:code",
            ),
            Column(
                "investor_unit_name",
                "string",
                "Đơn vị hành chính của chủ đầu tư",
                "The investor's commune, or the province.",
                "administrative-classification:generic:level2:label",
            ),
            Column(
                "investor_code",
                "string",
                "Mã chủ đầu tư",
                "The investor's agency code.",
                "administrative-classification:generic:level3:code",
            ),
            Column(
                "investor_name",
                "string",
                "Chủ đầu tư",
                "The investor after the reform.",
                "administrative-classification:generic:level3:label",
            ),
            Column(
                "former_investor",
                "string",
                "Chủ đầu tư trước sắp xếp",
                "The investor before the reform, as the plan named it.",
            ),
            Column(
                "former_district_code",
                "string",
                "Mã huyện cũ",
                "The official code of the abolished district whose budget allocated capital.",
                "geo:source:code",
            ),
            Column(
                "former_district_name",
                "string",
                "Huyện cũ",
                "The abolished district.",
                "geo:source:title",
            ),
            Column(
                "total_investment",
                "integer",
                "Tổng mức đầu tư (đồng)",
                "The project's total investment, every source, in đồng.",
                "value:total-investment",
                required=True,
                minimum=1,
            ),
        ),
        ("code",),
    )
    balances = Table(
        "plan",
        "data/plan.csv",
        "Kế hoạch vốn theo dự án, nguồn vốn và cấp ngân sách",
        "What each project holds in each plan, by source and budget level: the sum of the "
        "plan's ledger entries (changes.csv). Zero balances are left out.",
        BalanceRow,
        (
            plan_code,
            first_year,
            last_year,
            _project(),
            source,
            source_label,
            level,
            level_label,
            _amount("The plan in force, in đồng."),
        ),
        ("plan", "project", "source", "level"),
        (("plan", "plans", "code"), ("project", "projects", "code")),
    )
    changes = Table(
        "changes",
        "data/changes.csv",
        "Sổ cái thay đổi kế hoạch vốn",
        "Every change to a plan, in the order recorded: allocations, adjustments, the "
        "transfer of the abolished districts' capital (a minus on the district level, a plus "
        "on the province or the commune), and reversals. Never edited: a correction is a "
        "reversing entry.",
        ChangeRow,
        (
            Column(
                "id",
                "integer",
                "Số thứ tự bút toán",
                "The entry's number in the ledger.",
                required=True,
                minimum=1,
            ),
            plan_code,
            _project(),
            source,
            level,
            _amount("Signed: a plus adds to the balance, a minus takes from it, in đồng."),
            Column(
                "kind",
                "string",
                "Mã loại thay đổi",
                "allocation, adjustment, transfer or reversal.",
                "value-kind:code",
                required=True,
                enum=_codes(codes.kinds),
            ),
            Column("kind_label", "string", "Loại thay đổi", "The kind's name.", "value-kind:label"),
            Column(
                "decision_number",
                "string",
                "Số quyết định",
                "The decision behind the entry.",
                required=True,
            ),
            Column(
                "decision_date",
                "date",
                "Ngày quyết định",
                "The decision's date (YYYY-MM-DD): the entry is in force from that day.",
                "date:fiscal:activity-approval",
                required=True,
            ),
            Column("reason", "string", "Lý do", "Why the plan changed.", required=True),
            Column(
                "batch",
                "integer",
                "Số đợt điều chuyển",
                "The transfer batch a transfer entry belongs to (empty otherwise).",
            ),
            Column(
                "reverses",
                "integer",
                "Bút toán được đảo",
                "The entry a reversal cancels (empty otherwise).",
            ),
        ),
        ("id",),
        (
            ("plan", "plans", "code"),
            ("project", "projects", "code"),
            ("reverses", "", "id"),  # the same table
        ),
    )
    disbursement = Table(
        "disbursement",
        "data/disbursement.csv",
        "Giải ngân theo tháng",
        "What each project disbursed in each month (not cumulative), in đồng.",
        DisbursementRow,
        (
            _project(),
            Column("year", "integer", "Năm", "The fiscal year.", "date:fiscal-year", required=True),
            Column(
                "month",
                "integer",
                "Tháng",
                "The month (1 to 12).",
                "date:fiscal-month",
                required=True,
                minimum=1,
                maximum=12,
            ),
            Column(
                "amount",
                "integer",
                "Số tiền giải ngân (đồng)",
                "Disbursed in the month, in đồng.",
                "value",
                required=True,
                minimum=0,
            ),
        ),
        ("project", "year", "month"),
        (("project", "projects", "code"),),
    )
    return plans, projects, balances, changes, disbursement


def _measure(resource: str, phase: str) -> dict[str, str]:
    return {
        "source": "amount",
        "resource": resource,
        "currency": CURRENCY,
        "direction": "expenditure",
        "phase": phase,
    }


def _attribute(resource: str, source: str, **more: str) -> dict[str, str]:
    return {"source": source, "resource": resource, **more}


MODEL = {
    "measures": {
        "plan_amount": _measure("plan", "approved"),
        "change_amount": _measure("changes", "adjusted"),
        "disbursed_amount": _measure("disbursement", "executed"),
    },
    "dimensions": {
        "plan": {
            "dimensionType": "datetime",
            "primaryKey": ["plan"],
            "attributes": {
                "plan": _attribute("plan", "plan"),
                "first_year": _attribute("plan", "first_year"),
                "last_year": _attribute("plan", "last_year"),
            },
        },
        "project": {
            "dimensionType": "activity",
            "primaryKey": ["project"],
            "attributes": {
                "project": _attribute("projects", "code"),
                "project_name": _attribute("projects", "name", labelfor="project"),
            },
        },
        "field": {
            "dimensionType": "classification",
            "classificationType": "functional",
            "primaryKey": ["field"],
            "attributes": {
                "field": _attribute("projects", "field_code"),
                "field_label": _attribute("projects", "field_label", labelfor="field"),
            },
        },
        "source": {
            "dimensionType": "classification",
            "primaryKey": ["source"],
            "attributes": {
                "source": _attribute("plan", "source"),
                "source_label": _attribute("plan", "source_label", labelfor="source"),
            },
        },
        "level": {
            "dimensionType": "classification",
            "classificationType": "administrative",
            "primaryKey": ["level"],
            "attributes": {
                "level": _attribute("plan", "level"),
                "level_label": _attribute("plan", "level_label", labelfor="level"),
            },
        },
        "investor": {
            "dimensionType": "classification",
            "classificationType": "administrative",
            "primaryKey": ["investor_level", "investor_unit", "investor"],
            "attributes": {
                "investor_level": _attribute("projects", "investor_level"),
                "investor_level_label": _attribute(
                    "projects", "investor_level_label", labelfor="investor_level"
                ),
                "investor_unit": _attribute(
                    "projects", "investor_unit_code", parent="investor_level"
                ),
                "investor_unit_name": _attribute(
                    "projects", "investor_unit_name", labelfor="investor_unit"
                ),
                "investor": _attribute("projects", "investor_code", parent="investor_unit"),
                "investor_name": _attribute("projects", "investor_name", labelfor="investor"),
            },
        },
        "location": {
            "dimensionType": "location",
            "primaryKey": ["location"],
            "attributes": {
                "location": _attribute("projects", "location_code"),
                "location_name": _attribute("projects", "location_name", labelfor="location"),
            },
        },
    },
}

# The types haicap adds to the taxonomy (the spec's explicit typing).
COLUMN_TYPES = [
    {"name": f"{BUDGET_LEVEL}:code", "dataType": "string", "unique": True},
    {"name": f"{BUDGET_LEVEL}:label", "dataType": "string", "labelOf": f"{BUDGET_LEVEL}:code"},
]


def descriptor(meta: Meta) -> dict[str, Any]:
    """The ``datapackage.json`` of a package holding ``meta``'s plans."""
    described: dict[str, Any] = {
        "profile": PROFILE,
        "name": meta.name,
        "title": meta.title,
        "description": f"{meta.note}\n\n{meta.description}" if meta.note else meta.description,
        "created": meta.created.isoformat(timespec="seconds"),
        "licenses": [
            {"name": meta.license.name, "path": meta.license.path, "title": meta.license.title}
        ],
        "sources": [{"title": meta.publisher}],
        "keywords": list(meta.keywords),
        "countryCode": COUNTRY,
        "currency": CURRENCY,
        "granularity": "aggregated",
    }
    if meta.years is not None:
        first, last = meta.years
        described["fiscalPeriod"] = {"start": f"{first:04d}-01-01", "end": f"{last:04d}-12-31"}
    described["columnTypes"] = [TAXONOMY, COLUMN_TYPES]
    described["model"] = MODEL
    described["resources"] = [table.resource() for table in tables(meta.codes)]
    return described


def descriptor_json(described: dict[str, Any]) -> bytes:
    """The descriptor as the file holds it: UTF-8, Vietnamese letters as they are."""
    return (json.dumps(described, ensure_ascii=False, indent=2) + "\n").encode()


# --- writing -----------------------------------------------------------------------------------


def cell(value: object) -> str:
    """A value as its CSV cell: nothing for None, ISO for a day, digits for an integer."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):  # a bool is an int: never meant here
        raise TypeError("no column holds a yes/no")
    if isinstance(value, int | str):
        return str(value)
    raise TypeError(f"no column holds a {type(value).__name__}")


def write_table(target: IO[bytes], table: Table, rows: Iterable[Any]) -> None:
    """``rows`` (of the table's row class) as CSV into ``target``, header first."""
    with io.TextIOWrapper(target, encoding="utf-8", newline="") as text:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(table.header())
        for row in rows:
            if not isinstance(row, table.row):
                raise TypeError(f"{table.name} holds {table.row.__name__} rows")
            writer.writerow([cell(value) for value in table.values(row)])


def write_zip(target: IO[bytes], meta: Meta, rows: Rows) -> None:
    """The package, zipped, into ``target`` (which may not be seekable)."""
    described = descriptor(meta)
    by_table = (rows.plans, rows.projects, rows.balances, rows.changes, rows.disbursement)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DESCRIPTOR, descriptor_json(described))
        for table, table_rows in zip(tables(meta.codes), by_table, strict=True):
            with archive.open(table.path, "w") as entry:
                write_table(entry, table, table_rows)
