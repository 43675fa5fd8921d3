"""The tables of the capital plans' Fiscal Data Package (pure: no Django): the rows haicap
writes, and each CSV file's Table Schema (columns with their types, constraints and the budget
taxonomy's ``columnType`` hints, primary and foreign keys). ``fiscal_package`` writes them."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

# The type haicap adds to the budget taxonomy's column types: a budget level's code and label.
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
                "The official code of the abolished district whose budget allocated capital; empty "
                "where the registry holds none (former_district_name names it).",
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
