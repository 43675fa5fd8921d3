"""What the reports API answers about templates: each version's terms, and its definition as
data (sections, cells with their kinds, units, choices, columns and sources, rules)."""

import datetime as dt

from ninja import Field, Schema

from haicap.core.api import LocalDateTime
from haicap.core.collation import vietnamese_key
from haicap.core.report_sources import report_sources
from haicap.reports.api_inputs import one_of
from haicap.reports.definition import Cell, Kind, Op
from haicap.reports.models import PERIOD_KIND_LABELS, ReportTemplate
from haicap.reports.schedule import PeriodKind
from haicap.units.models import AdministrativeUnit

PeriodKindName = one_of(PeriodKind)
CellKind = one_of(Kind)
RuleOp = one_of(Op)


class ReportCommuneOut(Schema):
    id: int
    code: str | None = Field(description="none for a commune abolished by the 2025 merger")
    name: str

    @staticmethod
    def of(unit: AdministrativeUnit) -> "ReportCommuneOut":
        return ReportCommuneOut(id=unit.pk, code=unit.code, name=unit.full_name)


class ReportTemplateSummary(Schema):
    code: str
    version: int
    name: str
    period_kind: PeriodKindName
    period_kind_label: str
    due_days: int = Field(description="the report is due this many days after the period ends")
    late_after_days: int = Field(description="first submitted after this many days: late")
    in_force_from: dt.date = Field(description="periods starting from this day use this version")
    published_at: LocalDateTime
    every_commune: bool = Field(description="every commune in force files it (no list)")


class ReportColumnOut(Schema):
    key: str
    label: str
    kind: CellKind


class ReportSourceOut(Schema):
    key: str = Field(description="a registered report source")
    label: str | None = Field(description="none when no app registers the source any more")
    params: dict[str, str]


class ReportCellDefinitionOut(Schema):
    key: str
    label: str
    kind: CellKind
    unit: str
    required: bool
    highlight: bool = Field(description="a text the province reads first (difficulties, proposals)")
    help: str
    choices: list[str]
    columns: list[ReportColumnOut]
    source: ReportSourceOut | None = Field(description="where the cell is pre-filled from")


class ReportSectionOut(Schema):
    key: str
    title: str
    cells: list[ReportCellDefinitionOut]


class ReportRuleOut(Schema):
    key: str
    left: list[str] = Field(description='cell keys, or "table.column" for a column\'s sum')
    op: RuleOp
    right: list[str]
    message: str


class ReportTemplateDetail(ReportTemplateSummary):
    filers: list[ReportCommuneOut] = Field(
        description="the communes that file it; empty: every commune"
    )
    sections: list[ReportSectionOut]
    rules: list[ReportRuleOut]


def source_label(key: str) -> str | None:
    source = report_sources.get(key)
    return None if source is None else str(source.label)


def template_fields(template: ReportTemplate, every_commune: bool) -> dict:
    return {
        "code": template.code,
        "version": template.version,
        "name": template.name,
        "period_kind": template.period_kind,
        "period_kind_label": str(PERIOD_KIND_LABELS[template.kind]),
        "due_days": template.due_days,
        "late_after_days": template.late_after_days,
        "in_force_from": template.in_force_from,
        "published_at": template.published_at,
        "every_commune": every_commune,
    }


def template_summary(template: ReportTemplate) -> ReportTemplateSummary:
    every = not template.filers.all()  # prefetched by the list
    return ReportTemplateSummary(**template_fields(template, every))


def _cell_definition(cell: Cell) -> ReportCellDefinitionOut:
    source = None
    if cell.source is not None:
        source = ReportSourceOut(
            key=cell.source.key,
            label=source_label(cell.source.key),
            params=dict(cell.source.params),
        )
    return ReportCellDefinitionOut(
        key=cell.key,
        label=cell.label,
        kind=cell.kind.value,
        unit=cell.unit,
        required=cell.required,
        highlight=cell.highlight,
        help=cell.help,
        choices=list(cell.choices),
        columns=[
            ReportColumnOut(key=c.key, label=c.label, kind=c.kind.value) for c in cell.columns
        ],
        source=source,
    )


def template_detail(template: ReportTemplate) -> ReportTemplateDetail:
    definition = template.parsed
    filers = sorted(template.filers.all(), key=lambda u: (vietnamese_key(u.name), u.pk))
    return ReportTemplateDetail(
        **template_fields(template, not filers),
        filers=[ReportCommuneOut.of(u) for u in filers],
        sections=[
            ReportSectionOut(key=s.key, title=s.title, cells=[_cell_definition(c) for c in s.cells])
            for s in definition.sections
        ],
        rules=[
            ReportRuleOut(
                key=r.key, left=list(r.left), op=r.op.value, right=list(r.right), message=r.message
            )
            for r in definition.rules
        ],
    )
