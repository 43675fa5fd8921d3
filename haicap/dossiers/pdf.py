"""A printed form or administrative document as data (no Django, no PDF library): its
layout, lines, tables and signatures. ``render`` sets it as PDF with ``pdf_render``, imported at
the first print: reportlab and the fonts are megabytes a web worker that never prints need not
hold."""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Layout:
    """The page and the type a document is set in (sizes in points)."""

    body_size: float
    header_size: float  # the issuing body and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto_size: float  # "Độc lập - Tự do - Hạnh phúc"
    title_size: float
    place_size: float  # the place and date
    margins_mm: tuple[float, float, float, float]  # top, right, bottom, left
    signature_hint: str  # under the signer's capacity; "" for none
    bold_signer: bool  # the signer's name in bold
    # The issuing body's share of the line (the motto has the rest); also "Nơi nhận"'s.
    issuer_share: float
    landscape: bool = False  # a register whose columns do not fit across a standing page


# The national forms: compact, for a slip printed at the desk.
FORM = Layout(
    body_size=12,
    header_size=11,
    motto_size=11,
    title_size=14,
    place_size=11,
    margins_mm=(15, 15, 15, 15),
    signature_hint="(Ký, ghi rõ họ tên)",
    bold_signer=False,
    issuer_share=5 / 12,
)
# An administrative document as Decree 30/2020/NĐ-CP sets it out (Appendix I): body 13-14 pt,
# the issuing body and the motto's first line 12-13 pt, its second line 13-14 pt, titles 13-14
# pt; A4 with 20-25 mm at the top and bottom, 30-35 mm on the left, 15-20 mm on the right; the
# signer's name in bold under the capacity, with no printed hint.
ADMINISTRATIVE = Layout(
    body_size=13,
    header_size=12,
    motto_size=13,
    title_size=14,
    place_size=13,
    margins_mm=(20, 15, 20, 30),
    signature_hint="",
    bold_signer=True,
    # "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN" on one line, and the motto's first line on one too
    issuer_share=0.44,
)


# A register (the log book, form 07): the form's type on a lying A4 page.
REGISTER = replace(FORM, landscape=True)


@dataclass(frozen=True)
class Line:
    """A paragraph of an administrative document's body: justified, its first line indented."""

    text: str
    bold: bool = False
    italic: bool = False
    indent_mm: float = 0  # set in from the left: a sub-task under its directive


@dataclass(frozen=True)
class TableBlock:
    """A table under its own headings, after the document's body: a document of several tables
    (a briefing pack: a commune, a section, then each of its tables)."""

    headings: Sequence[Line]
    header: Sequence[str]
    rows: Sequence[Sequence[object]]
    empty: str = ""  # printed instead of a table without rows
    figures: frozenset[int] = frozenset()  # columns (indexes) of figures, set to the right


@dataclass(frozen=True)
class Grid:
    """A ruled table inside an administrative document's body, between its paragraphs (a
    take-over record's assets): its header row repeats on each page, its last ``bold_rows``
    (the totals) are bold and the ``figures`` columns (indexes) are set to the right."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths_mm: Sequence[float]
    size: float = 10  # points: a dozen columns do not fit across the page in the body's type
    bold_rows: int = 0
    figures: frozenset[int] = frozenset()


MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
RECIPIENTS_HEADING = "Nơi nhận:"


@dataclass(frozen=True)
class FormDocument:
    """One printed form: the issuing body, the form's number and title, and its content.

    An administrative document (``layout=ADMINISTRATIVE``) has no form number ("") but its own
    ``number``, a ``summary`` under the title, a body of ``Line``s and its ``recipients``.
    """

    issuer_parent: str  # "ỦY BAN NHÂN DÂN XÃ ĐÔ LƯƠNG"; "" for a body with none above it
    issuer: str  # "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"; "ỦY BAN NHÂN DÂN\nXÃ ĐÔ LƯƠNG"
    form_number: str  # "01"; "" prints no "Mẫu số" line
    title: str
    reference: str = ""  # "Mã hồ sơ: ..."
    paragraphs: Sequence[str | Line | Grid] = ()
    facts: Sequence[tuple[str, str]] = ()
    table_header: Sequence[str] = ()
    table_rows: Sequence[Sequence[str]] = ()
    table_widths_mm: Sequence[float] = ()  # when the columns are many (a report's figures)
    closing: Sequence[str] = ()
    signatures: Sequence[tuple[str, str]] = ()  # (role, name); a role's lines split on "\n"
    qr_url: str = ""
    # What the look-up address under the QR code is for (form 01 adds the rating of the service).
    qr_caption: str = "Tra cứu tình trạng hồ sơ"
    place_and_date: str = ""
    notes: Sequence[str] = field(default_factory=tuple)
    number: str = ""  # "12/TB-TCT", printed "Số: 12/TB-TCT" under the issuing body
    summary: str = ""  # the line under the title saying what the document is about
    recipients: Sequence[str] = ()  # "Nơi nhận" lines as printed, left of the signatures
    layout: Layout = FORM
    blocks: Sequence[TableBlock] = ()  # more tables, each under its headings, after the table
    # An issuing body with no parent body (the provincial People's Committee itself) prints
    # both lines of its name in bold (Decree 30/2020/NĐ-CP, App. I, item II.3).
    issuer_parent_bold: bool = False
    # Decree 30/2020/NĐ-CP, App. I: the page number from the second page on, centred in the
    # top margin.
    page_numbers: bool = False
    # The last body paragraphs printed on the same page as the signature, so that "Nơi nhận"
    # and the signature never stand alone on the last page (Decree 30/2020/NĐ-CP, App. I).
    kept_with_signature: int = 0


def render(document: FormDocument) -> bytes:
    """The document as PDF bytes."""
    from haicap.dossiers.pdf_render import render as render_pdf

    return render_pdf(document)
