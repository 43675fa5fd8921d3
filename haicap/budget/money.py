"""Amounts of đồng as Vietnamese offices write them (pure: no Django).

Capital is counted in whole đồng: "8.000.000.000" groups the thousands with dots. A comma is
the decimal mark in Vietnamese ("1,5 tỷ"), so a figure with one is refused rather than guessed:
a plan never holds a fraction of a đồng, and "1,500" may mean one and a half.
"""

import re

# A thousand trillion đồng: beyond any one project's capital, well inside a 64-bit column.
MAX_VND = 10**15

# What is wrong with a typed amount, in the words the shell translates.
NOT_AN_AMOUNT = "not a whole number of đồng: write it like 8.000.000.000 or 8000000000"
TOO_LARGE = "more than %(max)s đồng"

# Groups of three digits after the first, separated throughout by one same mark: a dot or a
# space (a no-break space, which Excel and Word put between groups, is a space by then).
_GROUPED = re.compile(r"[0-9]{1,3}([. ])[0-9]{3}(?:\1[0-9]{3})*")
_DIGITS = re.compile(r"[0-9]+")
_CURRENCY = re.compile(r"\s*(?:đồng|đ|vnđ|vnd)\.?$", re.IGNORECASE)
_MINUS = ("-", "\u2212")  # the hyphen-minus typed, the minus sign Word and Excel may put


class NotAnAmount(ValueError):
    """The text is no amount of đồng; ``message % params`` says why (in English, for the shell
    to translate)."""

    def __init__(self, message: str, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(message % params if params else message)


def format_vnd(amount: int) -> str:
    """8000000000 → "8.000.000.000"; -1000 → "-1.000"."""
    return f"{amount:,}".replace(",", ".")


def parse_vnd(text: str) -> int:
    """The whole đồng ``text`` writes: digits alone ("8000000000"), or grouped by thousands with
    dots ("8.000.000.000") or spaces ("8 000 000 000"), a minus sign before for a decrease, and
    "đ" or "đồng" after if the writer likes. Anything else, a decimal above all, is
    ``NotAnAmount``."""
    cleaned = _CURRENCY.sub("", " ".join(str(text).split())).strip()
    negative = cleaned.startswith(_MINUS)
    if negative:
        cleaned = cleaned[1:].lstrip()
    if not (_DIGITS.fullmatch(cleaned) or _GROUPED.fullmatch(cleaned)):
        raise NotAnAmount(NOT_AN_AMOUNT)
    digits = re.sub(r"[^0-9]", "", cleaned).lstrip("0") or "0"
    # compared as text first: a thousand digits are no amount, and not worth converting
    if len(digits) > len(str(MAX_VND)) or int(digits) > MAX_VND:
        raise NotAnAmount(TOO_LARGE, max=format_vnd(MAX_VND))
    number = int(digits)
    return -number if negative else number
