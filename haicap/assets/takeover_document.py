"""A take-over record ("Biên bản bàn giao tài sản") as Word and as PDF (no Django).

The abolished unit hands its assets over: the parties (bên giao, bên nhận), a table of every asset
with its values, condition and where it goes (an agency, or the way it is disposed of), the
totals, and the parties' signatures. Laid out by the one layout of administrative documents
(``haicap.dossiers.administrative_document``), as the oversight conclusion notice is.

It takes plain values (``Record``), not the assets app's rows: the caller reads those.
"""

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from haicap.core.number_words import amount_in_words
from haicap.dossiers import administrative_document as layout
from haicap.dossiers.administrative_document import (
    UNDATED,
    AdministrativeDocument,
    Signature,
    date_words,
    ended,
    place_and_date,
    undated,
)
from haicap.dossiers.pdf import Grid, Line

TITLE = "BIÊN BẢN"
HANDING = "I. BÊN GIAO"
RECEIVING = "II. BÊN NHẬN"
ASSETS_HEADING = "III. TÀI SẢN BÀN GIAO"
BY_DESTINATION_HEADING = "IV. TÀI SẢN THEO NƠI NHẬN, HÌNH THỨC XỬ LÝ"
CLOSING = (
    "Biên bản được lập thành các bản có giá trị như nhau, bên giao, mỗi bên nhận và Sở Tài chính"
    " mỗi nơi giữ một bản./."
)
COLUMNS = (
    "STT",
    "Mã tài sản",
    "Tên tài sản",
    "Loại",
    "Nguyên giá (đồng)",
    "Giá trị còn lại (đồng)",
    "Tình trạng",
    "Nơi nhận hoặc hình thức xử lý",
)
# The widths (mm) fill the body's 165 mm; at 9 pt a value column holds "1.234.567.890.123"
# (more than a trillion đồng) on one line, and the names and destinations wrap.
WIDTHS_MM = (9, 21, 31, 17, 26, 26, 14, 21)
SIZE = 9
FIGURES = frozenset({4, 5})
TOTAL = "Tổng cộng"
BLANK = "......"  # what is written in by hand: the number of an unsigned draft, a missing name


@dataclass(frozen=True)
class Item:
    """An asset of the record and where it goes, in Vietnamese."""

    identifier: str
    name: str
    kind: str  # "Máy tính để bàn"
    original_value: int  # VND
    remaining_value: int
    condition: str  # "Tốt"
    destination: str  # "UBND xã Đô Lương", or how it is disposed of ("Bán"); "" while none
    disposed: bool = False  # the destination is a way of disposing of it, not an agency


@dataclass(frozen=True)
class Record:
    """What the take-over record says, as plain values."""

    issuer_parent: str  # "Ủy ban nhân dân tỉnh Nghệ An"
    issuer: str  # "Sở Tài chính"
    number: str  # "15/BB-STC"; "" for a draft, left for the hand
    place: str  # "Nghệ An"
    signed_on: dt.date | None  # None: a draft
    former_unit: str  # "huyện Đô Lương"
    handed_by: str  # who represents the unit handing over ("Ông Nguyễn Văn A, ...")
    received_by: str  # who represents the receiving side
    items: Sequence[Item]
    legal_basis: str = ""  # "Nghị quyết 1678/NQ-UBTVQH15 ngày 16/6/2025"


def money(amount: int) -> str:
    """1250000 → "1.250.000": Vietnamese documents group thousands with dots."""
    return f"{amount:,}".replace(",", ".")


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def destinations(record: Record) -> list[tuple[str, int]]:
    """Each destination and how many assets go there, in the order they first appear."""
    counts = Counter(item.destination for item in record.items if item.destination)
    return list(counts.items())


def asset_rows(record: Record) -> list[list[str]]:
    """The table's rows: an asset each, then the totals."""
    rows = [
        [
            str(number),
            item.identifier,
            item.name,
            item.kind,
            money(item.original_value),
            money(item.remaining_value),
            item.condition,
            item.destination or "Chưa xác định",
        ]
        for number, item in enumerate(record.items, start=1)
    ]
    original = sum(item.original_value for item in record.items)
    remaining = sum(item.remaining_value for item in record.items)
    rows.append(["", "", TOTAL, "", money(original), money(remaining), "", ""])
    return rows


def body_lines(record: Record) -> list[Line | Grid]:
    """The record's body: when, the parties, the assets' table with its totals, where they go."""
    when = date_words(record.signed_on) if record.signed_on else UNDATED
    lines: list[Line | Grid] = []
    if record.legal_basis:
        lines.append(Line(f"Căn cứ {record.legal_basis};", italic=True))
    lines += [
        Line(f"Hôm nay, {when}, chúng tôi gồm:"),
        Line(HANDING, bold=True),
        Line(f"- {capitalised(record.former_unit)} (đơn vị hành chính đã kết thúc hoạt động);"),
        Line(f"- Đại diện: {record.handed_by or BLANK}."),
        Line(RECEIVING, bold=True),
    ]
    receivers = dict.fromkeys(
        i.destination for i in record.items if i.destination and not i.disposed
    )
    lines += [Line(ended(f"- {name}", ";")) for name in receivers]
    lines.append(Line(f"- Đại diện: {record.received_by or BLANK}."))
    original = sum(item.original_value for item in record.items)
    remaining = sum(item.remaining_value for item in record.items)
    lines += [
        Line(ASSETS_HEADING, bold=True),
        Line(
            f"Hai bên thống nhất bàn giao {len(record.items)} tài sản, tổng nguyên giá"
            f" {money(original)} đồng ({amount_in_words(original)}), tổng giá trị còn lại"
            f" {money(remaining)} đồng ({amount_in_words(remaining)}), chi tiết như sau:"
        ),
        Grid(COLUMNS, asset_rows(record), WIDTHS_MM, SIZE, bold_rows=1, figures=FIGURES),
        Line(BY_DESTINATION_HEADING, bold=True),
    ]
    disposals = {item.destination for item in record.items if item.disposed}
    placed = [
        (f"Xử lý theo hình thức {name.lower()}" if name in disposals else name, count)
        for name, count in destinations(record)
    ]
    lines += [
        Line(ended(f"- {name}: {count} tài sản", "." if i == len(placed) - 1 else ";"))
        for i, (name, count) in enumerate(placed)
    ]
    unplaced = sum(not item.destination for item in record.items)
    if unplaced:
        lines.append(Line(f"- Chưa xác định nơi nhận: {unplaced} tài sản.", italic=True))
    lines.append(Line(CLOSING))
    return lines


# How each way of disposing of an asset is written in the record.
DISPOSAL_WORDS = {
    "reuse": "Sử dụng vào mục đích công khác",
    "transfer": "Điều chuyển",
    "sale": "Bán",
    "demolition": "Phá dỡ",
    "liquidation": "Thanh lý",
}


def document_of(record: Record) -> AdministrativeDocument:
    """The record as the administrative document both files print."""
    return AdministrativeDocument(
        issuer_parent=record.issuer_parent,
        issuer=record.issuer,
        number=record.number or BLANK,
        place_and_date=(
            place_and_date(record.place, record.signed_on)
            if record.signed_on
            else undated(record.place)
        ),
        title=TITLE,
        summary=f"Bàn giao tài sản của {record.former_unit}",  # the title's summary line
        body=body_lines(record),
        signatures=[
            Signature("ĐẠI DIỆN BÊN GIAO", record.handed_by),
            Signature("ĐẠI DIỆN BÊN NHẬN", record.received_by),
        ],
        kept_with_signature=1,
    )


def to_docx(record: Record) -> bytes:
    return layout.to_docx(document_of(record))


def to_pdf(record: Record) -> bytes:
    return layout.to_pdf(document_of(record))
