"""Printing the national forms as PDF (no Django): a layout, fonts that carry Vietnamese, a QR code.

Fonts: Times New Roman where installed, else Liberation Serif (the same metrics), else DejaVu
Serif; all three carry every Vietnamese letter. A machine with none of them gets a clear error.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from haicap.core.characters import printable

FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman.ttf",
        "/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman_Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    ),
)


class FontMissing(RuntimeError):
    pass


# Letters a font must draw to print Vietnamese (older Liberation releases lack most of them).
VIETNAMESE_SAMPLE = "ẮẰẲẴẶẤẦẨẪẬĐƠỚỜỞỠỢƯỨỪỬỮỰỦỸỴăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"


def _covers_vietnamese(font: TTFont) -> bool:
    glyphs = font.face.charToGlyph
    return all(ord(ch) in glyphs for ch in VIETNAMESE_SAMPLE)


@lru_cache(maxsize=1)
def font_names() -> tuple[str, str]:
    """Register the first serif font present that draws Vietnamese; returns (regular, bold)."""
    for regular, bold in FONT_CANDIDATES:
        if not (Path(regular).exists() and Path(bold).exists()):
            continue
        family = Path(regular).parent.name + Path(regular).stem.split("-")[0].replace("_", "")
        regular_font, bold_font = TTFont(family, regular), TTFont(f"{family}-Bold", bold)
        if _covers_vietnamese(regular_font) and _covers_vietnamese(bold_font):
            pdfmetrics.registerFont(regular_font)
            pdfmetrics.registerFont(bold_font)
            # so that <b> inside a paragraph picks the bold face
            pdfmetrics.registerFontFamily(
                family,
                normal=family,
                bold=f"{family}-Bold",
                italic=family,
                boldItalic=f"{family}-Bold",
            )
            return family, f"{family}-Bold"
    raise FontMissing(
        "no serif font with Vietnamese letters: install fonts-liberation2 or fonts-dejavu-core"
    )


@dataclass(frozen=True)
class FormDocument:
    """One printed form: the issuing body, the form's number and title, and its content."""

    issuer_parent: str  # "ỦY BAN NHÂN DÂN XÃ ĐÔ LƯƠNG"
    issuer: str  # "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
    form_number: str  # "01"
    title: str
    reference: str = ""  # "Mã hồ sơ: ..."
    paragraphs: Sequence[str] = ()
    facts: Sequence[tuple[str, str]] = ()
    table_header: Sequence[str] = ()
    table_rows: Sequence[Sequence[str]] = ()
    table_widths_mm: Sequence[float] = ()  # when the columns are many (a report's figures)
    closing: Sequence[str] = ()
    signatures: Sequence[tuple[str, str]] = ()  # (role, name)
    qr_url: str = ""
    place_and_date: str = ""
    notes: Sequence[str] = field(default_factory=tuple)


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = font_names()
    base = ParagraphStyle("base", fontName=regular, fontSize=12, leading=16)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=11),
        "small_center": ParagraphStyle(
            "small_center", parent=base, fontSize=9, leading=11, alignment=TA_CENTER
        ),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "header": ParagraphStyle(
            "header", parent=base, fontSize=11, leading=14, alignment=TA_CENTER
        ),
        "header_bold": ParagraphStyle(
            "header_bold", parent=base, fontName=bold, fontSize=11, leading=14, alignment=TA_CENTER
        ),
        "center_bold": ParagraphStyle(
            "center_bold", parent=base, fontName=bold, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=bold, fontSize=14, leading=18, alignment=TA_CENTER
        ),
        "bold": ParagraphStyle("bold", parent=base, fontName=bold),
        "small_bold": ParagraphStyle(
            "small_bold", parent=base, fontName=bold, fontSize=8, leading=10
        ),
        "italic_center": ParagraphStyle(
            "italic_center", parent=base, alignment=TA_CENTER, fontSize=11
        ),
    }


def _escape(text: str) -> str:
    """Every text drawn passes here: markup escaped, characters no font draws (a control
    character stored in a name) replaced."""
    return printable(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _qr(url: str, size: float = 28 * mm) -> Drawing:
    widget = QrCodeWidget(url)
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing


def render(document: FormDocument) -> bytes:
    styles = _styles()
    p = lambda text, style="base": Paragraph(_escape(text), styles[style])  # noqa: E731
    story: list = []
    header = Table(
        [
            [
                p(document.issuer_parent.upper(), "header"),
                p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "header_bold"),
            ],
            [
                p(document.issuer.upper(), "header_bold"),
                p("Độc lập - Tự do - Hạnh phúc", "header_bold"),
            ],
        ],
        colWidths=[75 * mm, 105 * mm],
    )
    story += [p(f"Mẫu số {document.form_number}", "small"), header, Spacer(1, 6 * mm)]
    if document.place_and_date:
        story.append(Paragraph(_escape(document.place_and_date), styles["italic_center"]))
    story += [Spacer(1, 4 * mm), p(document.title, "title")]
    if document.reference:
        story.append(p(document.reference, "center"))
    story.append(Spacer(1, 5 * mm))
    for text in document.paragraphs:
        story.append(p(text))
    for label, value in document.facts:
        story.append(Paragraph(f"{_escape(label)}: <b>{_escape(value)}</b>", styles["base"]))
    if document.table_rows:
        cell = "small" if document.table_widths_mm else "base"
        head = "small_bold" if document.table_widths_mm else "bold"
        data = [[p(h, head) for h in document.table_header]]
        data += [[p(str(value), cell) for value in row] for row in document.table_rows]
        widths = [w * mm for w in document.table_widths_mm] or None
        table = Table(data, repeatRows=1, hAlign="LEFT", colWidths=widths)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [Spacer(1, 3 * mm), table]
    for text in document.closing:
        story += [Spacer(1, 2 * mm), p(text)]
    if document.signatures:
        story.append(Spacer(1, 8 * mm))
        row = [
            [
                p(role, "center_bold"),
                p("(Ký, ghi rõ họ tên)", "small_center"),
                Spacer(1, 18 * mm),
                p(name, "center"),
            ]
            for role, name in document.signatures
        ]
        story.append(Table([row], colWidths=[180 * mm / len(row)] * len(row)))
    if document.qr_url:
        story += [
            Spacer(1, 6 * mm),
            Table(
                [
                    [
                        _qr(document.qr_url),
                        p(f"Tra cứu tình trạng hồ sơ: {document.qr_url}", "small"),
                    ]
                ],
                colWidths=[32 * mm, 148 * mm],
                hAlign="LEFT",
            ),
        ]
    for note in document.notes:
        story.append(p(note, "small"))
    buffer = BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=document.title,
        author=document.issuer,
    ).build(story)
    return buffer.getvalue()
