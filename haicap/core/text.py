"""Text helpers for Vietnamese (pure: no Django)."""

import re
import unicodedata
from collections.abc import Sequence


def search_key(text: str) -> str:
    """Lower case, no diacritics, single spaces: "Đô  Lương" and "do luong" give "do luong"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    # Marks (diacritics) go; control characters, which PostgreSQL text cannot hold, become spaces.
    bare = "".join(
        " " if unicodedata.category(ch) == "Cc" else ch
        for ch in decomposed
        if unicodedata.category(ch) != "Mn"
    )
    return " ".join(bare.lower().split())


def as_sentence(text: str) -> str:
    """``text`` as a sentence on its own: a capital first letter, and a full stop unless it ends
    with a mark of its own ("…", "?", "!")."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".?!…" else f"{text}."


def match_rank(key: str, words: Sequence[str]) -> tuple[int, int, int]:
    """How well a name's ``search_key`` matches the typed words (as keys); smaller is better.

    First how they match: 0 the words as a phrase of whole words, 1 the phrase with its last word
    still being typed, 2 each a whole word somewhere, 3 each the start of a word, 4 inside words.
    Then the name's length in words (a short name is mostly what was asked: "Đăng ký khai tử"
    before the bundles that mention it), then where the match begins.
    """
    words = re.findall(r"\w+", " ".join(words))
    name_words = re.findall(r"\w+", key)  # "khai tu," is the word "tu" and a comma
    padded = f" {' '.join(name_words)} "
    phrase = " ".join(words)
    if f" {phrase} " in padded:
        how = 0
    elif f" {phrase}" in padded:
        how = 1
    elif all(word in name_words for word in words):
        how = 2
    elif all(any(n.startswith(word) for n in name_words) for word in words):
        how = 3
    else:
        how = 4
    start = padded.find(f" {words[0]}") if words else 0
    return how, len(name_words), start if start >= 0 else len(padded)
