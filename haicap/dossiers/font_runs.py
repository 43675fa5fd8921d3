"""Splitting text into runs by the font that draws them (pure: no Django, no reportlab).

A printed name can be in any script, and no one font draws them all: each character goes to
the first font, in the order given (the form's serif font first), whose character map holds it.
Combining marks and format characters (ZWJ, ZWNJ) stay in the run they follow when its font has
them, so a mark keeps to its letter; spaces between two characters of one font join their run,
so that "محمد رضایی" is one Arabic run.
A character no font has gets a run of its own with the font ``None``; the printer replaces it.
"""

import unicodedata
from collections.abc import Container, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    font: str | None  # None: no font given draws these characters
    text: str


def _is_mark(char: str) -> bool:
    """A combining mark or a format character (ZWJ, ZWNJ): drawn with the letter before it."""
    category = unicodedata.category(char)
    return category[0] == "M" or category == "Cf"


def font_for(char: str, fonts: Sequence[tuple[str, Container[int]]]) -> str | None:
    """The first font whose character map holds ``char``, or None."""
    code = ord(char)
    return next((name for name, covered in fonts if code in covered), None)


def split_runs(text: str, fonts: Sequence[tuple[str, Container[int]]]) -> list[Run]:
    """Maximal runs of ``text``, each drawn by one font of ``fonts`` ((name, code points))."""
    covers = dict(fonts)
    chosen = [font_for(char, fonts) for char in text]
    for i in range(1, len(text)):
        before = chosen[i - 1]
        if _is_mark(text[i]) and before is not None and ord(text[i]) in covers[before]:
            chosen[i] = before
    # Spaces between two characters of one font take that font when it has them: one run, not
    # three, and no space of the serif font's width inside a line of Arabic.
    i = 0
    while i < len(text):
        if not text[i].isspace():
            i += 1
            continue
        end = i
        while end < len(text) and text[end].isspace():
            end += 1
        before, after = chosen[i - 1] if i else None, chosen[end] if end < len(text) else None
        if (
            before is not None
            and before == after
            and all(ord(char) in covers[before] for char in text[i:end])
        ):
            chosen[i:end] = [before] * (end - i)
        i = end
    runs: list[Run] = []
    for char, font in zip(text, chosen, strict=True):
        if runs and runs[-1].font == font:
            runs[-1] = Run(font, runs[-1].text + char)
        else:
            runs.append(Run(font, char))
    return runs
