"""Vietnamese numbers in words (the receipt's amount in words), worked by hand and read back."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.core.number_words import amount_in_words, in_words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (1_005, "một nghìn không trăm linh năm"),
        (8_000, "tám nghìn"),
        (50_000, "năm mươi nghìn"),
        (300_500, "ba trăm nghìn năm trăm"),
        (1_000_001, "một triệu không trăm linh một"),
        (21_000_000, "hai mươi mốt triệu"),
        (1_000_000_000, "một tỷ"),
        (1_200_034_005, "một tỷ hai trăm triệu không trăm ba mươi tư nghìn không trăm linh năm"),
        (1_000_000_000_000, "một nghìn tỷ"),
    ],
)
def test_numbers_read_as_written_vietnamese(number, words):
    assert in_words(number) == words


def test_an_amount_starts_with_a_capital_and_ends_in_dong():
    assert amount_in_words(8_000) == "Tám nghìn đồng"
    assert amount_in_words(1_500_000) == "Một triệu năm trăm nghìn đồng"


def test_a_negative_number_has_no_reading():
    with pytest.raises(ValueError):
        in_words(-1)


VALUES = {
    "không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
    "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
}  # fmt: skip


def read_back(words: str) -> int:
    """An independent reader of the words: digits times trăm/mươi, scales multiply."""
    tokens = words.split()
    big = section = group = 0
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token in VALUES:
            if following == "trăm":
                group += VALUES[token] * 100
            elif following == "mươi":
                group += VALUES[token] * 10
            else:
                group += VALUES[token]
        elif token == "mười":
            group += 10
        elif token == "nghìn":
            section += group * 1000
            group = 0
        elif token == "triệu":
            section += group * 1_000_000
            group = 0
        elif token == "tỷ":
            big = (big + section + group) * 1_000_000_000
            section = group = 0
        else:
            assert token in ("trăm", "mươi", "linh"), token
    return big + section + group


@given(st.integers(min_value=0, max_value=10**15))
def test_every_number_reads_back_to_itself(number):
    assert read_back(in_words(number)) == number


@given(st.integers(min_value=1, max_value=10**15))
def test_no_reading_has_empty_or_doubled_words(number):
    words = in_words(number).split()
    assert all(words) and all(a != b or a == "tỷ" for a, b in itertools.pairwise(words))
    assert "không" not in words[:1]  # a number never starts with zero
