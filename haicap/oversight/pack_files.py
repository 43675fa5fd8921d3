"""The briefing pack as files: a PDF with a section per commune, an Excel sheet per commune.

Both are drawn from the pack's ``Table``s alone, whatever section made them, so a section
registered later is printed without a change here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.core.briefing import Hundredths
from haicap.core.exports import fit_columns, put
from haicap.core.sheet_cells import BOLD, ITALIC, new_workbook
from haicap.core.sheet_names import sheet_names
from haicap.dossiers.pdf import FormDocument, Line, TableBlock
from haicap.oversight.selectors import BriefingPack, CommunePack
from haicap.units.selectors import the_province

if TYPE_CHECKING:
    from openpyxl import Workbook

# What a section or table with nothing in it says, on the page, in the PDF and in the sheet.
NOTHING = gettext_lazy("Nothing to report")
HUNDREDTH = Decimal("0.01")
HUNDREDTHS_FORMAT = "#,##0.00"  # a section's figure given to the hundredth, in the sheet


def printed(value: object) -> str:
    """A table's value as the PDF prints it, in the reader's conventions (66,7)."""
    if value is None:
        return "—"
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Hundredths):
        return number_format(value.quantize(HUNDREDTH), 2, force_grouping=True)
    if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
        return figure(value)
    return str(value)


def figure(value: Decimal | float | int, percent: bool = False) -> str:
    """The one way oversight shows a number, in the reader's conventions: a count with its
    thousands grouped (21.511), a rate or any fraction with one decimal (32,8), a percentage
    followed by " %" (32,8 %)."""
    if isinstance(value, int) and not percent:
        return number_format(value, force_grouping=True)
    number = Decimal(str(value))
    if not percent and number == number.to_integral_value():  # a count read as a decimal
        return number_format(int(number), force_grouping=True)
    rounded = number.quantize(Decimal("0.1"), ROUND_HALF_UP)  # number_format truncates
    shown = number_format(rounded, 1, force_grouping=True)
    return f"{shown} %" if percent else shown


def sheet_value(value: object) -> object:
    """A table's value as the sheet keeps it: numbers and dates as such, for sums and sorting."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    return value


def title_of(pack: BriefingPack) -> str:
    group = pack.inspection.group
    return _("Briefing pack: %(group)s, visit of %(day)s") % {
        "group": group.name,
        "day": date_format(pack.inspection.held_on, "SHORT_DATE_FORMAT"),
    }


def period_of(pack: BriefingPack) -> str:
    return _("Figures from %(start)s to %(end)s") % {
        "start": date_format(pack.period.start, "SHORT_DATE_FORMAT"),
        "end": date_format(pack.period.end, "SHORT_DATE_FORMAT"),
    }


def pack_document(pack: BriefingPack) -> FormDocument:
    """One document: for each commune, its sections, each with its tables."""
    blocks = []
    for number, commune in enumerate(pack.communes, start=1):
        headings = [Line(f"{number}. {commune.commune.full_name}".upper(), bold=True)]
        for part in commune.parts:
            headings.append(Line(str(part.section.title), bold=True))
            if not part.tables:
                blocks.append(TableBlock(headings, (), (), empty=str(NOTHING)))
                headings = []
            for table in part.tables:
                headings.append(Line(table.title, italic=True))
                blocks.append(
                    TableBlock(
                        headings,
                        table.header,
                        [[printed(v) for v in row] for row in table.rows],
                        empty=str(NOTHING),
                    )
                )
                headings = []
    province = the_province()
    return FormDocument(
        issuer_parent=f"Ủy ban nhân dân {province.full_name}" if province else "",
        issuer=f"Tổ công tác số {pack.inspection.group.number}",
        form_number="",
        title=title_of(pack).upper(),
        reference=period_of(pack),
        blocks=blocks,
    )


def pack_rows(pack: BriefingPack, commune: CommunePack) -> Iterator[tuple[list[object], str]]:
    """A commune's sheet, row by row, each with its style: "title", "heading", "header",
    "note" (a line of text running across) or "" (a table's row). The commune, the pack's
    title and period, then a heading per section and table, the table's header and rows (their
    values as the tables hold them), a blank line between tables; what is empty says so."""
    yield [commune.commune.full_name.upper()], "title"
    yield [title_of(pack)], "note"
    yield [period_of(pack)], "note"
    for part in commune.parts:
        yield [], ""
        yield [str(part.section.title)], "title"
        if not part.tables:
            yield [str(NOTHING)], "note"
        for table in part.tables:
            yield [table.title], "heading"
            yield list(table.header), "header"
            if not table.rows:
                yield [str(NOTHING)], "note"
            yield from ((list(row), "") for row in table.rows)
            yield [], ""


STYLES = {"title": BOLD, "heading": ITALIC, "header": BOLD}


def pack_workbook(pack: BriefingPack) -> Workbook:
    """A sheet per commune, named by it ("xã Đô Lương"); days as date cells shown dd/mm/yyyy,
    each column as wide as what it holds."""
    workbook = new_workbook()
    workbook.remove(workbook.active)
    communes = pack.communes
    names = sheet_names([c.commune.full_name for c in communes] or [title_of(pack)])
    if not communes:
        sheet = workbook.create_sheet(names[0])
        for number, text in enumerate((title_of(pack), period_of(pack), str(NOTHING)), 1):
            put(sheet, number, 1, text)
        return workbook
    for name, commune in zip(names, communes, strict=True):
        sheet = workbook.create_sheet(name)
        titles = []
        for number, (values, style) in enumerate(pack_rows(pack, commune), start=1):
            if style in ("title", "heading", "note"):
                titles.append(number)  # a line running across: not a column's width
            for column, value in enumerate(values, start=1):
                cell = put(sheet, number, column, sheet_value(value), style=STYLES.get(style))
                if isinstance(value, Hundredths):
                    cell.number_format = HUNDREDTHS_FORMAT
        fit_columns(sheet, skip_rows=titles)
    return workbook
