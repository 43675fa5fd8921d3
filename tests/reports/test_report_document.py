"""The printed report, from plain values (no database): the commune's committee issues it, its
sections are headed in Roman numerals and its cells numbered, figures in the Vietnamese way,
tables as ruled grids with their totals, overrides footnoted with both figures and the reason,
then the recipients and the signature on behalf of the committee."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from haicap.dossiers.administrative_document import texts_of
from haicap.dossiers.pdf import Grid, Line
from haicap.reports import definition as template_definition
from haicap.reports import report_document
from haicap.reports.report_document import ReportPaper, figure, roman
from haicap.reports.values import Entry, Reading
from tests.reports.world import DEFINITION

PARSED = template_definition.parse(DEFINITION)
READ_AT = dt.datetime(2026, 12, 1, 2, tzinfo=dt.UTC)


def reading(key: str, value: str | None) -> Reading:
    return Reading(key, {}, READ_AT, None if value is None else Decimal(value), "/desk/ho-so/")


def paper(entries: dict[str, Entry], **changes) -> ReportPaper:
    values = {
        "commune": "xã Đô Lương",
        "place": "Đô Lương",
        "submitted_on": dt.date(2026, 12, 3),
        "template_name": "Báo cáo tình hình hoạt động của chính quyền địa phương hai cấp",
        "period": "tháng 11 năm 2026",
        "definition": PARSED,
        "entries": entries,
        "signer_title": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "signer_name": "Đặng Văn Lương",
        **changes,
    }
    return ReportPaper(**values)


FILLED = {
    "received": Entry(Decimal(1234), reading("kpi.received", "1200"), "Có 34 hồ sơ giấy"),
    "received_online": Entry(Decimal(500), reading("kpi.received_online", "500")),
    "resolved": Entry(None, reading("kpi.resolved", None)),
    "by_field": Entry(
        (
            {"field": "Hộ tịch", "received": Decimal(1000)},
            {"field": "Đất đai", "received": Decimal("234.5")},
            {"field": "Chứng thực"},
        )
    ),
    "meetings": Entry(Decimal(4)),
    "assessment": Entry("Cơ bản thông suốt"),
    "difficulties": Entry("Thiếu máy scan.\n\nThiếu cán bộ địa chính."),
}


def test_the_committee_issues_it_numbered_for_the_clerk_and_dated_on_submission():
    document = report_document.document_of(paper(FILLED))
    texts = texts_of(document)
    assert texts[:2] == ["ỦY BAN NHÂN DÂN", "XÃ ĐÔ LƯƠNG"]
    assert document.issuer_parent_bold  # no body above the committee: both lines bold
    assert texts[texts.index("Độc lập - Tự do - Hạnh phúc") + 1].split() == ["Số:", "/BC-UBND"]
    assert "Đô Lương, ngày 03 tháng 12 năm 2026" in texts
    title = texts.index("BÁO CÁO")
    assert texts[title + 1] == (
        "Tình hình hoạt động của chính quyền địa phương hai cấp tháng 11 năm 2026"
    )


def test_the_sections_are_headed_and_their_cells_numbered_with_vietnamese_figures():
    texts = texts_of(report_document.document_of(paper(FILLED)))
    expected = [
        "I. KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "1. Số hồ sơ tiếp nhận: 1.234 hồ sơ [1]",
        "2. Trong đó tiếp nhận trực tuyến: 500 hồ sơ",
        "3. Số hồ sơ đã giải quyết: không có số liệu",
        "4. Hồ sơ tiếp nhận theo lĩnh vực:",
    ]
    start = texts.index(expected[0])
    assert texts[start : start + len(expected)] == expected
    for line in (
        "5. Số cuộc họp giao ban: 4",
        "II. ĐÁNH GIÁ CHUNG",
        "1. Mức độ vận hành: Cơ bản thông suốt",
        "2. Khó khăn, vướng mắc: Thiếu máy scan.",
        "Thiếu cán bộ địa chính.",
        "3. Kiến nghị, đề xuất: không có",
    ):
        assert line in texts, line


def test_a_table_is_a_ruled_grid_numbered_with_its_total():
    body = report_document.body_lines(paper(FILLED))
    grids = [b for b in body if isinstance(b, Grid)]
    assert len(grids) == 1
    grid = grids[0]
    assert list(grid.header) == ["STT", "Lĩnh vực", "Tiếp nhận"]
    assert [list(row) for row in grid.rows] == [
        ["1", "Hộ tịch", "1.000"],
        ["2", "Đất đai", "234,5"],
        ["3", "Chứng thực", ""],
        ["", "Tổng cộng", "1.234,5"],
    ]
    assert grid.bold_rows == 1 and grid.figures == frozenset({2})
    assert sum(grid.widths_mm) == report_document.BODY_WIDTH_MM


def test_an_override_is_footnoted_with_both_figures_and_the_reason():
    texts = texts_of(report_document.document_of(paper(FILLED)))
    notes = texts.index("Ghi chú:")
    assert texts[notes + 1] == (
        "[1] Số hồ sơ tiếp nhận: số liệu trên haicap 1.200 hồ sơ, xã báo cáo 1.234 hồ sơ (+34)."
        " Lý do: Có 34 hồ sơ giấy."
    )
    # a figure equal to haicap's is no override: no mark, no note
    assert "2. Trong đó tiếp nhận trực tuyến: 500 hồ sơ" in texts
    assert not any(text.startswith("[2]") for text in texts)


def test_a_report_without_overrides_has_no_notes():
    entries = {**FILLED, "received": Entry(Decimal(1200), reading("kpi.received", "1200"))}
    texts = texts_of(report_document.document_of(paper(entries)))
    assert "Ghi chú:" not in texts
    assert "1. Số hồ sơ tiếp nhận: 1.200 hồ sơ" in texts


def test_it_goes_to_the_province_and_is_signed_on_behalf_of_the_committee():
    document = report_document.document_of(paper(FILLED))
    texts = texts_of(document)
    assert list(document.recipients) == [
        "- Ủy ban nhân dân tỉnh (để b/c);",
        "- Sở Nội vụ;",
        "- Lưu: VT.",
    ]
    assert texts[-4:] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đặng Văn Lương"]
    assert texts[texts.index("Nơi nhận:") - 1] == (
        "Trên đây là báo cáo của Ủy ban nhân dân xã Đô Lương./."
    )


def test_a_name_without_the_word_report_is_kept_whole_in_the_summary():
    assert (
        report_document.summary(paper({}, template_name="Tình hình an ninh trật tự"))
        == "Tình hình an ninh trật tự tháng 11 năm 2026"
    )


# --- the pure parts, for any values --------------------------------------------------------------

numbers = st.decimals(
    min_value=Decimal("-999999999999999"),
    max_value=Decimal("999999999999999"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)


@given(value=numbers)
def test_a_figure_groups_thousands_with_dots_and_keeps_every_digit(value):
    written = figure(value)
    whole = written.lstrip("-").split(",")[0]
    assert all(len(group) == 3 for group in whole.split(".")[1:])
    assert 1 <= len(whole.split(".")[0]) <= 3
    assert Decimal(written.replace(".", "").replace(",", ".")) == value
    assert written.startswith("-") == (value < 0)


def from_roman(text: str) -> int:
    """Read a Roman numeral back, the subtractive way (IV, XC)."""
    worth = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for i, letter in enumerate(text):
        value = worth[letter]
        following = worth[text[i + 1]] if i + 1 < len(text) else 0
        total += -value if value < following else value
    return total


@given(number=st.integers(min_value=1, max_value=3999))
def test_a_section_number_reads_back_as_itself(number):
    written = roman(number)
    assert from_roman(written) == number
    assert not any(letter * 4 in written for letter in "IXCM")


def test_the_first_section_numbers_are_the_usual_ones():
    assert [roman(n) for n in (1, 2, 3, 4, 5, 9, 14, 40)] == [
        "I",
        "II",
        "III",
        "IV",
        "V",
        "IX",
        "XIV",
        "XL",
    ]


TABLE = template_definition.parse(
    {
        "sections": [
            {
                "key": "s",
                "title": "S",
                "cells": [
                    {
                        "key": "t",
                        "label": "T",
                        "kind": "table",
                        "columns": [
                            {"key": "a", "label": "A", "kind": "number"},
                            {"key": "name", "label": "Tên", "kind": "text"},
                            {"key": "b", "label": "B", "kind": "number"},
                        ],
                    }
                ],
            }
        ]
    }
).cells[0]
small = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False)
rows = st.lists(
    st.fixed_dictionaries(
        {},
        optional={"a": small, "b": small, "name": st.sampled_from(["Hộ tịch", "Đất đai"])},
    ),
    min_size=1,
    max_size=15,
)


@settings(max_examples=60)
@given(rows=rows)
def test_a_grid_has_a_row_each_then_the_sum_of_each_number_column(rows):
    grid = report_document.table_grid(TABLE, tuple(rows))
    assert len(grid.rows) == len(rows) + 1
    assert [row[0] for row in grid.rows[:-1]] == [str(n) for n in range(1, len(rows) + 1)]
    total = grid.rows[-1]
    assert total[2] == "Tổng cộng"
    for index, key in ((1, "a"), (3, "b")):
        given_values = [row[key] for row in rows if key in row]
        if not given_values:
            assert total[index] == ""
            continue
        printed = Decimal(total[index].replace(".", "").replace(",", "."))
        assert printed == sum(given_values)


@settings(max_examples=60)
@given(
    figures=st.lists(
        st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), st.booleans()),
        min_size=3,
        max_size=3,
    )
)
def test_the_overrides_are_marked_and_noted_in_order(figures):
    keys = ("received", "received_online", "resolved")
    entries = {
        key: Entry(Decimal(written), reading(f"kpi.{key}", str(haicap)), "Lý do" if why else "")
        for key, (written, haicap, why) in zip(keys, figures, strict=True)
    }
    body = report_document.body_lines(paper(entries))
    texts = [b.text for b in body if isinstance(b, Line)]
    overridden = [(w, h) for w, h, _why in figures if w != h]
    notes = [t for t in texts if t.startswith("[")]
    assert len(notes) == len(overridden)
    for mark, (note, (written, haicap)) in enumerate(zip(notes, overridden, strict=True), 1):
        assert note.startswith(f"[{mark}] ")
        difference = written - haicap
        sign = "+" if difference > 0 else ""
        assert f"({sign}{figure(Decimal(difference))})" in note
    marked = [t for t in texts if t.endswith("]") and not t.startswith("[")]
    assert len(marked) == len(overridden)
