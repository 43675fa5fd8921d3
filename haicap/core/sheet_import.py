"""Importing a spreadsheet, all or nothing: its rows are read, parsed and applied in one
transaction, or nothing is imported and every reason is given.

The admin pages list ``NothingImported.problems``; a command prints the exception as one line.
"""

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

from django.db import transaction

from haicap.core.errors import DomainError
from haicap.core.sheets import SheetError, UnreadableSheet, read_rows

Parsed = TypeVar("Parsed")
Applied = TypeVar("Applied")
Parse = Callable[[Iterable[Mapping[str, object]], Iterable[str]], Parsed]


class NothingImported(Exception):
    """The sheet was refused whole. ``problems`` are the reasons, one each; ``str()`` is the
    line a command prints."""

    def __init__(self, problems: list[str], line: str) -> None:
        self.problems = problems
        super().__init__(line)


def import_sheet(
    name: str, content: bytes, parse: Parse[Parsed], apply: Callable[[Parsed], Applied]
) -> Applied:
    """Read the file ``name`` (its suffix says CSV or Excel), parse its rows and apply them in
    one transaction; what ``apply`` returns, or ``NothingImported``.

    ``parse`` raises ``SheetError`` for bad rows; ``apply`` (a service) raises ``DomainError``.
    """
    try:
        header, rows = read_rows(name, content)
        parsed = parse(rows, header)
        with transaction.atomic():
            return apply(parsed)
    except UnreadableSheet as error:
        raise NothingImported([str(error)], str(error)) from error
    except SheetError as error:
        line = f"{len(error.problems)} problem(s), nothing imported: " + "; ".join(error.problems)
        raise NothingImported(error.problems, line) from error
    except DomainError as error:
        raise NothingImported([error.detail], f"nothing imported: {error.detail}") from error


def import_sheet_file(
    path: Path, parse: Parse[Parsed], apply: Callable[[Parsed], Applied]
) -> Applied:
    """``import_sheet`` of a file on disk; one that cannot be read is ``NothingImported`` too."""
    try:
        content = path.read_bytes()
    except OSError as error:
        line = f"cannot read {path}: {error.strerror}"
        raise NothingImported([line], line) from error
    return import_sheet(path.name, content, parse, apply)
