"""Sheet names Excel takes: at most 31 characters, cut at the end of a word, all different."""

import re

from hypothesis import given
from hypothesis import strategies as st

from haicap.core.sheet_names import FORBIDDEN, MAX_LENGTH, sheet_names, shortened

TITLES = st.lists(st.text(alphabet="aăbđ ĐƯ'[]:*?/\\xyz", max_size=45), max_size=8)


def test_a_long_title_loses_whole_words():
    title = "Tài liệu kiểm tra của Tổ công tác số 4 tại xã Đô Lương"
    assert sheet_names([title]) == ["Tài liệu kiểm tra của Tổ công"]
    assert shortened("Bảng tổng hợp, chi tiết", 14) == "Bảng tổng hợp"  # no comma left behind


def test_names_that_shorten_alike_get_a_number():
    first = "Tổng hợp kết quả giải quyết hồ sơ quý I"
    second = "Tổng hợp kết quả giải quyết hồ sơ quý II"
    assert sheet_names([first, second, "xã Đô Lương", "XÃ ĐÔ LƯƠNG"]) == [
        "Tổng hợp kết quả giải quyết hồ",
        "Tổng hợp kết quả giải quyết (2)",
        "xã Đô Lương",
        "XÃ ĐÔ LƯƠNG (2)",  # Excel tells names apart ignoring case
    ]


def test_what_excel_refuses_is_replaced():
    assert sheet_names(["Báo cáo 01/2026: [tạm]", "'History'", ""]) == [
        "Báo cáo 01-2026- -tạm-",
        "History (2)",  # Excel keeps "History" for itself
        "3",
    ]


@given(TITLES)
def test_every_name_is_one_excel_takes_and_all_differ(titles):
    names = sheet_names(titles)
    assert len(names) == len(titles)
    for name in names:
        assert 0 < len(name) <= MAX_LENGTH
        assert not set(name) & FORBIDDEN
        assert name[0] != "'" and name[-1] != "'" and name == name.strip()
    folded = [n.casefold() for n in names]
    assert len(set(folded)) == len(folded) and "history" not in folded


@given(st.text(alphabet="ab ", max_size=60), st.integers(min_value=1, max_value=40))
def test_a_shortened_title_ends_at_a_word_of_it(text, limit):
    short = shortened(text, limit)
    assert len(short) <= limit and text.startswith(short)
    if len(text) > limit and re.search(r"\S ", text[: limit + 1]):
        # a whole word fits: the cut is where a word ends, before a space
        assert text[len(short) :][:1] in (" ", "")
