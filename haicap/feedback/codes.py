"""A petition's tracking code (pure): ``PA-YYMMDD-NNNN``, the province's running number of the
day of receipt, at least four digits (like a dossier's, convention 8, with the province's
``PA`` in place of an agency's code: a petition may move between agencies, its code does not)."""

import datetime as dt
import re

PREFIX = "PA"
CODE_PATTERN = re.compile(r"^PA-\d{6}-\d{4,}$")


def petition_code(day: dt.date, number: int) -> str:
    if number < 1:
        raise ValueError("daily numbers start at 1")
    return f"{PREFIX}-{day:%y%m%d}-{number:04d}"


def looks_like_code(text: str) -> bool:
    return bool(CODE_PATTERN.match(text.strip().upper()))
