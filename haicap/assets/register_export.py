"""The list of assets as an Excel workbook: the assets the reader filtered, in the list's order,
under a title row, with a frozen header, values as whole đồng shown with thousands separators,
days as dd/mm/yyyy, and the totals of original and remaining value at the foot."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from haicap.assets import selectors
from haicap.assets.models import Asset
from haicap.assets.services import register
from haicap.core.exports import MAX_EXPORT_ROWS, fit_columns, put
from haicap.core.sheet_cells import BOLD, TITLE, new_workbook
from haicap.core.sheet_names import sheet_names

if TYPE_CHECKING:
    from openpyxl import Workbook

MONEY_FORMAT = "#,##0"  # whole đồng; Excel groups the thousands as the reader's settings say
CHUNK = 500
FIRST_ROW = 3  # the title, then the header


def title() -> str:
    return _("Register of public assets on %(day)s") % {
        "day": formats.date_format(register.today(), "SHORT_DATE_FORMAT")
    }


def headings() -> tuple[str, ...]:
    return (
        _("Identifier"),
        _("Kind"),
        _("Category"),
        _("Name"),
        _("Held by"),
        _("Commune or ward"),
        _("Came from"),
        _("Address or place"),
        _("Floor area (m²)"),
        _("Original value (VND)"),
        _("Remaining value (VND)"),
        _("Year put in use"),
        _("Condition"),
        _("Status"),
        _("Date of the last move"),
    )


def money_headings() -> tuple[str, str]:
    return _("Original value (VND)"), _("Remaining value (VND)")


def _values(asset: Asset, held_since) -> tuple:
    return (
        asset.identifier,
        asset.kind.name,
        asset.kind.get_category_display(),
        asset.name,
        asset.holder.name if asset.holder else "",
        asset.holder.unit.full_name if asset.holder else "",
        register.origin_label(asset.origin),
        asset.address,
        float(asset.area_m2) if asset.area_m2 is not None else None,
        asset.original_value,
        asset.remaining_value,
        asset.acquired_year,
        asset.get_condition_display(),
        asset.get_status_display(),
        held_since,
    )


def assets_workbook(assets: QuerySet[Asset]) -> Workbook:
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = sheet_names([_("Public assets")])[0]
    put(sheet, 1, 1, title(), style=TITLE)
    names = headings()
    for column, heading in enumerate(names, start=1):
        put(sheet, 2, column, heading, style=BOLD)
    money = tuple(names.index(name) + 1 for name in money_headings())
    row = FIRST_ROW
    totals = [0, 0]
    for start in range(0, MAX_EXPORT_ROWS, CHUNK):
        chunk = list(assets[start : start + CHUNK])
        if not chunk:
            break
        latest = selectors.last_movements(chunk)
        for asset in chunk:
            moved = latest.get(asset.pk)
            for column, value in enumerate(_values(asset, moved.on if moved else None), start=1):
                cell = put(sheet, row, column, value)
                if column in money:
                    cell.number_format = MONEY_FORMAT
            totals[0] += asset.original_value
            totals[1] += asset.remaining_value
            row += 1
    put(sheet, row, 1, _("Total"), style=BOLD)
    for column, total in zip(money, totals, strict=True):
        put(sheet, row, column, total, style=BOLD).number_format = MONEY_FORMAT
    sheet.freeze_panes = f"A{FIRST_ROW}"
    fit_columns(sheet, skip_rows=(1,))
    # the grouped figures are wider than their digits
    for column in money:
        letter = sheet.cell(row=2, column=column).column_letter
        width = sheet.column_dimensions[letter].width or 10
        sheet.column_dimensions[letter].width = max(width, len(f"{max(totals):,}") + 3)
    return workbook
