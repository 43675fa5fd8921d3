"""A commune's submitted report as an administrative document, Word and PDF (pure: no Django).

Laid out by haicap's one layout of administrative documents
(``haicap.dossiers.administrative_document``, Decree 30/2020/NĐ-CP): the commune's People's
Committee issues it, with no parent body above it (App. I), as "Số: /BC-UBND", the number left
for the clerical office to write in; the title "BÁO CÁO" and, under it, what is reported and for
which period; the template's sections as headings and their cells as numbered lines, tables as
ruled grids; a figure the commune wrote instead of haicap's is marked and footnoted with both
figures and the commune's reason; then "Nơi nhận" and the leader's signature on behalf of the
committee ("TM. ỦY BAN NHÂN DÂN").

It takes plain values (``ReportPaper``: the template's definition and the submitted entries),
not the reports app's rows: the caller reads those.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from haicap.dossiers import administrative_document as layout
from haicap.dossiers.administrative_document import (
    AdministrativeDocument,
    Signature,
    ended,
    place_and_date,
    recipient_lines,
)
from haicap.dossiers.pdf import Grid, Line
from haicap.reports.definition import Cell, Definition, Kind
from haicap.reports.values import Entry, number_text

TITLE = "BÁO CÁO"
ISSUER_PARENT = "Ủy ban nhân dân"
# The ordinal is written in by the clerical office when the report is registered and sent: its
# room is kept by no-break spaces, which no renderer squeezes into one.
NUMBER = "\u00a0" * 8 + "/BC-UBND"
ON_BEHALF = "TM. ỦY BAN NHÂN DÂN"
RECIPIENTS = ("Ủy ban nhân dân tỉnh (để b/c)", "Sở Nội vụ")
NOTES_HEADING = "Ghi chú:"
NO_FIGURE = "không có số liệu"
NOTHING = "không có"
TOTAL = "Tổng cộng"
ORDINAL_HEADING = "STT"
BODY_WIDTH_MM = 165  # A4 less the decree's margins (30 mm left, 15 mm right)
ORDINAL_WIDTH_MM = 12
GRID_SIZE = 11
# The closing sentence goes with "Nơi nhận" and the signature (App. I).
KEPT_WITH_SIGNATURE = 1


@dataclass(frozen=True)
class ReportPaper:
    """What a submitted report says, as plain values."""

    commune: str  # "xã Đô Lương" (its full name, printed in capitals under the committee)
    place: str  # "Đô Lương"
    submitted_on: dt.date  # in Vietnam
    template_name: str  # "Báo cáo tình hình hoạt động của chính quyền địa phương hai cấp"
    period: str  # "tháng 11 năm 2026" (``schedule.label_vi``)
    definition: Definition  # the version it was filed against
    entries: Mapping[str, Entry]
    signer_title: str  # "CHỦ TỊCH", or "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    signer_name: str


def figure(value: Decimal) -> str:
    """A number as Vietnamese documents write it: 1234567 → "1.234.567", 12.5 → "12,5"."""
    text = number_text(value)
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _point, decimals = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + decimals if decimals else "")


def signed_figure(value: Decimal) -> str:
    """A difference with its sign: "+12", "-3", "0"."""
    return ("+" if value > 0 else "") + figure(value)


def with_unit(value: Decimal, unit: str) -> str:
    return f"{figure(value)} {unit}" if unit else figure(value)


def roman(number: int) -> str:
    """1 → "I", 4 → "IV", 14 → "XIV": the sections' numbers."""
    found = ""
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        count, number = divmod(number, value)
        found += letters * count
    return found


def summary(paper: ReportPaper) -> str:
    """The line under "BÁO CÁO": what is reported, for which period. The title already says
    "Báo cáo", so a template named "Báo cáo tình hình ..." gives "Tình hình ... tháng 11 năm
    2026"."""
    name = paper.template_name.strip()
    if name.casefold().startswith("báo cáo "):
        name = name[len("báo cáo ") :].strip()
        name = name[:1].upper() + name[1:]
    return f"{name} {paper.period}"


@dataclass(frozen=True)
class Override:
    """A figure the commune wrote instead of haicap's, as its footnote says it."""

    label: str
    unit: str
    haicap: Decimal | None
    written: Decimal | None
    reason: str


def override_of(cell: Cell, entry: Entry) -> Override | None:
    if not entry.overridden or entry.reading is None:
        return None
    written = entry.value if isinstance(entry.value, Decimal) else None
    return Override(cell.label, cell.unit, entry.reading.value, written, entry.reason)


def note_text(mark: int, override: Override) -> str:
    """ "[1] Số hồ sơ tiếp nhận: số liệu trên haicap 0 hồ sơ, xã báo cáo 12 hồ sơ (+12). Lý
    do: ..."."""

    def said(value: Decimal | None) -> str:
        return NO_FIGURE if value is None else with_unit(value, override.unit)

    text = (
        f"[{mark}] {override.label}: số liệu trên haicap {said(override.haicap)},"
        f" xã báo cáo {said(override.written)}"
    )
    if override.haicap is not None and override.written is not None:
        text += f" ({signed_figure(override.written - override.haicap)})"
    reason = " ".join(override.reason.split())
    return ended(f"{text}. Lý do: {reason}", ".") if reason else f"{text}."


def total_row(cell: Cell, rows: Sequence[Mapping[str, object]]) -> list[str]:
    """The number columns' sums, "Tổng cộng" in the first text column (or, with none, in the
    ordinal's)."""
    total, labelled = [""], False
    for column in cell.columns:
        if column.kind == Kind.NUMBER:
            found = [r[column.key] for r in rows if isinstance(r.get(column.key), Decimal)]
            total.append(figure(sum(found, Decimal(0))) if found else "")
        elif not labelled:
            total.append(TOTAL)
            labelled = True
        else:
            total.append("")
    if not labelled:
        total[0] = TOTAL
    return total


def table_grid(cell: Cell, rows: Sequence[Mapping[str, object]]) -> Grid:
    """A table cell as a ruled grid: a numbered row each, then the number columns' totals."""
    room = BODY_WIDTH_MM - ORDINAL_WIDTH_MM
    widths = (ORDINAL_WIDTH_MM, *([room / len(cell.columns)] * len(cell.columns)))
    numbers = [i for i, c in enumerate(cell.columns) if c.kind == Kind.NUMBER]
    printed = []
    for ordinal, row in enumerate(rows, start=1):
        line = [str(ordinal)]
        for column in cell.columns:
            value = row.get(column.key)
            if isinstance(value, Decimal):
                line.append(figure(value))
            else:
                line.append("" if value is None else str(value))
        printed.append(line)
    bold = 0
    if numbers and rows:
        printed.append(total_row(cell, rows))
        bold = 1
    header = (ORDINAL_HEADING, *(c.label for c in cell.columns))
    return Grid(
        header,
        printed,
        widths,
        size=GRID_SIZE,
        bold_rows=bold,
        figures=frozenset(1 + i for i in numbers),
    )


def cell_blocks(number: int, cell: Cell, entry: Entry, mark: int | None) -> list[Line | Grid]:
    """One cell as numbered lines ("1. Số hồ sơ tiếp nhận: 1.234 hồ sơ"), a table under its
    line; ``mark``: the footnote of an overridden figure."""
    lead = f"{number}. {cell.label}"
    noted = f" [{mark}]" if mark is not None else ""
    value = entry.value
    if cell.kind == Kind.NUMBER:
        said = with_unit(value, cell.unit) if isinstance(value, Decimal) else NO_FIGURE
        return [Line(f"{lead}: {said}{noted}")]
    if cell.kind == Kind.TABLE:
        rows = value if isinstance(value, tuple) else ()
        if not rows:
            return [Line(f"{lead}: {NOTHING}")]
        return [Line(f"{lead}:"), table_grid(cell, rows)]
    paragraphs = [p.strip() for p in str(value or "").splitlines() if p.strip()]
    if not paragraphs:
        return [Line(f"{lead}: {NOTHING}")]
    return [Line(f"{lead}: {paragraphs[0]}"), *(Line(p) for p in paragraphs[1:])]


def body_lines(paper: ReportPaper) -> list[Line | Grid]:
    """The sections, each a heading and its numbered cells; the overrides' notes; the closing
    sentence."""
    blocks: list[Line | Grid] = []
    overrides: list[Override] = []
    for index, section in enumerate(paper.definition.sections, start=1):
        blocks.append(Line(f"{roman(index)}. {section.title.upper()}", bold=True))
        for number, cell in enumerate(section.cells, start=1):
            entry = paper.entries.get(cell.key, Entry())
            override = override_of(cell, entry)
            if override is not None:
                overrides.append(override)
            mark = len(overrides) if override is not None else None
            blocks += cell_blocks(number, cell, entry, mark)
    if overrides:
        blocks.append(Line(NOTES_HEADING, bold=True, italic=True))
        blocks += [
            Line(note_text(mark, o), italic=True) for mark, o in enumerate(overrides, start=1)
        ]
    blocks.append(Line(f"Trên đây là báo cáo của Ủy ban nhân dân {paper.commune}./."))
    return blocks


def document_of(paper: ReportPaper) -> AdministrativeDocument:
    """The report as the administrative document both files print."""
    return AdministrativeDocument(
        issuer_parent=ISSUER_PARENT,
        issuer=paper.commune,
        issuer_parent_bold=True,
        number=NUMBER,
        place_and_date=place_and_date(paper.place, paper.submitted_on),
        title=TITLE,
        summary=summary(paper),
        body=body_lines(paper),
        signatures=[Signature(f"{ON_BEHALF}\n{paper.signer_title}", paper.signer_name)],
        recipients=recipient_lines(RECIPIENTS),
        kept_with_signature=KEPT_WITH_SIGNATURE,
    )


def to_docx(paper: ReportPaper) -> bytes:
    return layout.to_docx(document_of(paper))


def to_pdf(paper: ReportPaper) -> bytes:
    return layout.to_pdf(document_of(paper))
