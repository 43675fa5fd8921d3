"""The gap table as an Excel workbook: the same figures as the page, for the communes and
fields the reader filtered. The table counts officers and dossiers and names no one, so nothing
in it is masked.

Two sheets: the table as the page shows it (a commune a row; for each field its norm, officers
and gap), and one row per commune and field with everything behind the figures and the
sentence saying why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.translation import gettext as _

from haicap.core.exports import fit_columns, put
from haicap.core.sheet_cells import BOLD, TITLE, Style, new_workbook
from haicap.core.sheet_names import sheet_names
from haicap.staffing.norms import Basis
from haicap.staffing.selectors import GapSum, GapTable

if TYPE_CHECKING:
    from openpyxl import Workbook

PER_FIELD = 3  # norm, officers, gap


def title_of(table: GapTable) -> str:
    return _("Officers by commune and field on %(day)s") % {
        "day": formats.date_format(table.on, "SHORT_DATE_FORMAT")
    }


def _figures(total: GapSum | None) -> tuple[object, object, object]:
    if total is None:
        return "", "", ""
    return total.norm, total.filled, total.gap


def gap_workbook(table: GapTable) -> Workbook:
    workbook = new_workbook()
    by_commune, details = workbook.active, workbook.create_sheet()
    by_commune.title, details.title = sheet_names([_("Gaps by commune"), _("Details")])
    _write_table(by_commune, table)
    _write_details(details, table)
    return workbook


def _write_table(sheet, table: GapTable) -> None:
    from openpyxl.styles import Alignment

    put(sheet, 1, 1, title_of(table), style=TITLE)
    put(sheet, 2, 1, _("Commune or ward"), style=BOLD)
    sheet.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
    groups = [f.name for f in table.fields] + [_("All fields")]
    for index, name in enumerate(groups):
        first = 2 + index * PER_FIELD
        put(sheet, 2, first, name, style=BOLD).alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=2, start_column=first, end_row=2, end_column=first + 2)
        for offset, heading in enumerate((_("Norm"), _("Officers"), _("Gap"))):
            put(sheet, 3, first + offset, heading, style=BOLD)
    row = 4
    for commune in table.communes:
        put(sheet, row, 1, commune.full_name)
        figures = [
            _figures(found.standing if (found := table.cell(commune.pk, f.code)) else None)
            for f in table.fields
        ]
        figures.append(_figures(table.row_total(commune.pk)))
        _put_figures(sheet, row, figures)
        row += 1
    put(sheet, row, 1, _("Total"), style=BOLD)
    totals = [_figures(table.column_total(f.code)) for f in table.fields]
    totals.append(_figures(table.total()))
    _put_figures(sheet, row, totals, style=BOLD)
    sheet.freeze_panes = "B4"
    fit_columns(sheet, skip_rows=(1,))


def _put_figures(sheet, row: int, figures: list[tuple], style: Style | None = None) -> None:
    for index, three in enumerate(figures):
        for offset, value in enumerate(three):
            put(sheet, row, 2 + index * PER_FIELD + offset, value, style=style)


def _write_details(sheet, table: GapTable) -> None:
    put(sheet, 1, 1, title_of(table), style=TITLE)
    headings = (
        _("Commune or ward"),
        _("Commune code"),
        _("Field"),
        _("Norm set by"),
        _("Norm"),
        _("In its own posts"),
        _("Seconded in"),
        _("Seconded out"),
        _("Officers"),
        _("Gap"),
        _("Surplus"),
        _("Dossiers a month"),
        _("Overdue dossiers"),
        _("Why"),
    )
    for column, heading in enumerate(headings, start=1):
        put(sheet, 2, column, heading, style=BOLD)
    bases = {Basis.FIXED: _("Fixed by the province"), Basis.WORKLOAD: _("From the workload")}
    for row, cell in enumerate(table.in_order(), start=3):
        standing = cell.standing
        values = (
            cell.commune.full_name,
            cell.commune.code,
            cell.field.name,
            bases[standing.basis],
            standing.norm,
            standing.own,
            standing.seconded_in,
            standing.seconded_out,
            standing.filled,
            standing.gap,
            standing.surplus,
            float(standing.dossiers_per_month),
            standing.overdue_open,
            cell.sentence,
        )
        for column, value in enumerate(values, start=1):
            put(sheet, row, column, value)
    sheet.freeze_panes = "A3"
    fit_columns(sheet, skip_rows=(1,))
