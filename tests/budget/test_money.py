"""Amounts of đồng as Vietnamese offices write them: grouped by dots, read back from dots, spaces
or digits alone, and never a fraction."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.budget.money import MAX_VND, NotAnAmount, format_vnd, parse_vnd

amounts = st.integers(-MAX_VND, MAX_VND)


def test_thousands_are_grouped_with_dots():
    assert format_vnd(8_000_000_000) == "8.000.000.000"
    assert format_vnd(-1_000) == "-1.000"
    assert format_vnd(999) == "999"
    assert format_vnd(0) == "0"


@given(amounts)
def test_what_is_written_reads_back(amount):
    assert parse_vnd(format_vnd(amount)) == amount


@given(amounts, st.sampled_from([" ", "\u00a0", "\u202f"]))
def test_spaces_between_the_groups_read_as_the_dots_do(amount, space):
    assert parse_vnd(format_vnd(amount).replace(".", space)) == amount


@given(amounts)
def test_digits_alone_read_as_they_are(amount):
    assert parse_vnd(str(amount)) == amount


@pytest.mark.parametrize(
    "text, amount",
    [
        ("8.000.000.000", 8_000_000_000),
        ("8000000000", 8_000_000_000),
        ("8 000 000 000", 8_000_000_000),
        ("  8.000.000.000 đ ", 8_000_000_000),
        ("500.000.000 đồng", 500_000_000),
        ("-500.000.000", -500_000_000),
        ("\u2212 1.000", -1_000),
        ("1.500", 1_500),  # a dot groups thousands, it is no decimal point here
    ],
)
def test_offices_ways_of_writing_are_read(text, amount):
    assert parse_vnd(text) == amount


@pytest.mark.parametrize(
    "text",
    [
        "1,5",  # a decimal comma: a fraction of a đồng
        "1.5",
        "1,500",  # a comma may be a decimal mark: refused rather than guessed
        "8.000,50",
        "8.000 000",  # two marks
        "80.00.000",
        "1.0000",
        "",
        "đ",
        "tám tỷ",
        "--5",
        "٣٠٠",  # digits of another script
        "1e9",
    ],
)
def test_anything_else_is_refused_with_a_reason(text):
    with pytest.raises(NotAnAmount) as refused:
        parse_vnd(text)
    assert "whole number of đồng" in str(refused.value)


def test_an_amount_beyond_any_project_is_refused():
    with pytest.raises(NotAnAmount) as refused:
        parse_vnd("1" + "0" * 16)
    assert refused.value.params == {"max": "1.000.000.000.000.000"}
    with pytest.raises(NotAnAmount):
        parse_vnd("9" * 5000)  # not converted at all
    assert parse_vnd(str(MAX_VND)) == MAX_VND


@given(amounts, st.integers(1, 99))
def test_a_decimal_part_is_never_taken(amount, cents):
    with pytest.raises(NotAnAmount):
        parse_vnd(f"{format_vnd(amount)},{cents:02d}")
