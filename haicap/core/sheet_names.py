"""Names for the sheets of an Excel workbook (pure: no Django).

Excel takes at most 31 characters in a sheet's name, none of ``[ ] : * ? / \\``, no apostrophe
at either end, and no two names alike ignoring case ("History" is its own). A long title is
shortened at the end of a word ("Tài liệu kiểm tra xã Đô Lương…" loses whole words, never half
of one); two titles that shorten alike are told apart by a number, "(2)", "(3)".
"""

from collections.abc import Iterable

from haicap.core.characters import printable

MAX_LENGTH = 31
FORBIDDEN = frozenset("[]:*?/\\")
RESERVED = frozenset({"history"})


def shortened(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at the end of a word, without a trailing
    space or separator; a first word longer than ``limit`` is cut where the limit falls."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    at = cut.rfind(" ")
    words = cut[:at].rstrip(" ,;.-–") if at > 0 else ""
    return words or text[:limit].rstrip()


def sheet_names(titles: Iterable[str]) -> list[str]:
    """A valid, distinct sheet name for each title, in order."""
    names: list[str] = []
    taken: set[str] = set(RESERVED)
    for position, title in enumerate(titles, start=1):
        clean = "".join("-" if c in FORBIDDEN else c for c in printable(title))
        clean = " ".join(clean.split()).strip("'").strip()
        if not clean:
            clean = str(position)
        name = shortened(clean, MAX_LENGTH).strip("'").strip() or str(position)
        number = 2
        while name.casefold() in taken:
            suffix = f" ({number})"
            stem = shortened(clean, MAX_LENGTH - len(suffix)).strip("'").strip()
            name = f"{stem}{suffix}"
            number += 1
        taken.add(name.casefold())
        names.append(name)
    return names
