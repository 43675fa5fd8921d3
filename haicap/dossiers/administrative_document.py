"""An administrative document as Word and as PDF from one description (no Django).

Laid out as Decree 30/2020/NĐ-CP sets out an administrative document: the issuing body and the
number on the left, the national motto on the right, the place and date under it, the title and
its summary, the body (paragraphs, headings, numbered items and ruled tables), then "Nơi nhận" on
the left and the signature on the right (or the parties' signatures side by side), and the page
number from the second page on. The Word file is what officials edit and sign; the PDF comes from
the printed forms' renderer (``pdf``), set in the decree's layout. Both read the same
``AdministrativeDocument``, so they say the same thing. The Word file is made by
``administrative_docx``, imported at the first one: python-docx is megabytes a web worker need
not hold until then.

A working group's conclusion notice and a take-over record of assets are laid out here: one
layout, whatever the document says.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from haicap.dossiers import pdf
from haicap.dossiers.pdf import ADMINISTRATIVE, MOTTO, RECIPIENTS_HEADING, FormDocument, Grid, Line

NO_BREAK_SPACE = "\u00a0"

Block = Line | Grid
UNDATED = "ngày ... tháng ... năm ......"


@dataclass(frozen=True)
class Signature:
    """Who signs, in what capacity: ``role``'s lines split on "\\n" ("KT. CHỦ TỊCH\\nPHÓ CHỦ
    TỊCH", "ĐẠI DIỆN BÊN GIAO"), printed in capitals, the name under the room to sign."""

    role: str
    name: str


@dataclass(frozen=True)
class AdministrativeDocument:
    """What an administrative document says, as plain values."""

    issuer_parent: str  # "Ủy ban nhân dân tỉnh Nghệ An" (printed in capitals); "" for none
    issuer: str  # "Tổ công tác số 4" (printed in capitals)
    number: str  # "12/TB-TCT", printed "Số: 12/TB-TCT"
    place_and_date: str  # "Nghệ An, ngày 05 tháng 12 năm 2026" (``place_and_date``)
    title: str  # "THÔNG BÁO"
    summary: str  # the line under the title saying what the document is about
    body: Sequence[Block]
    signatures: Sequence[Signature]
    # "Nơi nhận" lines as printed (``recipient_lines``); none: the document has no such block
    # and its signatures take the whole width (the parties of a record)
    recipients: Sequence[str] = ()
    # an issuer with no parent body sets both lines of its name in bold (App. I, II.3)
    issuer_parent_bold: bool = False
    # the body's last paragraphs printed on the signature's page, so that the signature never
    # stands alone on a page (App. I); paragraphs, not a table, which would move whole
    kept_with_signature: int = 0


def date_words(date: dt.date) -> str:
    """ "ngày 05 tháng 12 năm 2026": the decree pads days below 10 and months below 3."""
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"ngày {date.day:02d} tháng {month} năm {date.year}"


def place_and_date(place: str, date: dt.date) -> str:
    """ "Nghệ An, ngày 05 tháng 12 năm 2026"."""
    return f"{place}, {date_words(date)}"


def undated(place: str) -> str:
    """The place with the date left blank, to be written in by hand when a draft is signed."""
    return f"{place}, {UNDATED}"


def ended(text: str, mark: str) -> str:
    """``text`` ending in ``mark``, unless it already ends in a punctuation mark of its own."""
    return text if text.endswith((".", ";", ":", "!", "?")) else text + mark


def items(texts: Sequence[str]) -> list[str]:
    """Texts as the lines of a list: "- ...;" each, the last "- ...."."""
    return [ended(f"- {text}", "." if i == len(texts) - 1 else ";") for i, text in enumerate(texts)]


def recipient_lines(recipients: Sequence[str], archive: str = "VT") -> list[str]:
    """The "Nơi nhận" lines: "- Sở Nội vụ;" each, then "- Lưu: VT."."""
    return [ended(f"- {name}", ";") for name in recipients] + [f"- Lưu: {archive}."]


def texts_of(document: AdministrativeDocument) -> list[str]:
    """Every line the document prints, in order, a table's cells each on its own: what the Word
    file and the PDF both hold."""
    texts = [document.issuer_parent.upper(), document.issuer.upper(), *MOTTO]
    texts += [f"Số: {document.number}", document.place_and_date, document.title, document.summary]
    for block in document.body:
        if isinstance(block, Grid):
            texts += [*block.header, *(str(value) for row in block.rows for value in row)]
        else:
            texts.append(block.text)
    if document.recipients:
        texts += [RECIPIENTS_HEADING, *document.recipients]
    for signature in document.signatures:
        texts += [*role_lines(signature), signature.name]
    return [text for text in texts if text]


def role_lines(signature: Signature) -> list[str]:
    """The capacity a signer signs in, line by line, in capitals."""
    return [line.upper() for line in signature.role.split("\n")]


def to_pdf(document: AdministrativeDocument) -> bytes:
    """The document as PDF, from the printed forms' renderer in the decree's layout."""
    return pdf.render(
        FormDocument(
            issuer_parent=document.issuer_parent,
            issuer=document.issuer,
            form_number="",
            title=document.title,
            summary=document.summary,
            number=document.number,
            place_and_date=document.place_and_date,
            paragraphs=document.body,
            recipients=document.recipients,
            # a name left for the hand keeps its line, so signatures side by side stay level
            signatures=[
                ("\n".join(role_lines(s)), s.name or NO_BREAK_SPACE) for s in document.signatures
            ],
            layout=ADMINISTRATIVE,
            issuer_parent_bold=document.issuer_parent_bold,
            page_numbers=True,
            kept_with_signature=document.kept_with_signature,
        )
    )


def to_docx(document: AdministrativeDocument) -> bytes:
    """The document as a Word file: A4, the decree's margins, Times New Roman throughout."""
    from haicap.dossiers.administrative_docx import to_docx as word_file

    return word_file(document)
