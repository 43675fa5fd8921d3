"""A printed table's columns share the page by what they hold (``pdf_render.column_widths``)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics

from haicap.dossiers.pdf_render import CELL_PADDING, NARROWEST_COLUMN, column_widths

CELL, HEAD = ParagraphStyle("cell", fontSize=9), ParagraphStyle("head", fontSize=8)
words = st.text(alphabet="abcdefghij đấtươ", min_size=0, max_size=60)


def least(texts: list[tuple[str, ParagraphStyle]]) -> float:
    measured = [
        pdfmetrics.stringWidth(word, style.fontName, style.fontSize) + CELL_PADDING
        for text, style in texts
        for word in text.split()
    ]
    return max([NARROWEST_COLUMN, *measured])


@given(
    columns=st.integers(1, 8).flatmap(
        lambda n: st.tuples(
            st.lists(words, min_size=n, max_size=n),
            st.lists(st.lists(words, min_size=n, max_size=n), max_size=5),
        )
    ),
    room=st.floats(100, 800),
)
def test_the_columns_fill_the_room_and_each_keeps_its_longest_word_when_they_can(columns, room):
    header, rows = columns
    widths = column_widths(header, rows, CELL, HEAD, room)
    assert len(widths) == len(header)
    assert sum(widths) == pytest.approx(room)
    needs = [least([(h, HEAD)] + [(row[i], CELL) for row in rows]) for i, h in enumerate(header)]
    if sum(needs) <= room:
        assert all(w >= n - 1e-6 for w, n in zip(widths, needs, strict=True))


def test_a_column_of_sentences_takes_the_room_a_column_of_figures_does_not_need():
    sentence = "Xã Bạch Hà có đủ 1 công chức đất đai theo định mức, trong đó 1 người biệt phái đến"
    widths = column_widths(["Thiếu", "Lý do"], [["1", sentence]] * 3, CELL, HEAD, 400)
    assert widths[1] > 5 * widths[0]
    # when everything fits on one line, the room left is shared in proportion
    short = column_widths(["Thiếu", "Lý do"], [["1", "Đủ"]], CELL, HEAD, 400)
    assert sum(short) == pytest.approx(400) and short[0] == pytest.approx(short[1], rel=0.5)
