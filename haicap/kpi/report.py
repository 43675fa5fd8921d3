"""The periodic one-stop report of a commune or department, as provinces file it.

Rows by field, then by agency, each: received (carried over, new, of which online), resolved
(early, on time, late), in progress at the end (not yet due, overdue) — and a total row.
"""

import datetime as dt
from collections.abc import Iterable

from haicap.kpi.indicators import Totals
from haicap.kpi.periods import Period

# Circular 01/2020/TT-VPCP's table of the handling of procedures by the body that handles them.
FORM_NUMBER = "06a/VPCP/KSTT"
HEADER = [
    "STT",
    "Lĩnh vực / cơ quan",
    "Kỳ trước chuyển qua",
    "Mới tiếp nhận",
    "Trong đó trực tuyến",
    "Đã giải quyết",
    "Trước hạn",
    "Đúng hạn",
    "Quá hạn",
    "Đang giải quyết: chưa đến hạn",
    "Đang giải quyết: quá hạn",
]
WIDTHS_MM = [9, 41, 14, 14, 14, 14, 13, 13, 13, 17, 16]


def row(number: object, name: str, t: Totals) -> list:
    return [
        number,
        name,
        t.carried_over,
        t.received,
        t.received_online,
        t.resolved,
        t.early,
        t.on_time,
        t.late,
        t.in_progress_not_due,
        t.overdue_at_end,
    ]


def section(named: Iterable[tuple[str, Totals]], total: Totals) -> list[list]:
    rows = [row(i, name, t) for i, (name, t) in enumerate(named, start=1)]
    return [*rows, row("", "Tổng cộng", total)]


def title(period: Period, kind: str) -> str:
    what = {"month": "THÁNG", "quarter": "QUÝ", "year": "NĂM"}.get(kind, "KỲ")
    return (
        f"BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH {what} "
        f"(từ {period.start:%d/%m/%Y} đến {period.end:%d/%m/%Y})"
    )


def issuer_parent(province_name: str) -> str:
    """The header's first line: the province's People's Committee, whoever reports."""
    return f"Ủy ban nhân dân {province_name}"


def place_and_date(place: str, day: dt.date) -> str:
    """``Nghệ An, ngày 01 tháng 04 năm 2026``, as a document's date line reads."""
    dated = f"ngày {day:%d} tháng {day:%m} năm {day:%Y}"
    return f"{place}, {dated}" if place else dated.capitalize()
