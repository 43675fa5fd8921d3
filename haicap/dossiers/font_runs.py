"""Splitting text into runs by the font that draws them (pure: no Django, no reportlab).

A printed name can be in any script, and no one font draws them all: each character goes to
the first font, in the order given (the form's serif font first), whose character map holds it.
Spaces, combining marks and format characters (ZWJ, ZWNJ) stay in the run they follow when its
font has them, so that "محمد رضایی" is one Arabic run and a mark keeps to its base letter.
A character no font has gets a run of its own with the font ``None``; the printer replaces it.
"""

import unicodedata
from collections.abc import Container, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    font: str | None  # None: no font given draws these characters
    text: str


def _follows_its_neighbour(char: str) -> bool:
    return unicodedata.category(char)[0] in "MZ" or unicodedata.category(char) == "Cf"


def font_for(char: str, fonts: Sequence[tuple[str, Container[int]]]) -> str | None:
    """The first font whose character map holds ``char``, or None."""
    code = ord(char)
    return next((name for name, covered in fonts if code in covered), None)


def split_runs(text: str, fonts: Sequence[tuple[str, Container[int]]]) -> list[Run]:
    """Maximal runs of ``text``, each drawn by one font of ``fonts`` ((name, code points))."""
    covers = dict(fonts)
    runs: list[Run] = []
    for char in text:
        current = runs[-1].font if runs else None
        if current is not None and _follows_its_neighbour(char) and ord(char) in covers[current]:
            font = current
        else:
            font = font_for(char, fonts)
        if runs and runs[-1].font == font:
            runs[-1] = Run(font, runs[-1].text + char)
        else:
            runs.append(Run(font, char))
    return runs
