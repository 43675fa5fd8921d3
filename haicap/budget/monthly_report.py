"""The monthly disbursement report, as an Excel workbook and a PDF, both drawn from the same
tables (``report_tables``) of a month's rates: the summary, the groups by investor, investing
commune, location, field and investor's level, every project, and the projects behind the pace.

The workbook keeps figures as numbers (sums and sorting work); the PDF prints them in the
reader's conventions. Both are in the reader's language, headed by the report's title.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from haicap.budget import rates
from haicap.budget.money import format_vnd
from haicap.budget.rates import GroupRate, MonthRates, ProjectRate
from haicap.core.exports import fit_columns, put
from haicap.core.sheet_cells import BOLD, TITLE, new_workbook
from haicap.core.sheet_names import sheet_names
from haicap.dossiers.pdf import REGISTER, FormDocument, Line, TableBlock
from haicap.units.selectors import the_province

if TYPE_CHECKING:
    from openpyxl import Workbook

SHARE_FORMAT = "#,##0.00"
AMOUNT_FORMAT = "#,##0"


@dataclass(frozen=True)
class ReportTable:
    """One table of the report: its title (the sheet's name too), headings, rows of values
    (amounts as int, shares as Decimal or None) and a total row (or none)."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[object]]
    total: Sequence[object] | None


def title(year: int, month: int) -> str:
    return _(
        "Report on the disbursement of public-investment capital, month %(month)d/%(year)d"
    ) % {
        "month": month,
        "year": year,
    }


def filename(year: int, month: int, suffix: str) -> str:
    return f"bao-cao-giai-ngan-{year}-{month:02d}.{suffix}"


def _pace_word(rate: GroupRate | ProjectRate) -> str:
    if rate.behind:
        return _("Behind")
    return _("Above plan") if rate.above_plan else ""


def _number() -> str:
    return pgettext("a table's row number", "No.")


def _plan_heading(month: MonthRates) -> str:
    return _("Plan in force at the end of month %(month)s (VND)") % {
        "month": f"{month.month}/{month.year}"
    }


def _group_header(what: str, month: MonthRates) -> list[str]:
    return [
        _number(),
        what,
        pgettext("how many", "Projects"),
        _plan_heading(month),
        _("Disbursed from January (VND)"),
        _("Share (%)"),
        _("Expected (%)"),
        _("Pace"),
    ]


def _group_row(number: int | str, group: GroupRate) -> list[object]:
    return [
        number,
        group.label,
        group.projects,
        group.plan,
        group.disbursed,
        group.share,
        group.expected,
        _pace_word(group),
    ]


def _project_header(month: MonthRates) -> list[str]:
    return [
        _number(),
        _("Project code"),
        _("Project"),
        _("Investor"),
        _plan_heading(month),
        _("Disbursed from January (VND)"),
        _("Share (%)"),
        _("Expected (%)"),
        _("Pace"),
    ]


def _project_row(number: int, rate: ProjectRate) -> list[object]:
    investor = rate.project.investor
    return [
        number,
        rate.project.code,
        rate.project.name,
        investor.name if investor is not None else _("No investor yet"),
        rate.plan,
        rate.disbursed,
        rate.share,
        rate.expected,
        _pace_word(rate),
    ]


def report_tables(month: MonthRates) -> list[ReportTable]:
    total = month.total
    summary = ReportTable(
        pgettext("the monthly report's first sheet", "Summary"),
        [_("Figure"), _("Value")],
        [
            [_("Annual plan"), month.plan.name if month.plan else _("No annual plan")],
            [_("Projects"), total.projects],
            [_("Plan in force at the month's end (VND)"), total.plan],
            [_("Disbursed from January (VND)"), total.disbursed],
            [_("Share disbursed (%)"), total.share],
            [_("Share expected by the month's end (%)"), month.expected],
            [_("Projects behind the pace"), len(month.behind)],
            [_("Projects above their plan in force"), len(month.above_plan)],
        ],
        None,
    )
    tables = [summary]
    for dimension, heading, what in (
        (rates.INVESTOR, _("By investor"), _("Investor")),
        (rates.COMMUNE, _("By investing commune"), _("Investing commune (or the province)")),
        (rates.LOCATION, _("By location"), _("Commune where the project is built")),
        (rates.FIELD, _("By field"), _("Field")),
        (rates.LEVEL, _("By investor's level"), _("Investor's level")),
    ):
        groups = month.by(dimension)
        tables.append(
            ReportTable(
                heading,
                _group_header(what, month),
                [_group_row(n, g) for n, g in enumerate(groups, start=1)],
                _group_row("", total),
            )
        )
    every = list(month.projects)
    total_row = [
        "",
        "",
        _("Total"),
        "",
        total.plan,
        total.disbursed,
        total.share,
        total.expected,
        _pace_word(total),
    ]
    tables.append(
        ReportTable(
            _("Projects"),
            _project_header(month),
            [_project_row(n, r) for n, r in enumerate(every, start=1)],
            total_row,
        )
    )
    tables.append(
        ReportTable(
            _("Behind the pace"),
            _project_header(month),
            [_project_row(n, r) for n, r in enumerate(month.behind, start=1)],
            None,
        )
    )
    return tables


def made_on(day: dt.date) -> str:
    return _("Made on %(day)s") % {"day": date_format(day, "SHORT_DATE_FORMAT")}


# --- Excel ------------------------------------------------------------------------------------


def report_workbook(month: MonthRates, scope: str, today: dt.date) -> Workbook:
    """A sheet per table, each headed by the report's title, its scope and the day it was
    made; amounts and shares are number cells."""
    workbook = new_workbook()
    workbook.remove(workbook.active)
    tables = report_tables(month)
    for name, table in zip(sheet_names([t.title for t in tables]), tables, strict=True):
        sheet = workbook.create_sheet(name)
        put(sheet, 1, 1, title(month.year, month.month), style=TITLE)
        put(sheet, 2, 1, scope)
        put(sheet, 3, 1, made_on(today))
        put(sheet, 4, 1, table.title, style=BOLD)
        for column, heading in enumerate(table.header, start=1):
            put(sheet, 5, column, heading, style=BOLD)
        lines = [(row, None) for row in table.rows]
        if table.total is not None:
            lines.append((table.total, BOLD))
        for line, (row, style) in enumerate(lines, start=6):
            for column, value in enumerate(row, start=1):
                cell = put(sheet, line, column, _cell_value(value), style=style)
                if isinstance(value, Decimal):
                    cell.number_format = SHARE_FORMAT
                elif isinstance(value, int) and value >= 1000:
                    cell.number_format = AMOUNT_FORMAT
        sheet.freeze_panes = "A6"
        fit_columns(sheet, skip_rows=(1, 2, 3, 4))
    return workbook


def _cell_value(value: object) -> object:
    return "" if value is None else value


# --- PDF --------------------------------------------------------------------------------------


def _printed(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return number_format(value, 2, force_grouping=True)
    if isinstance(value, int):
        return format_vnd(value)  # đồng as Vietnamese offices write them, in both languages
    return str(value)


def figure_columns(table: ReportTable) -> frozenset[int]:
    """The columns of amounts, counts and shares (after the row number), set to the right."""
    rows = [*table.rows, *([table.total] if table.total is not None else [])]
    columns = range(1, len(table.header))
    return frozenset(
        c
        for c in columns
        if any(_is_figure(row[c]) for row in rows)
        and all(_is_figure(row[c]) or row[c] in ("", None) for row in rows)
    )


def _is_figure(value: object) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def report_document(month: MonthRates, scope: str, today: dt.date) -> FormDocument:
    """The report on lying A4 pages: the province's People's Committee heading it, the title,
    the day it was made, then each table under its heading (a heading never left alone at the
    foot of a page), its total last."""
    province = the_province()
    blocks = []
    for number, table in enumerate(report_tables(month), start=1):
        rows = [[_printed(v) for v in row] for row in table.rows]
        if table.total is not None:
            rows.append([_printed(v) for v in table.total])
        blocks.append(
            TableBlock(
                headings=[Line(f"{number}. {table.title}", bold=True)],
                header=list(table.header),
                rows=rows,
                empty=_("No project."),
                figures=figure_columns(table),
            )
        )
    return FormDocument(
        issuer_parent="",
        issuer=f"Ủy ban nhân dân\n{province.full_name}" if province else "Ủy ban nhân dân",
        form_number="",
        title=title(month.year, month.month).upper(),
        reference=made_on(today),
        paragraphs=[Line(scope, italic=True)],
        blocks=blocks,
        layout=REGISTER,
        page_numbers=True,
    )
