"""Which characters stored text may hold (pure: no Django).

A control character in a name breaks what reads it later: Excel files (XML 1.0 cannot hold most
of C0), PostgreSQL text (no NUL), printed forms and other systems. So input refuses them, and
output replaces what older rows still hold (``printable``).

Refused everywhere: C0 and C1 control characters (tab, line feed and carriage return are
allowed in multi-line text only), unpaired surrogates and Unicode noncharacters.
"""

import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass

LINE_BREAKS_AND_TAB = frozenset("\t\n\r")
REPLACEMENT = "\ufffd"
# A spreadsheet takes a text starting so for a formula (CSV/formula injection): written as text.
FORMULA_STARTS = ("=", "+", "-", "@")

# What is wrong, in the words the message uses (the shell translates them).
CONTROL = "a control character"
SURROGATE = "an unpaired surrogate"
NONCHARACTER = "a noncharacter"
MESSAGE = "%(kind)s (U+%(code)s) at position %(position)d is not allowed here"


@dataclass(frozen=True)
class Unacceptable:
    """The first character text may not hold: what it is and where (counted from 1)."""

    kind: str
    code_point: int
    position: int

    def params(self) -> dict[str, object]:
        return {"kind": self.kind, "code": f"{self.code_point:04X}", "position": self.position}

    def __str__(self) -> str:
        return MESSAGE % self.params()


def is_noncharacter(code_point: int) -> bool:
    """U+FDD0..U+FDEF and the last two code points of every plane (U+FFFE, U+1FFFF...)."""
    return 0xFDD0 <= code_point <= 0xFDEF or code_point & 0xFFFE == 0xFFFE


def kind_of(char: str, multiline: bool = False) -> str | None:
    """Why ``char`` may not be stored, or ``None`` when it may."""
    category = unicodedata.category(char)
    if category == "Cc":
        return None if multiline and char in LINE_BREAKS_AND_TAB else CONTROL
    if category == "Cs":
        return SURROGATE
    if is_noncharacter(ord(char)):
        return NONCHARACTER
    return None


def first_unacceptable(text: str, multiline: bool = False) -> Unacceptable | None:
    for index, char in enumerate(text):
        if (kind := kind_of(char, multiline)) is not None:
            return Unacceptable(kind, ord(char), index + 1)
    return None


def text_problem(text: str, multiline: bool = False) -> str | None:
    """What is wrong with ``text`` in a readable sentence, or ``None`` when nothing is."""
    found = first_unacceptable(text, multiline)
    return str(found) if found else None


def row_problems(row: Mapping[str, object], multiline: Collection[str] = ()) -> list[str]:
    """``column: problem`` for each text of a spreadsheet row or a message that input refuses;
    the columns in ``multiline`` may hold tabs and line breaks."""
    return [
        f"{column}: {problem}"
        for column, value in row.items()
        if isinstance(value, str) and (problem := text_problem(value, column in multiline))
    ]


def printable(text: str) -> str:
    """``text`` with every character input would refuse replaced by U+FFFD (tab, line feed and
    carriage return kept): safe for XML (xlsx), PDF, CSV and JSON, and the rest stays readable."""
    if not any(kind_of(char, multiline=True) for char in text):
        return text  # the common case, without building a new string
    return "".join(REPLACEMENT if kind_of(char, multiline=True) else char for char in text)


def reads_as_formula(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` for a formula (so it is stored as text)."""
    return text[:1] in FORMULA_STARTS
