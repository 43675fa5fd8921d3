"""Splitting text into runs by font: properties over any text and any set of fonts."""

import unicodedata
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from haicap.dossiers.font_runs import Run, font_for, split_runs

# A small alphabet mixing scripts, spaces and marks, so that every rule is met often.
ALPHABET = "aăêđ Ễ,1王小明محمد رضایی\u064eសុខ ចាន់\u200c\u0301\U0001fae8"
texts = st.text(alphabet=ALPHABET, max_size=40)
font_sets = st.lists(
    st.frozensets(st.sampled_from([ord(c) for c in ALPHABET])), min_size=0, max_size=4
).map(lambda maps: [(f"font{i}", covered) for i, covered in enumerate(maps)])
# Few characters, fonts that overlap a lot: where the rules for marks and spaces decide.
FEW = "aم \u064e\u0301"
few_texts = st.text(alphabet=FEW, max_size=12)
overlapping_fonts = st.lists(
    st.frozensets(st.sampled_from([ord(c) for c in FEW]), min_size=2), min_size=2, max_size=3
).map(lambda maps: [(f"font{i}", covered) for i, covered in enumerate(maps)])


@given(texts, font_sets)
def test_the_runs_put_together_give_back_the_text(text, fonts):
    assert "".join(run.text for run in split_runs(text, fonts)) == text


@given(texts, font_sets)
def test_every_character_of_a_run_is_in_its_font_or_in_none(text, fonts):
    covers = dict(fonts)
    for run in split_runs(text, fonts):
        for char in run.text:
            if run.font is None:
                assert font_for(char, fonts) is None
            else:
                assert ord(char) in covers[run.font]


@given(texts, font_sets)
def test_runs_are_as_long_as_they_can_be(text, fonts):
    runs = split_runs(text, fonts)
    assert all(run.text for run in runs)
    assert all(a.font != b.font for a, b in pairwise(runs))


@given(texts, font_sets)
def test_a_letter_goes_to_the_first_font_that_has_it(text, fonts):
    for run in split_runs(text, fonts):
        for char in run.text:
            if unicodedata.category(char)[0] not in "MC" and not char.isspace():
                assert run.font == font_for(char, fonts)


def test_marks_keep_to_their_letter_and_spaces_join_a_run_on_both_sides():
    latin = ("serif", frozenset(map(ord, "ab \u064e")))
    arabic = ("naskh", frozenset(map(ord, "محمد رضایی \u064e")))
    assert split_runs("a محمد رضایی\u064e b", [latin, arabic]) == [
        Run("serif", "a "),
        Run("naskh", "محمد رضایی\u064e"),
        Run("serif", " b"),
    ]


def test_a_character_no_font_has_is_a_run_of_its_own():
    serif = ("serif", frozenset(map(ord, "ab")))
    assert split_runs("a\U0001fae8b", [serif]) == [
        Run("serif", "a"),
        Run(None, "\U0001fae8"),
        Run("serif", "b"),
    ]


def fonts_by_character(text, fonts):
    return [run.font for run in split_runs(text, fonts) for _ in run.text]


@settings(max_examples=1000)
@given(few_texts, overlapping_fonts)
def test_a_mark_is_drawn_by_the_font_of_the_character_before_it_when_that_font_has_it(text, fonts):
    covers, chosen = dict(fonts), fonts_by_character(text, fonts)
    for i in range(1, len(text)):
        before = chosen[i - 1]
        if unicodedata.category(text[i])[0] == "M" and before and ord(text[i]) in covers[before]:
            assert chosen[i] == before


@settings(max_examples=1000)
@given(few_texts, overlapping_fonts)
def test_a_space_between_two_characters_of_one_font_that_has_it_is_in_that_font(text, fonts):
    covers, chosen = dict(fonts), fonts_by_character(text, fonts)
    for i in range(1, len(text) - 1):
        around = chosen[i - 1]
        if text[i] == " " and around and chosen[i + 1] == around and ord(" ") in covers[around]:
            assert chosen[i] == around
