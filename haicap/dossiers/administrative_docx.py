"""An administrative document (``administrative_document.AdministrativeDocument``) as a Word
file, with python-docx: what officials edit and sign."""

import unicodedata
from collections.abc import Sequence
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
from haicap.dossiers.administrative_document import AdministrativeDocument, role_lines
from haicap.dossiers.pdf import ADMINISTRATIVE, MOTTO, RECIPIENTS_HEADING, Grid

FONT = "Times New Roman"
PAGE_MM = (210, 297)  # A4
# The Word tables' cells keep 1 mm on each side (Word's default is 1.9 mm), which leaves the
# issuing body and the motto room for one line each, as in the PDF.
CELL_MARGIN_MM = 1
CELL_PADDING_MM = 2 * CELL_MARGIN_MM
SIGNING_ROOM_PT = 68  # room to sign and seal above the signer's name, about 24 mm


def to_docx(document: AdministrativeDocument) -> bytes:
    """The document as a Word file: A4, the decree's margins, Times New Roman throughout."""
    word = Document()
    _set_up_page(word)
    _set_up_type(word)
    _top, right, _bottom, left = ADMINISTRATIVE.margins_mm
    width = PAGE_MM[0] - left - right
    _header(word, document, width)
    title = _paragraph(word, document.title, ADMINISTRATIVE.title_size, bold=True, center=True)
    title.paragraph_format.space_before = Pt(18)
    if document.summary:
        size = ADMINISTRATIVE.title_size
        _paragraph(word, document.summary, size, bold=True, center=True)
        _rule(word, min(_text_width_mm(document.summary, size), width) / 3, width)
    blocks = document.body
    for number, block in enumerate(blocks, start=1):
        if isinstance(block, Grid):
            _grid(word, block)
            continue
        paragraph = _paragraph(
            word, block.text, ADMINISTRATIVE.body_size, bold=block.bold, italic=block.italic
        )
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        layout = paragraph.paragraph_format
        layout.first_line_indent = Mm(10)
        layout.space_before = Pt(6)
        if block.indent_mm:
            layout.left_indent = Mm(block.indent_mm)
        # the last lines go with "Nơi nhận" and the signature (Decree 30/2020/NĐ-CP, App. I)
        if number > len(blocks) - document.kept_with_signature:
            layout.keep_with_next = layout.keep_together = True
    _signing(word, document, width)
    _page_numbers(word)
    buffer = BytesIO()
    word.save(buffer)
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


def _table(
    document: WordDocument, rows: int, widths_mm: Sequence[float], border: str = "nil"
) -> Table:
    """A table of fixed columns, its cells empty, ruled with ``border`` ("nil": none)."""
    table = document.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), border)
        if border != "nil":
            for name, value in (("sz", "4"), ("space", "0"), ("color", "000000")):
                line.set(qn(f"w:{name}"), value)
        borders.append(line)
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


def _grid(document: WordDocument, grid: Grid) -> None:
    """A ``Grid`` of the body: ruled, its header row bold, centred and repeated on each page,
    its totals bold, its figures set right."""
    space = document.add_paragraph()
    space.paragraph_format.space_before = Pt(3)
    table = _table(document, 1 + len(grid.rows), grid.widths_mm, border="single")
    header = table.rows[0]
    properties = header._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))
    for cell, text in zip(header.cells, grid.header, strict=True):
        _paragraph(cell, text, grid.size, bold=True, center=True)
    first_bold = len(grid.rows) - grid.bold_rows
    for index, (row, values) in enumerate(zip(table.rows[1:], grid.rows, strict=True)):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            text = "" if value is None else str(value)
            paragraph = _paragraph(cell, text, grid.size, bold=index >= first_bold)
            if column in grid.figures:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    after = document.add_paragraph()
    after.paragraph_format.space_after = Pt(3)


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


def _header(word: WordDocument, document: AdministrativeDocument, width: float) -> None:
    left = width * ADMINISTRATIVE.issuer_share
    right = width - left
    header, motto = ADMINISTRATIVE.header_size, ADMINISTRATIVE.motto_size
    table = _table(word, 2, (left, right))
    issuing = table.cell(0, 0)
    parent_bold = document.issuer_parent_bold
    if document.issuer_parent:
        _paragraph(issuing, document.issuer_parent.upper(), header, bold=parent_bold, center=True)
    _paragraph(issuing, document.issuer.upper(), header, bold=True, center=True)
    room = left - CELL_PADDING_MM
    _rule(issuing, min(_text_width_mm(document.issuer.upper(), header), room) * 0.4, room)
    national = table.cell(0, 1)
    _paragraph(national, MOTTO[0], header, bold=True, center=True)
    _paragraph(national, MOTTO[1], motto, bold=True, center=True)
    room = right - CELL_PADDING_MM
    _rule(national, min(_text_width_mm(MOTTO[1], motto), room), room)
    number = _paragraph(
        table.cell(1, 0), f"Số: {document.number}", ADMINISTRATIVE.body_size, center=True
    )
    dated = _paragraph(
        table.cell(1, 1),
        document.place_and_date,
        ADMINISTRATIVE.place_size,
        italic=True,
        center=True,
    )
    number.paragraph_format.space_before = dated.paragraph_format.space_before = Pt(6)


def _signing(word: WordDocument, document: AdministrativeDocument, width: float) -> None:
    """The recipients ("Nơi nhận") on the left and the signature on the right; a document
    without recipients has its signatures side by side across the page."""
    signatures = document.signatures
    if document.recipients:
        left = width * ADMINISTRATIVE.issuer_share
        widths = [left] + [(width - left) / len(signatures)] * len(signatures)
    else:
        widths = [width / len(signatures)] * len(signatures)
    gap = word.add_paragraph()
    gap.paragraph_format.keep_with_next = True
    table = _table(word, 1, widths)
    # the row is not split across pages, and each of its lines keeps with the next, so Word
    # moves "Nơi nhận" and the signature to a page together, with the body's last lines
    row = table.rows[0]._tr.get_or_add_trPr()
    row.append(OxmlElement("w:cantSplit"))
    cells = list(table.rows[0].cells)
    if document.recipients:
        recipients = cells.pop(0)
        _paragraph(recipients, RECIPIENTS_HEADING, 12, bold=True, italic=True)
        for line in document.recipients:
            _paragraph(recipients, line, 11)
    size = ADMINISTRATIVE.body_size
    for cell, signature in zip(cells, signatures, strict=True):
        for role in role_lines(signature):
            _paragraph(cell, role, size, bold=True, center=True)
        name = _paragraph(cell, signature.name, size, bold=True, center=True)
        name.paragraph_format.space_before = Pt(SIGNING_ROOM_PT)
    for cell in table.rows[0].cells:
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
