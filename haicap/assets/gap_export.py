"""The equipment gap table as an Excel workbook: the same figures as the page, for the
communes and kinds the reader filtered. It counts items and names no one.

Two sheets: the table as the page shows it (a commune a row; for each kind what it needs, holds
and lacks), and one row per commune and kind with the desks, offices and norms behind it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from haicap.assets.needs import Need
from haicap.assets.selectors import GapSum, GapTable
from haicap.core.exports import fit_columns, put
from haicap.core.sheet_cells import BOLD, TITLE, Style, new_workbook
from haicap.core.sheet_names import sheet_names

if TYPE_CHECKING:
    from openpyxl import Workbook

PER_KIND = 4  # needed, held, lacking, beyond the need
FIRST_FIGURE = 4  # after the commune, its desks and its offices


def title_of() -> str:
    return _("Equipment by commune against the norms")


def gap_workbook(table: GapTable) -> Workbook:
    workbook = new_workbook()
    by_commune, details = workbook.active, workbook.create_sheet()
    by_commune.title, details.title = sheet_names([_("Gaps by commune"), _("Details")])
    _write_table(by_commune, table)
    _write_details(details, table)
    return workbook


def _figures(total: GapSum | Need | None) -> tuple[object, object, object, object]:
    if total is None:
        return "", "", "", ""
    return total.needed, total.held, total.gap, total.beyond


def _write_table(sheet, table: GapTable) -> None:
    from openpyxl.styles import Alignment

    put(sheet, 1, 1, title_of(), style=TITLE)
    for column, heading in enumerate(
        (_("Commune or ward"), _("One-stop desks"), _("Offices")), start=1
    ):
        put(sheet, 2, column, heading, style=BOLD)
        sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
    groups = [k.kind.name for k in table.kinds] + [_("All kinds")]
    for index, name in enumerate(groups):
        first = FIRST_FIGURE + index * PER_KIND
        put(sheet, 2, first, name, style=BOLD).alignment = Alignment(horizontal="center")
        sheet.merge_cells(
            start_row=2, start_column=first, end_row=2, end_column=first + PER_KIND - 1
        )
        for offset, heading in enumerate(
            (_("Needed"), _("Held"), _("Lacking"), _("Beyond the need"))
        ):
            put(sheet, 3, first + offset, heading, style=BOLD)
    row = 4
    for commune in table.communes:
        put(sheet, row, 1, commune.full_name)
        put(sheet, row, 2, table.desks(commune.pk))
        put(sheet, row, 3, table.offices(commune.pk))
        figures = [_figures(table.cell(commune.pk, k.kind.code)) for k in table.kinds]
        figures.append(_figures(table.row_total(commune.pk)))
        _put_figures(sheet, row, figures)
        row += 1
    put(sheet, row, 1, _("Total"), style=BOLD)
    put(sheet, row, 2, sum(table.desks(c.pk) for c in table.communes), style=BOLD)
    put(sheet, row, 3, sum(table.offices(c.pk) for c in table.communes), style=BOLD)
    totals = [_figures(table.column_total(k.kind.code)) for k in table.kinds]
    totals.append(_figures(table.total()))
    _put_figures(sheet, row, totals, style=BOLD)
    sheet.freeze_panes = "B4"
    fit_columns(sheet, skip_rows=(1,))


def _put_figures(sheet, row: int, figures: list[tuple], style: Style | None = None) -> None:
    for index, three in enumerate(figures):
        for offset, value in enumerate(three):
            put(sheet, row, FIRST_FIGURE + index * PER_KIND + offset, value, style=style)


def _write_details(sheet, table: GapTable) -> None:
    put(sheet, 1, 1, title_of(), style=TITLE)
    headings = (
        _("Commune or ward"),
        _("Commune code"),
        _("Kind"),
        _("Kind code"),
        _("One-stop desks"),
        _("Offices"),
        _("Per desk"),
        _("Per office"),
        _("Needed"),
        _("Held"),
        _("Lacking"),
        _("Beyond the need"),
    )
    for column, heading in enumerate(headings, start=1):
        put(sheet, 2, column, heading, style=BOLD)
    row = 3
    for commune in table.communes:
        for kind in table.kinds:
            need = table.cell(commune.pk, kind.kind.code)
            if need is None:
                continue
            values = (
                commune.full_name,
                commune.code,
                kind.kind.name,
                kind.kind.code,
                table.desks(commune.pk),
                table.offices(commune.pk),
                kind.norm.per_desk,
                kind.norm.per_office,
                need.needed,
                need.held,
                need.gap,
                need.beyond,
            )
            for column, value in enumerate(values, start=1):
                put(sheet, row, column, value)
            row += 1
    sheet.freeze_panes = "A3"
    fit_columns(sheet, skip_rows=(1,))
