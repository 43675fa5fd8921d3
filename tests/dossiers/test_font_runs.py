"""Splitting text into runs by font: properties over any text and any set of fonts."""

import unicodedata
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from haicap.dossiers.font_runs import Run, font_for, split_runs

# A small alphabet mixing scripts, spaces and marks, so that every rule is met often.
ALPHABET = "aăêđ Ễ,1王小明محمد رضایی\u064eសុខ ចាន់\u200c\u0301\U0001fae8"
texts = st.text(alphabet=ALPHABET, max_size=40)
font_sets = st.lists(
    st.frozensets(st.sampled_from([ord(c) for c in ALPHABET])), min_size=0, max_size=4
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
            if unicodedata.category(char)[0] not in "MZC":
                assert run.font == font_for(char, fonts)


def test_spaces_and_marks_stay_with_the_run_they_follow():
    latin = ("serif", frozenset(map(ord, "ab \u064e")))
    arabic = ("naskh", frozenset(map(ord, "محمد رضایی \u064e")))
    assert split_runs("a محمد رضایی\u064e b", [latin, arabic]) == [
        Run("serif", "a "),
        Run("naskh", "محمد رضایی\u064e "),
        Run("serif", "b"),
    ]


def test_a_character_no_font_has_is_a_run_of_its_own():
    serif = ("serif", frozenset(map(ord, "ab")))
    assert split_runs("a\U0001fae8b", [serif]) == [
        Run("serif", "a"),
        Run(None, "\U0001fae8"),
        Run("serif", "b"),
    ]
