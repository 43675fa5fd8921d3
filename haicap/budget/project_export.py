"""The list of projects as an Excel workbook: the projects the reader filtered, in the list's
order, under a title row saying which plan the amounts are of, with a frozen header, amounts as
whole đồng shown with thousands separators, and the totals at the foot."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from haicap.budget.models import Plan, Project
from haicap.budget.project_selectors import LEVELS, amounts_by_level
from haicap.budget.services.projects import today
from haicap.core.exports import MAX_EXPORT_ROWS, fit_columns, put
from haicap.core.sheet_cells import BOLD, TITLE, new_workbook
from haicap.core.sheet_names import sheet_names

if TYPE_CHECKING:
    from openpyxl import Workbook

MONEY_FORMAT = "#,##0"  # whole đồng; Excel groups the thousands as the reader's settings say
CHUNK = 500
FIRST_ROW = 3  # the title, then the header


def title(plan: Plan | None) -> str:
    day = formats.date_format(today(), "SHORT_DATE_FORMAT")
    if plan is None:
        return _("Public-investment projects on %(day)s") % {"day": day}
    return _("Public-investment projects of the %(plan)s on %(day)s") % {
        "plan": plan.name,
        "day": day,
    }


def headings(plan: Plan | None) -> list[str]:
    names = [
        _("Project code"),
        _("Name"),
        _("Field"),
        _("Investor"),
        _("Commune or ward"),
        _("Former district"),
        _("Total investment (VND)"),
    ]
    if plan is not None:
        # in the order of ``LEVELS``
        names += [
            _("Province level (VND)"),
            _("District level, abolished (VND)"),
            _("Commune level (VND)"),
            _("In the plan (VND)"),
        ]
    return names


def _values(project: Project) -> list:
    return [
        project.code,
        project.name,
        project.get_field_display(),
        project.investor.name if project.investor else "",
        project.location.full_name if project.location else "",
        project.former_district.full_name if project.former_district else "",
        project.total_investment,
    ]


def projects_workbook(projects: QuerySet[Project], plan: Plan | None) -> Workbook:
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = sheet_names([_("Projects")])[0]
    put(sheet, 1, 1, title(plan), style=TITLE)
    names = headings(plan)
    for column, heading in enumerate(names, start=1):
        put(sheet, 2, column, heading, style=BOLD)
    first_money = 7  # the total investment, then the plan's amounts
    totals = [0] * (len(names) - first_money + 1)
    row = FIRST_ROW
    for start in range(0, MAX_EXPORT_ROWS, CHUNK):
        chunk = list(projects[start : start + CHUNK])
        if not chunk:
            break
        amounts = amounts_by_level(plan, chunk) if plan is not None else {}
        for project in chunk:
            values = _values(project)
            if plan is not None:
                held = amounts.get(project.pk, {})
                values += [held.get(level, 0) for level in LEVELS] + [sum(held.values())]
            for column, value in enumerate(values, start=1):
                cell = put(sheet, row, column, value)
                if column >= first_money:
                    cell.number_format = MONEY_FORMAT
                    totals[column - first_money] += value
            row += 1
    put(sheet, row, 1, _("Total"), style=BOLD)
    for offset, total in enumerate(totals):
        put(sheet, row, first_money + offset, total, style=BOLD).number_format = MONEY_FORMAT
    sheet.freeze_panes = f"A{FIRST_ROW}"
    fit_columns(sheet, skip_rows=(1,))
    return workbook
