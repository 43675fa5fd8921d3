"""A working group's conclusion notice ("Thông báo kết luận") as Word and as PDF (no Django).

Laid out as Decree 30/2020/NĐ-CP sets out an administrative document: the issuing body and the
number on the left, the national motto on the right, the place and date under it, the title and
its summary, the body, then "Nơi nhận" on the left and the signature on the right. The Word file
is what officials edit and sign; the PDF comes from the printed forms' renderer, set in the
decree's layout. Both take their body from ``body_lines``, so they say the same thing.

It takes plain values (``Notice``), not the oversight app's records: the caller reads those.
"""

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from reportlab.pdfbase.pdfmetrics import stringWidth

from haicap.core.characters import printable
from haicap.dossiers import pdf
from haicap.dossiers.pdf import ADMINISTRATIVE, MOTTO, RECIPIENTS_HEADING, FormDocument, Line

FONT = "Times New Roman"
PAGE_MM = (210, 297)  # A4
CLOSING = "Thông báo để các cơ quan, đơn vị, địa phương biết, thực hiện./."
PARTICIPANTS_HEADING = "I. THÀNH PHẦN"
FINDINGS_HEADING = "II. TÌNH HÌNH, KHÓ KHĂN, VƯỚNG MẮC TẠI CÁC XÃ"
DIRECTIVES_HEADING = "III. KẾT LUẬN VÀ GIAO NHIỆM VỤ"
# The Word tables' cells keep 1 mm on each side (Word's default is 1.9 mm), which leaves the
# issuing body and the motto room for one line each, as in the PDF.
CELL_MARGIN_MM = 1
CELL_PADDING_MM = 2 * CELL_MARGIN_MM


@dataclass(frozen=True)
class CommuneFindings:
    """What the group found in one commune it visited."""

    commune: str  # "Xã Đô Lương"
    findings: Sequence[str]


@dataclass(frozen=True)
class DirectiveLine:
    """One task of the conclusion, as the notice prints it."""

    task: str
    lead: str  # the agency that leads it
    deadline: dt.date
    expected_result: str
    supporting: Sequence[str] = ()  # the agencies that support it


@dataclass(frozen=True)
class Notice:
    """What the conclusion notice says, as plain values."""

    issuer_parent: str  # "Ủy ban nhân dân tỉnh Nghệ An" (printed in capitals)
    issuer: str  # "Tổ công tác số 4" (printed in capitals)
    number: str  # "12/TB-TCT", printed "Số: 12/TB-TCT"
    place: str  # "Nghệ An"
    date: dt.date
    summary: str  # "Kết luận của Tổ công tác số 4 ... tại các xã ..."
    participants: Sequence[str]
    findings: Sequence[CommuneFindings]
    directives: Sequence[DirectiveLine]
    recipients: Sequence[str]  # without the archive line, which ``archive`` makes
    signer_capacity: str  # "TM. TỔ CÔNG TÁC"
    signer_title: str  # "TỔ TRƯỞNG"
    signer_name: str
    title: str = "THÔNG BÁO"
    archive: str = "VT"  # "- Lưu: VT." (the clerical office keeps the original)
    closing: str = CLOSING
    conclusions: Sequence[str] = ()  # the group's assessment, a paragraph each, before the tasks


def place_and_date(place: str, date: dt.date) -> str:
    """ "Nghệ An, ngày 05 tháng 12 năm 2026": the decree pads days below 10 and months below 3."""
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"{place}, ngày {date.day:02d} tháng {month} năm {date.year}"


def _ended(text: str, mark: str) -> str:
    """``text`` ending in ``mark``, unless it already ends in a punctuation mark of its own."""
    return text if text.endswith((".", ";", ":", "!", "?")) else text + mark


def _items(texts: Sequence[str]) -> list[str]:
    """Texts as the lines of a list: "- ...;" each, the last "- ...."."""
    return [
        _ended(f"- {text}", "." if i == len(texts) - 1 else ";") for i, text in enumerate(texts)
    ]


def recipient_lines(recipients: Sequence[str], archive: str = "VT") -> list[str]:
    """The "Nơi nhận" lines: "- Sở Nội vụ;" each, then "- Lưu: VT."."""
    return [_ended(f"- {name}", ";") for name in recipients] + [f"- Lưu: {archive}."]


def body_lines(notice: Notice) -> list[Line]:
    """The notice's body: who took part, what was found commune by commune, the group's
    conclusions and the directives."""
    lines = [Line(PARTICIPANTS_HEADING, bold=True)]
    lines += [Line(text) for text in _items(notice.participants)]
    lines.append(Line(FINDINGS_HEADING, bold=True))
    for number, commune in enumerate(notice.findings, start=1):
        lines.append(Line(f"{number}. {commune.commune}", bold=True))
        lines += [Line(text) for text in _items(commune.findings)]
    lines.append(Line(DIRECTIVES_HEADING, bold=True))
    lines += [Line(paragraph) for paragraph in notice.conclusions]
    for number, directive in enumerate(notice.directives, start=1):
        lines.append(Line(_ended(f"{number}. {directive.task}", ".")))
        lines.append(Line(_ended(f"- Cơ quan chủ trì: {directive.lead}", ";")))
        if directive.supporting:
            lines.append(
                Line(_ended(f"- Cơ quan phối hợp: {', '.join(directive.supporting)}", ";"))
            )
        lines.append(Line(f"- Thời hạn hoàn thành: trước ngày {directive.deadline:%d/%m/%Y};"))
        lines.append(Line(_ended(f"- Kết quả cần đạt: {directive.expected_result}", ".")))
    lines.append(Line(notice.closing))
    return lines


def _signature_role(notice: Notice) -> str:
    return f"{notice.signer_capacity.upper()}\n{notice.signer_title.upper()}"


def to_pdf(notice: Notice) -> bytes:
    """The notice as PDF, from the printed forms' renderer in the decree's layout."""
    return pdf.render(
        FormDocument(
            issuer_parent=notice.issuer_parent,
            issuer=notice.issuer,
            form_number="",
            title=notice.title,
            summary=notice.summary,
            number=notice.number,
            place_and_date=place_and_date(notice.place, notice.date),
            paragraphs=body_lines(notice),
            recipients=recipient_lines(notice.recipients, notice.archive),
            signatures=[(_signature_role(notice), notice.signer_name)],
            layout=ADMINISTRATIVE,
        )
    )


# The Word file.


def to_docx(notice: Notice) -> bytes:
    """The notice as a Word file: A4, the decree's margins, Times New Roman throughout."""
    document = Document()
    _set_up_page(document)
    _set_up_type(document)
    _top, right, _bottom, left = ADMINISTRATIVE.margins_mm
    width = PAGE_MM[0] - left - right
    _header(document, notice, width)
    title = _paragraph(document, notice.title, ADMINISTRATIVE.title_size, bold=True, center=True)
    title.paragraph_format.space_before = Pt(18)
    _paragraph(document, notice.summary, ADMINISTRATIVE.title_size, bold=True, center=True)
    _rule(
        document, min(_text_width_mm(notice.summary, ADMINISTRATIVE.title_size), width) / 3, width
    )
    for line in body_lines(notice):
        paragraph = _paragraph(
            document, line.text, ADMINISTRATIVE.body_size, bold=line.bold, italic=line.italic
        )
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Mm(10)
        paragraph.paragraph_format.space_before = Pt(6)
    _signing(document, notice, width)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_up_page(document: WordDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    top, right, bottom, left = ADMINISTRATIVE.margins_mm
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)


def _set_up_type(document: WordDocument) -> None:
    """Times New Roman for every script slot of every run, in Vietnamese, single-spaced.

    Word picks a run's font by the script of its characters; a Vietnamese letter can fall in the
    east-Asian or complex-script slot, which the template fills from its theme (Calibri). So the
    defaults and the Normal style name the font for all four slots, and the theme is dropped.
    """
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    properties = defaults.find(qn("w:rPr"))
    _name_font(properties.find(qn("w:rFonts")))
    properties.find(qn("w:lang")).set(qn("w:val"), "vi-VN")
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(ADMINISTRATIVE.body_size)
    _name_font(normal.element.rPr.rFonts)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _name_font(fonts: BaseOxmlElement) -> None:
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def _paragraph(
    container: WordDocument | _Cell,
    text: str,
    size: float,
    bold: bool = False,
    italic: bool = False,
    center: bool = False,
) -> Paragraph:
    """A paragraph of one run, added to a document or a table cell."""
    paragraph = container.add_paragraph()
    run = paragraph.add_run(printable(text))
    run.font.size = Pt(size)
    run.bold, run.italic = bold or None, italic or None
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _empty_cell(cell: _Cell, width_mm: float) -> _Cell:
    """The cell at its width, without the paragraph it starts with (its first one comes next)."""
    cell.width = Mm(width_mm)
    cell._tc.remove(cell.paragraphs[0]._p)
    return cell


def _borderless_table(document: WordDocument, rows: int, widths_mm: Sequence[float]) -> Table:
    table = document.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{edge}")
        border.set(qn("w:val"), "nil")
        borders.append(border)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(CELL_MARGIN_MM / 25.4 * 1440)))  # in twips
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    # in the order the table's properties keep: borders, shading, layout, cell margins, look
    properties = table._tbl.tblPr
    properties.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
    properties.insert_element_before(margins, "w:tblLook")
    # Word lays a fixed table out by its grid, other readers by the cells: both are set
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            _empty_cell(cell, width)
    return table


def _rule(container: WordDocument | _Cell, length_mm: float, room_mm: float) -> None:
    """The decree's short solid line, centred: an empty paragraph 1 pt high with a top border."""
    paragraph = container.add_paragraph()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        top.set(qn(f"w:{name}"), value)
    borders.append(top)
    # pBdr comes before spacing and indentation, which python-docx then adds after it
    paragraph._p.get_or_add_pPr().append(borders)
    layout = paragraph.paragraph_format
    layout.space_before, layout.space_after, layout.line_spacing = Pt(2), Pt(0), Pt(1)
    margin = max(room_mm - length_mm, 0) / 2
    layout.left_indent = layout.right_indent = Mm(margin)


def _text_width_mm(text: str, size: float, bold: bool = True) -> float:
    """About how wide ``text`` is set in Times: its letters' widths without their marks.

    Reportlab's built-in Times metrics need no font file, so the Word file needs none either.
    """
    bare = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = (
        "".join(char for char in bare if not unicodedata.combining(char))
        .encode("latin-1", "replace")
        .decode("latin-1")
    )
    points = stringWidth(bare, "Times-Bold" if bold else "Times-Roman", size)
    return points * 25.4 / 72


def _header(document: WordDocument, notice: Notice, width: float) -> None:
    left = width * ADMINISTRATIVE.issuer_share
    right = width - left
    header, motto = ADMINISTRATIVE.header_size, ADMINISTRATIVE.motto_size
    table = _borderless_table(document, 2, (left, right))
    issuing = table.cell(0, 0)
    _paragraph(issuing, notice.issuer_parent.upper(), header, center=True)
    _paragraph(issuing, notice.issuer.upper(), header, bold=True, center=True)
    room = left - CELL_PADDING_MM
    _rule(issuing, min(_text_width_mm(notice.issuer.upper(), header), room) * 0.4, room)
    national = table.cell(0, 1)
    _paragraph(national, MOTTO[0], header, bold=True, center=True)
    _paragraph(national, MOTTO[1], motto, bold=True, center=True)
    room = right - CELL_PADDING_MM
    _rule(national, min(_text_width_mm(MOTTO[1], motto), room), room)
    number = _paragraph(
        table.cell(1, 0), f"Số: {notice.number}", ADMINISTRATIVE.body_size, center=True
    )
    when = place_and_date(notice.place, notice.date)
    dated = _paragraph(table.cell(1, 1), when, ADMINISTRATIVE.place_size, italic=True, center=True)
    number.paragraph_format.space_before = dated.paragraph_format.space_before = Pt(6)


def _signing(document: WordDocument, notice: Notice, width: float) -> None:
    """The recipients ("Nơi nhận") on the left, the signature on the right."""
    left = width * ADMINISTRATIVE.issuer_share
    right = width - left
    document.add_paragraph()
    table = _borderless_table(document, 1, (left, right))
    recipients = table.cell(0, 0)
    _paragraph(recipients, RECIPIENTS_HEADING, 12, bold=True, italic=True)
    for line in recipient_lines(notice.recipients, notice.archive):
        _paragraph(recipients, line, 11)
    signature = table.cell(0, 1)
    size = ADMINISTRATIVE.body_size
    for role in _signature_role(notice).split("\n"):
        _paragraph(signature, role, size, bold=True, center=True)
    name = _paragraph(signature, notice.signer_name, size, bold=True, center=True)
    name.paragraph_format.space_before = Pt(68)  # room to sign and seal, about 24 mm
