"""A transfer batch as an Excel workbook: its entries project by project (decreases and
increases as whole đồng with thousands separators), a total under each project and the
transfer's total at the foot; a second sheet with the check's verdict and each difference, so
the file filed or sent says what the page says."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from haicap.budget.models import TransferBatch
from haicap.budget.transfer_selectors import Review
from haicap.core.exports import fit_columns, put
from haicap.core.sheet_cells import BOLD, TITLE, Style, new_workbook
from haicap.core.sheet_names import sheet_names

if TYPE_CHECKING:
    from openpyxl import Workbook

MONEY_FORMAT = "#,##0"  # whole đồng; Excel groups the thousands as the reader's settings say
DECREASE, INCREASE = 6, 7  # the money columns


def status_words(batch: TransferBatch) -> str:
    if batch.is_draft:
        return _("draft, not approved")
    return _("approved by decision %(number)s of %(day)s") % {
        "number": batch.decision_number,
        "day": batch.decision_date.strftime("%d/%m/%Y"),
    }


def _money(sheet, row: int, decrease: int, increase: int, style: Style | None = None) -> None:
    for column, amount in ((DECREASE, decrease), (INCREASE, increase)):
        put(sheet, row, column, amount, style=style).number_format = MONEY_FORMAT


def _entries_sheet(sheet, batch: TransferBatch, seen: Review) -> None:
    put(sheet, 1, 1, f"{batch.title} · {status_words(batch)}", style=TITLE)
    headers = [
        _("Project code"),
        _("Project"),
        _("Investor"),
        _("Source of capital"),
        _("Budget level"),
        _("Decrease (VND)"),
        _("Increase (VND)"),
    ]
    for column, heading in enumerate(headers, start=1):
        put(sheet, 2, column, heading, style=BOLD)
    row = 3
    for group in seen.groups:
        project = group.project
        investor = project.investor.name if project.investor_id else ""
        for entry in group.entries:
            for column, value in enumerate(
                [
                    project.code,
                    project.name,
                    investor,
                    entry.get_source_display(),
                    entry.get_level_display(),
                ],
                start=1,
            ):
                put(sheet, row, column, value)
            _money(sheet, row, -entry.amount if entry.amount < 0 else 0, max(entry.amount, 0))
            row += 1
        put(sheet, row, 1, project.code, style=BOLD)
        put(sheet, row, 2, _("Total of the project"), style=BOLD)
        _money(sheet, row, group.decreases, group.increases, BOLD)
        row += 1
    put(sheet, row, 2, _("Total of the transfer"), style=BOLD)
    _money(sheet, row, seen.decreases, seen.increases, BOLD)
    sheet.freeze_panes = "A3"
    fit_columns(sheet, skip_rows=(1,))


def _verdict(batch: TransferBatch, seen: Review) -> str:
    if not seen.groups:
        return _("The transfer has no entries: there is nothing to approve.")
    if not seen.approvable:
        return _("Not balanced: the transfer cannot be approved until each of these is corrected.")
    if batch.is_draft:
        return _("Balanced: the transfer may be approved.")
    return _(
        "Balanced: the transfer was approved and written to the ledger; it can no longer change."
    )


def _check_sheet(sheet, batch: TransferBatch, seen: Review) -> None:
    put(sheet, 1, 1, _verdict(batch, seen), style=TITLE)
    put(sheet, 2, 1, _("Project code"), style=BOLD)
    put(sheet, 2, 2, _("Difference"), style=BOLD)
    for row, explanation in enumerate(seen.explanations, start=3):
        put(sheet, row, 1, explanation.project)
        put(sheet, row, 2, explanation.text)
    fit_columns(sheet, skip_rows=(1,))


def transfer_workbook(batch: TransferBatch, seen: Review) -> Workbook:
    workbook = new_workbook()
    entries = workbook.active
    entries.title, check = sheet_names([_("Transfer"), _("Check of the transfer")])
    _entries_sheet(entries, batch, seen)
    _check_sheet(workbook.create_sheet(check), batch, seen)
    return workbook
