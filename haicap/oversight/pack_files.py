"""The briefing pack as files: a PDF with a section per commune, an Excel sheet of blocks.

Both are drawn from the pack's ``Table``s alone, whatever section made them, so a section
registered later is printed without a change here.
"""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from haicap.dossiers.pdf import FormDocument, Line, TableBlock
from haicap.oversight.selectors import BriefingPack
from haicap.units.selectors import the_province


def printed(value: object) -> str:
    """A table's value as the PDF prints it, in the reader's conventions (66,7)."""
    if value is None:
        return "—"
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
        return number_format(value)
    return str(value)


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
                blocks.append(TableBlock(headings, (), (), empty=_("Nothing to show.")))
                headings = []
            for table in part.tables:
                headings.append(Line(table.title, italic=True))
                blocks.append(
                    TableBlock(
                        headings,
                        table.header,
                        [[printed(v) for v in row] for row in table.rows],
                        empty=_("Nothing to show."),
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


def pack_rows(pack: BriefingPack) -> Iterator[list[object]]:
    """The sheet's rows: a block per commune, a title line per section and table, then the
    table's header and rows, a blank line between tables."""
    yield [period_of(pack)]
    for commune in pack.communes:
        yield []
        yield [commune.commune.full_name.upper()]
        for part in commune.parts:
            yield [str(part.section.title)]
            for table in part.tables:
                yield [table.title]
                yield list(table.header)
                yield from ([sheet_value(v) for v in row] for row in table.rows)
                yield []
