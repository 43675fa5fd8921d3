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
from decimal import Decimal
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


# The last lines of the body printed on the page of "Nơi nhận" and the signature: the last
# task's last line and the closing sentence (Decree 30/2020/NĐ-CP, App. I: the signature does
# not stand alone on a page).
KEPT_WITH_SIGNATURE = 2
SUBTASK_INDENT_MM = 10
# No gender is stored for an account, so participants are named "Đồng chí", the form the
# provincial People's Committee's notices use for officials whatever their gender.
HONORIFIC = "Đồng chí"


@dataclass(frozen=True)
class Issuing:
    """Who issues the notice, whose conclusion it states, who signs it and the symbol of its
    number: the title, the signature and the number always agree."""

    issuer_parent: str
    issuer: str
    issuer_parent_bold: bool
    symbol: str  # "TB-UBND", the number's symbol after the ordinal
    signer_capacity: str  # "KT. CHỦ TỊCH"
    signer_title: str  # "PHÓ CHỦ TỊCH"
    speaker: str  # whose conclusion: "Phó Chủ tịch Ủy ban nhân dân tỉnh"
    reports_to_chairman: bool  # "- Chủ tịch UBND tỉnh (để b/c);" heads "Nơi nhận"


def is_vice_chairman(title: str) -> bool:
    """Whether a leader's office (free text: "Phó Chủ tịch UBND tỉnh") is a vice chairman's."""
    return "phó chủ tịch" in unicodedata.normalize("NFC", title).casefold()


def issuing(province: str, group_number: str, leader_title: str) -> Issuing:
    """The notice's issuer for a group led by someone holding ``leader_title``.

    A working group led by a Vice Chairman concludes through the provincial People's Committee:
    the notice is the PPC's ("Thông báo kết luận của Phó Chủ tịch UBND tỉnh ... tại buổi làm
    việc ..."), numbered in the PPC's series with the symbol TB-UBND and signed "KT. CHỦ TỊCH /
    PHÓ CHỦ TỊCH" (Decree 30/2020/NĐ-CP, Art. 13 and App. III for "KT.", App. VI for the
    symbol); the Chairman, on whose behalf the Vice Chairman signs, gets it for information
    (để b/c). A group led by anyone else issues in its own name, "TM. TỔ CÔNG TÁC / TỔ
    TRƯỞNG", and then the number is the group's own, TB-TCT.
    """
    if is_vice_chairman(leader_title):
        return Issuing(
            issuer_parent="Ủy ban nhân dân",
            issuer=province,
            issuer_parent_bold=True,
            symbol="TB-UBND",
            signer_capacity="KT. CHỦ TỊCH",
            signer_title="PHÓ CHỦ TỊCH",
            speaker="Phó Chủ tịch Ủy ban nhân dân tỉnh",
            reports_to_chairman=True,
        )
    group = f"Tổ công tác số {group_number}"
    return Issuing(
        issuer_parent=f"Ủy ban nhân dân {province}",
        issuer=group,
        issuer_parent_bold=False,
        symbol="TB-TCT",
        signer_capacity="TM. TỔ CÔNG TÁC",
        signer_title="TỔ TRƯỞNG",
        speaker=group,
        reports_to_chairman=False,
    )


def numbered(number: str, symbol: str) -> str:
    """The notice's number with its symbol: "95" and "95/TB-UBND" give "95/TB-UBND".

    Decree 30/2020/NĐ-CP, App. I, II.4: the ordinal in Arabic figures, then the symbol of the
    document's kind and of the issuing body. ``ValueError`` when the ordinal is not a number
    or the number carries another issuer's symbol.
    """
    ordinal, slash, given = number.strip().partition("/")
    ordinal = ordinal.strip()
    if not ordinal.isdigit() or not ordinal.isascii():
        raise ValueError(f"the number must begin with its ordinal in figures, as in 95/{symbol}")
    if slash and given.strip().upper() != symbol:
        raise ValueError(f"the number's symbol must be {symbol}, as in {ordinal}/{symbol}")
    return f"{ordinal}/{symbol}"


@dataclass(frozen=True)
class Target:
    """A directive's measurable target, as the notice states it in words."""

    measure: str  # "Tỷ lệ tiếp nhận trực tuyến"
    percent: bool  # a share (printed "51 %") rather than a count
    where: str  # "xã Đô Lương", "" for the whole province
    field: str  # "Đất đai", "" for every field
    comparison: str  # ">=", "<=" or "="
    threshold: Decimal
    start: dt.date
    end: dt.date


SIGNS = {">=": "≥", "<=": "≤", "=": "="}
QUARTERS = ("I", "II", "III", "IV")


def _figure(value: Decimal) -> str:
    """51 → "51", 40.50 → "40,5": the decimal comma Vietnamese documents write."""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def period_words(start: dt.date, end: dt.date) -> str:
    """ "trong quý IV/2026" for a calendar quarter, "từ ngày 01/10/2026 đến ngày 15/11/2026"
    otherwise."""
    quarter = (start.month - 1) // 3
    ends = dt.date(start.year + (quarter == 3), (quarter + 1) % 4 * 3 + 1, 1) - dt.timedelta(1)
    if start.day == 1 and start.month == quarter * 3 + 1 and end == ends:
        return f"trong quý {QUARTERS[quarter]}/{start.year}"
    return f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


def target_words(target: Target) -> str:
    """ "Chỉ tiêu: tỷ lệ tiếp nhận trực tuyến tại xã Đô Lương ≥ 51 % trong quý IV/2026"."""
    what = target.measure[:1].lower() + target.measure[1:]
    if not target.percent:
        what = f"số {what}"
    where = f"tại {target.where}" if target.where else "trên toàn tỉnh"
    field = f", lĩnh vực {target.field}" if target.field else ""
    figure = _figure(target.threshold) + (" %" if target.percent else "")
    sign = SIGNS[target.comparison]
    period = period_words(target.start, target.end)
    return f"Chỉ tiêu: {what} {where}{field} {sign} {figure} {period}"


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
    target: Target | None = None
    subtasks: Sequence["DirectiveLine"] = ()  # printed under it, numbered "1.1.", set in


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
    issuer_parent_bold: bool = False  # the issuer has no parent body: both lines in bold


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
        lines += _directive_lines(f"{number}.", directive, 0)
        for sub, subtask in enumerate(directive.subtasks, start=1):
            lines += _directive_lines(f"{number}.{sub}.", subtask, SUBTASK_INDENT_MM)
    lines.append(Line(notice.closing))
    return lines


def _directive_lines(number: str, directive: DirectiveLine, indent: float) -> list[Line]:
    texts = [_ended(f"{number} {directive.task}", "."), f"- Cơ quan chủ trì: {directive.lead}"]
    if directive.supporting:
        texts.append(f"- Cơ quan phối hợp: {', '.join(directive.supporting)}")
    texts.append(f"- Thời hạn hoàn thành: trước ngày {directive.deadline:%d/%m/%Y}")
    if directive.target:
        texts.append(f"- {target_words(directive.target)}")
    if directive.expected_result:
        texts.append(f"- Kết quả cần đạt: {directive.expected_result}")
    texts = [texts[0]] + [_ended(t, ";") for t in texts[1:-1]] + [_ended(texts[-1], ".")]
    return [Line(text, indent_mm=indent) for text in texts]


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
            issuer_parent_bold=notice.issuer_parent_bold,
            page_numbers=True,
            kept_with_signature=KEPT_WITH_SIGNATURE,
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
    lines = body_lines(notice)
    for number, line in enumerate(lines, start=1):
        paragraph = _paragraph(
            document, line.text, ADMINISTRATIVE.body_size, bold=line.bold, italic=line.italic
        )
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        layout = paragraph.paragraph_format
        layout.first_line_indent = Mm(10)
        layout.space_before = Pt(6)
        if line.indent_mm:
            layout.left_indent = Mm(line.indent_mm)
        # the last lines go with "Nơi nhận" and the signature (Decree 30/2020/NĐ-CP, App. I)
        if number > len(lines) - KEPT_WITH_SIGNATURE:
            layout.keep_with_next = layout.keep_together = True
    _signing(document, notice, width)
    _page_numbers(document)
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
    parent_bold = notice.issuer_parent_bold
    _paragraph(issuing, notice.issuer_parent.upper(), header, bold=parent_bold, center=True)
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
    gap = document.add_paragraph()
    gap.paragraph_format.keep_with_next = True
    table = _borderless_table(document, 1, (left, right))
    # the row is not split across pages, and each of its lines keeps with the next, so Word
    # moves "Nơi nhận" and the signature to a page together, with the body's last lines
    row = table.rows[0]._tr.get_or_add_trPr()
    row.append(OxmlElement("w:cantSplit"))
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
    for cell in (recipients, signature):
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_together = True
            paragraph.paragraph_format.keep_with_next = True


def _page_numbers(document: WordDocument) -> None:
    """The page number centred at the top from the second page on (Decree 30/2020/NĐ-CP,
    App. I): a PAGE field in the header, the first page's header left empty."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run()
    run.font.size = Pt(ADMINISTRATIVE.body_size)
    # a field: begin, its code, separate, the number last computed (Word updates it), end
    parts = [("w:fldChar", "begin"), ("w:instrText", " PAGE "), ("w:fldChar", "separate")]
    parts += [("w:t", "2"), ("w:fldChar", "end")]
    for tag, value in parts:
        element = OxmlElement(tag)
        if tag == "w:fldChar":
            element.set(qn("w:fldCharType"), value)
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = value
        run._r.append(element)
