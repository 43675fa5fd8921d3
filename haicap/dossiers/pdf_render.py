"""Setting a ``pdf.FormDocument`` as PDF with reportlab: a layout, tables, a QR code. The
fonts, and text marked up for them, are ``pdf_fonts``'s."""

import functools
import math
from collections.abc import Sequence
from io import BytesIO

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from haicap.dossiers.pdf import (
    MOTTO,
    RECIPIENTS_HEADING,
    FormDocument,
    Grid,
    Layout,
    Line,
    TableBlock,
)
from haicap.dossiers.pdf_fonts import font_names, markup


def _styles(layout: Layout) -> dict[str, ParagraphStyle]:
    regular, bold = font_names()
    size = layout.body_size
    base = ParagraphStyle("base", fontName=regular, fontSize=size, leading=size * 4 / 3)
    header, motto, title = layout.header_size, layout.motto_size, layout.title_size
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=11),
        "small_right": ParagraphStyle(
            "small_right", parent=base, fontSize=9, leading=11, alignment=TA_RIGHT
        ),
        "small_center": ParagraphStyle(
            "small_center", parent=base, fontSize=9, leading=11, alignment=TA_CENTER
        ),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "header": ParagraphStyle(
            "header", parent=base, fontSize=header, leading=header + 3, alignment=TA_CENTER
        ),
        "header_bold": ParagraphStyle(
            "header_bold",
            parent=base,
            fontName=bold,
            fontSize=header,
            leading=header + 3,
            alignment=TA_CENTER,
        ),
        "motto": ParagraphStyle(
            "motto",
            parent=base,
            fontName=bold,
            fontSize=motto,
            leading=motto + 3,
            alignment=TA_CENTER,
        ),
        "center_bold": ParagraphStyle(
            "center_bold", parent=base, fontName=bold, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=bold,
            fontSize=title,
            leading=title + 4,
            alignment=TA_CENTER,
        ),
        "bold": ParagraphStyle("bold", parent=base, fontName=bold),
        "small_bold": ParagraphStyle(
            "small_bold", parent=base, fontName=bold, fontSize=8, leading=10
        ),
        "italic_center": ParagraphStyle(
            "italic_center", parent=base, alignment=TA_CENTER, fontSize=layout.place_size
        ),
        "body": ParagraphStyle(
            "body", parent=base, alignment=TA_JUSTIFY, firstLineIndent=10 * mm, spaceBefore=6
        ),
        # Decree 30: "Nơi nhận" 12 pt bold italic, the recipients 11 pt.
        "recipients_heading": ParagraphStyle(
            "recipients_heading", parent=base, fontName=bold, fontSize=12, leading=15
        ),
        "recipients": ParagraphStyle("recipients", parent=base, fontSize=11, leading=13),
    }


def _rule(width: float) -> HRFlowable:
    """The short solid line the decree draws under the issuing body, the motto and the summary."""
    return HRFlowable(
        width=width, thickness=0.5, color=colors.black, spaceBefore=4, spaceAfter=2, hAlign="CENTER"
    )


def _text_width(text: str, style: ParagraphStyle, room: float) -> float:
    """The width ``text`` takes on one line in ``style``, at most ``room``."""
    return min(pdfmetrics.stringWidth(text, style.fontName, style.fontSize), room)


def _qr(url: str, size: float = 28 * mm) -> Drawing:
    widget = QrCodeWidget(url)
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing


def render(document: FormDocument) -> bytes:
    layout = document.layout
    styles = _styles(layout)
    bold = font_names()[1]
    # a line break the officer typed (guidance listing what to complete, point by point) stays
    p = lambda text, style="base": Paragraph(  # noqa: E731
        "<br/>".join(
            markup(line, bold=styles[style].fontName == bold) for line in text.splitlines()
        ),
        styles[style],
    )
    top, right, bottom, left = (margin * mm for margin in layout.margins_mm)
    page = landscape(A4) if layout.landscape else A4
    width = page[0] - left - right
    story: list = []
    if document.form_number:
        story.append(p(f"Mẫu số {document.form_number}", "small"))
    story += [_header(document, styles, p, width), Spacer(1, 6 * mm)]
    if document.place_and_date and not document.number:
        story.append(_italic(document.place_and_date, styles["italic_center"]))
    story += [Spacer(1, 4 * mm), p(document.title, "title")]
    if document.summary:
        story.append(p(document.summary, "title"))
        story.append(_rule(_text_width(document.summary, styles["title"], width) / 3))
    if document.reference:
        story.append(p(document.reference, "center"))
    story.append(Spacer(1, 5 * mm))
    body = [
        _line(text, styles["body"])
        if isinstance(text, Line)
        else _body_grid(text)
        if isinstance(text, Grid)
        else p(text)
        for text in document.paragraphs
    ]
    kept = body[len(body) - document.kept_with_signature :] if document.kept_with_signature else []
    story += body[: len(body) - len(kept)]
    facts = [
        Paragraph(f"{markup(label)}: <b>{markup(value, bold=True)}</b>", styles["base"])
        for label, value in document.facts
    ]
    qr_beside_facts = bool(document.qr_url and facts)
    if qr_beside_facts:
        story += _beside_qr(facts, document.qr_url, styles["base"], width)
    else:
        story += facts
    if document.table_rows:
        small = bool(document.table_widths_mm)
        widths = [w * mm for w in document.table_widths_mm] or None
        table = _grid(p, document.table_header, document.table_rows, widths, small)
        story += [Spacer(1, 3 * mm), table]
    for block in document.blocks:
        story += _block(block, styles, p, width, page[1] - top - bottom)
    for text in document.closing:
        story += [Spacer(1, 2 * mm), p(text)]
    if document.signatures or document.recipients:
        # KeepTogether moves the kept paragraphs to the signature's page when the signature
        # would otherwise begin a page of its own.
        story.append(KeepTogether([*kept, Spacer(1, 8 * mm), _signing(document, styles, p, width)]))
    else:
        story += kept
    if qr_beside_facts:
        link = p(f"{document.qr_caption} (mã QR ở trên): {document.qr_url}", "small")
        story += [Spacer(1, 4 * mm), link]
    elif document.qr_url:
        story += [
            Spacer(1, 6 * mm),
            Table(
                [
                    [
                        _qr(document.qr_url),
                        p(f"{document.qr_caption}: {document.qr_url}", "small"),
                    ]
                ],
                colWidths=[32 * mm, width - 32 * mm],
                hAlign="LEFT",
            ),
        ]
    for note in document.notes:
        story.append(p(note, "small"))
    buffer = BytesIO()
    numbering = {"onLaterPages": _page_number(layout, page, top)} if document.page_numbers else {}
    SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=document.title,
        author=document.issuer,
    ).build(story, **numbering)
    return buffer.getvalue()


# What reportlab puts around a cell's text (6 points each side) and the narrowest a column of a
# block's table is made, unless the page has no room for that.
CELL_PADDING = 12
NARROWEST_COLUMN = 10 * mm


def column_widths(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    cell: ParagraphStyle,
    head: ParagraphStyle,
    room: float,
) -> list[float]:
    """The widths of a table's columns sharing ``room``, by what each holds: a column of short
    figures stays narrow and one of sentences (a reason in words) takes the width.

    Each column wants its longest text on one line (its ``natural`` width, at most half the
    room: a sentence wraps anyway, and the other columns' headings need not) and needs at least
    its longest word (its ``least``, never under ``NARROWEST_COLUMN``). When every column gets
    what it wants, the room left is shared in proportion to it; otherwise each column gets its
    least and the room left goes in proportion to what more each wants. Only when even the
    least does not fit are the columns narrowed alike (a long word then breaks)."""

    def measure(text: str, style: ParagraphStyle) -> float:
        return pdfmetrics.stringWidth(text, style.fontName, style.fontSize) + CELL_PADDING

    least, natural = [], []
    for index, title in enumerate(header):
        texts = [(title, head)] + [(str(row[index]), cell) for row in rows if index < len(row)]
        words = [(word, style) for text, style in texts for word in text.split()]
        smallest = max([NARROWEST_COLUMN, *(measure(w, style) for w, style in words)])
        least.append(smallest)
        longest = max(measure(text, style) for text, style in texts)
        natural.append(max(smallest, min(longest, room / 2)))
    if sum(natural) <= room:
        return [width + (room - sum(natural)) * width / sum(natural) for width in natural]
    if sum(least) >= room:
        return [width * room / sum(least) for width in least]
    wants = [n - lo for n, lo in zip(natural, least, strict=True)]
    spare = room - sum(least)
    return [lo + spare * want / sum(wants) for lo, want in zip(least, wants, strict=True)]


def _height(flowables: Sequence[Flowable], width: float) -> float:
    """The height ``flowables`` take one under another on a page ``width`` wide."""
    total = 0.0
    for flowable in flowables:
        total += flowable.wrap(width, 10_000)[1]
        total += flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _block(block: TableBlock, styles: dict, p, width: float, page_height: float) -> list:
    """A block's headings and its table, the headings never alone at the foot of a page: they
    go to the next page unless the table's header and first row fit under them (unless those
    would not fit on a whole page either)."""
    headings = [_line(heading, styles["base"]) for heading in block.headings]
    if block.rows:
        texts = [["" if value is None else str(value) for value in row] for row in block.rows]
        widths = column_widths(block.header, texts, styles["small"], styles["small_bold"], width)
        grid = functools.partial(_grid, p, block.header, widths=widths, small=True)
        first = [Spacer(1, 2 * mm), grid(texts[:1], figures=block.figures)]
        body = [Spacer(1, 2 * mm), grid(texts, figures=block.figures)]
    elif block.empty:
        first = body = [_italic(block.empty, styles["base"])]
    else:
        first = body = []
    kept = _height([*headings, *first], width)
    start = [CondPageBreak(kept)] if kept < page_height else []
    return [*start, *headings, *body, Spacer(1, 3 * mm)]


def _beside_qr(facts: list[Paragraph], url: str, style: ParagraphStyle, width: float) -> list:
    """The QR code at the right of the first facts (the applicant's name and contacts, short
    lines), the rest of the facts under it at full width: the code takes no lines of its own,
    so a slip with an authorised person or an after-hours note still fits one page."""
    size = 26 * mm
    beside = min(len(facts), math.ceil(size / style.leading))
    table = Table(
        [[facts[:beside], _qr(url, size)]],
        colWidths=[width - size, size],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [table, *facts[beside:]]


def _page_number(layout: Layout, page: tuple[float, float], top: float):
    """Draws the page's number centred in the top margin (the first page has none)."""

    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font_names()[0], layout.body_size)
        canvas.drawCentredString(page[0] / 2, page[1] - top / 2 - 4, str(doc.page))
        canvas.restoreState()

    return draw


def _grid(
    p,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths,
    small: bool,
    figures: frozenset[int] = frozenset(),
) -> Table:
    """A ruled table, its header row repeated on each page; the ``figures`` columns (small
    type only) set to the right."""
    cell, head = ("small", "small_bold") if small else ("base", "bold")
    right = "small_right" if small else cell
    data = [[p(h, head) for h in header]]
    data += [
        [p("" if v is None else str(v), right if i in figures else cell) for i, v in enumerate(row)]
        for row in rows
    ]
    table = Table(data, repeatRows=1, hAlign="LEFT", colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _body_grid(grid: Grid) -> Table:
    """A ``Grid`` of the body, in its own size of type, ruled, its header centred and bold."""
    regular, bold = font_names()
    leading = grid.size * 1.2
    plain = ParagraphStyle("grid", fontName=regular, fontSize=grid.size, leading=leading)
    right = ParagraphStyle("grid_figure", parent=plain, alignment=TA_RIGHT)
    head = ParagraphStyle("grid_head", parent=plain, fontName=bold, alignment=TA_CENTER)
    first_bold = len(grid.rows) - grid.bold_rows

    def cell(text: str, column: int, row: int) -> Paragraph:
        style = right if column in grid.figures else plain
        if row >= first_bold:
            style = ParagraphStyle(f"{style.name}_bold", parent=style, fontName=bold)
        return Paragraph(markup(text, bold=style.fontName == bold), style)

    data = [[Paragraph(markup(h, bold=True), head) for h in grid.header]]
    data += [
        [cell("" if value is None else str(value), c, r) for c, value in enumerate(row)]
        for r, row in enumerate(grid.rows)
    ]
    table = Table(
        data,
        repeatRows=1,
        colWidths=[w * mm for w in grid.widths_mm],
        hAlign="CENTER",
        spaceBefore=3 * mm,
        spaceAfter=2 * mm,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
                ("VALIGN", (0, 1), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _italic(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(f"<i>{markup(text, italic=True)}</i>", style)


def _line(line: Line, style: ParagraphStyle) -> Paragraph:
    text = markup(line.text, bold=line.bold, italic=line.italic)
    if line.italic:
        text = f"<i>{text}</i>"
    if line.bold:
        text = f"<b>{text}</b>"
    if line.indent_mm:
        style = ParagraphStyle(f"{style.name}_in", parent=style, leftIndent=line.indent_mm * mm)
    return Paragraph(text, style)


def _balanced(text: str, style: ParagraphStyle, room: float) -> str:
    """``text`` on one line when it fits in ``room``, else broken into two lines as even as its
    words allow, so a heading never leaves one word alone on its last line ("TRUNG TÂM PHỤC VỤ
    HÀNH CHÍNH / CÔNG" becomes "TRUNG TÂM PHỤC VỤ / HÀNH CHÍNH CÔNG"). Lines already broken
    ("\n") are kept."""
    words = text.split(" ")
    if "\n" in text or len(words) < 2:
        return text
    width = lambda part: pdfmetrics.stringWidth(part, style.fontName, style.fontSize)  # noqa: E731
    if width(text) <= room:
        return text
    splits = range(1, len(words))
    best = min(splits, key=lambda i: max(width(" ".join(words[:i])), width(" ".join(words[i:]))))
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


def _lines(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph whose lines break where ``text`` has "\n"."""
    bold = style.fontName == font_names()[1]
    return Paragraph("<br/>".join(markup(line, bold=bold) for line in text.split("\n")), style)


def _header(document: FormDocument, styles: dict, p, width: float) -> Table:
    """The issuing body on the left and the national motto on the right, each ruled under.

    A document with a number prints it under the issuing body and the place and date beside it.
    """
    left = width * document.layout.issuer_share
    right = width - left
    issuer = document.issuer.upper() or document.issuer_parent.upper()
    # a body with no governing body above it ("ỦY BAN NHÂN DÂN\nXÃ ĐÔ LƯƠNG") sets its own
    # name in bold on both lines (Decree 30/2020/NĐ-CP, Appendix I, part I, II.2)
    room = left - 6  # the cell's padding
    parent_style = "header_bold" if document.issuer_parent_bold else "header"
    if document.issuer_parent:
        parent = _balanced(document.issuer_parent.upper(), styles[parent_style], room)
        first, second = _lines(parent, styles[parent_style]), issuer
    else:
        top, _newline, second = issuer.partition("\n")
        first = p(top, "header_bold")
    second = _balanced(second, styles["header_bold"], room)
    widest = max(second.split("\n") or [issuer], key=len) if second else issuer
    issuer_rule = _text_width(widest, styles["header_bold"], left) * 0.4
    motto_rule = _text_width(MOTTO[1], styles["motto"], right)
    rows = [
        [first, p(MOTTO[0], "header_bold")],
        [
            [_lines(second, styles["header_bold"]), _rule(issuer_rule)]
            if second
            else [_rule(issuer_rule)],
            [p(MOTTO[1], "motto"), _rule(motto_rule)],
        ],
    ]
    if document.number:
        rows.append(
            [
                p(f"Số: {document.number}", "center"),
                _italic(document.place_and_date, styles["italic_center"]),
            ]
        )
    table = Table(rows, colWidths=[left, right])
    # ALIGN centres the rules, which are flowables (the paragraphs centre themselves); narrow
    # padding leaves the issuing body and the motto room for one line each
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _signing(document: FormDocument, styles: dict, p, width: float) -> Table:
    """The signatures side by side; a document with recipients lists them on the left."""
    layout = document.layout
    cells = []
    for role, name in document.signatures:
        lines = "<br/>".join(markup(line, bold=True) for line in role.split("\n"))
        cell = [Paragraph(lines, styles["center_bold"])]
        if layout.signature_hint:
            cell.append(p(layout.signature_hint, "small_center"))
        cell += [
            Spacer(1, 18 * mm if layout.signature_hint else 24 * mm),
            p(name, "center_bold" if layout.bold_signer else "center"),
        ]
        cells.append(cell)
    if not document.recipients:
        return Table([cells], colWidths=[width / len(cells)] * len(cells))
    heading = markup(RECIPIENTS_HEADING, bold=True, italic=True)
    recipients = [Paragraph(f"<i>{heading}</i>", styles["recipients_heading"])]
    recipients += [p(line, "recipients") for line in document.recipients]
    left = width * layout.issuer_share
    right = width - left
    signers: list | Table = cells[0] if len(cells) == 1 else []
    if len(cells) > 1:
        signers = Table([cells], colWidths=[right / len(cells)] * len(cells))
    table = Table([[recipients, signers]], colWidths=[left, right])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)])
    )
    return table
