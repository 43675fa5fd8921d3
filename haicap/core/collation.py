"""Sorting names the way Vietnamese readers expect (pure: no Django).

The Vietnamese alphabet has 29 letters in this order: a ă â b c d đ e ê g h i k l m n o ô ơ p q
r s t u ư v x y (f j w z, found in borrowed words, take their Latin places). So "Đô Lương" comes
after every name in D and before E, where Python's own order (by code point) puts it after "Văn
Hiến". The five tone marks do not change a letter: at the first level they are ignored, so "Hà"
and "Ha" tie there and are then told apart by tone, in the order of the Unicode CLDR Vietnamese
collation (no mark, grave, hook above, tilde, acute, dot below), then by case (lower first).
"""

import unicodedata

# The letters in alphabetical order, each as its base letter and the mark that makes it a letter
# of its own (breve, circumflex, horn; đ has no decomposition and is spelled out).
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_ALPHABET = (
    ("a", ""),
    ("a", _BREVE),
    ("a", _CIRCUMFLEX),
    ("b", ""),
    ("c", ""),
    ("d", ""),
    ("đ", ""),
    ("e", ""),
    ("e", _CIRCUMFLEX),
    ("f", ""),
    ("g", ""),
    ("h", ""),
    ("i", ""),
    ("j", ""),
    ("k", ""),
    ("l", ""),
    ("m", ""),
    ("n", ""),
    ("o", ""),
    ("o", _CIRCUMFLEX),
    ("o", _HORN),
    ("p", ""),
    ("q", ""),
    ("r", ""),
    ("s", ""),
    ("t", ""),
    ("u", ""),
    ("u", _HORN),
    ("v", ""),
    ("w", ""),
    ("x", ""),
    ("y", ""),
    ("z", ""),
)
_LETTER_WEIGHT = {letter: 1000 + index for index, letter in enumerate(_ALPHABET)}
_LETTER_MARKS = {_BREVE, _CIRCUMFLEX, _HORN}
# The tones, in CLDR's order; no tone is 0.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_SPACE = 1  # a space before any letter: "Đô" before "Đô Lương", "Nam Đàn" before "Nam Đông"

Key = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], str]


def vietnamese_key(text: str) -> Key:
    """A key that sorts ``text`` in Vietnamese alphabetical order: letters first (tones and
    case ignored), then tones, then case; the text itself last, so that different texts never
    tie. Runs of spaces count as one space; spaces at either end do not count."""
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for cluster in _clusters(" ".join(text.split())):
        base, marks = cluster[0], cluster[1:]
        lower = base.lower()
        letter_mark = "".join(m for m in marks if m in _LETTER_MARKS)
        weight = _LETTER_WEIGHT.get((lower, letter_mark))
        if weight is None:
            weight = _LETTER_WEIGHT.get((lower, ""))  # a foreign mark on a Latin letter
        if weight is None:
            if base == " ":
                weight = _SPACE
            elif base.isdigit():
                weight = 10 + (unicodedata.digit(base, 0))
            else:  # punctuation and other scripts: after the letters, by code point
                weight = 2000 + ord(lower)
        primary.append(weight)
        tone = max((_TONES.get(m, 0) for m in marks), default=0)
        others = sum(ord(m) for m in marks if m not in _TONES and m not in _LETTER_MARKS)
        secondary.append(tone * 100_000 + others if others else tone)
        tertiary.append(0 if base == lower else 1)
    return tuple(primary), tuple(secondary), tuple(tertiary), text


def _clusters(text: str) -> list[str]:
    """The text as letters, each with the combining marks that follow it (NFD)."""
    clusters: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if clusters and unicodedata.combining(char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters
