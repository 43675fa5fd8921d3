"""Reading a province's list of merged units (pure: no Django).

The shape is that of ``data/nghe-an-communes-2025.csv`` (Resolution 1678/NQ-UBTVQH15):
``item,kind,name,formed_from,former_unit_count``, where ``formed_from`` lists the former
units as ``<kind> <name>`` separated by ``;``, with ``(huyện X)`` where the resolution names
the former district to tell apart two units of the same name.

Every problem in the file is collected, with its line number, before anything is loaded.
"""

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from haicap.core.characters import row_problems

NEW_UNIT_KINDS = ("xã", "phường", "đặc khu")
FORMER_UNIT_KINDS = ("thị trấn", "thị xã", "đặc khu", "phường", "xã")
UNIT_LIST_COLUMNS = ("item", "kind", "name", "formed_from", "former_unit_count")
CODE_LIST_COLUMNS = ("code", "kind", "name", "postcode")

_DISTRICT_HINT = re.compile(r"^(?P<unit>.+?)\s*\(huyện\s+(?P<district>[^)]+)\)$")


@dataclass(frozen=True)
class FormerUnit:
    kind: str
    name: str
    district: str | None = None

    @property
    def label(self) -> str:
        hint = f" (huyện {self.district})" if self.district else ""
        return f"{self.kind} {self.name}{hint}"


@dataclass(frozen=True)
class NewUnit:
    line: int
    item: str
    kind: str
    name: str
    formed_from: tuple[FormerUnit, ...]

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class UnitCode:
    code: str
    postcode: str


class UnitListError(ValueError):
    """The file cannot be loaded; ``problems`` lists every line at fault."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def normalise(text: str) -> str:
    """NFC and single spaces, so the same name typed two ways compares equal."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def parse_former_unit(text: str) -> FormerUnit | None:
    text = normalise(text)
    district = None
    hinted = _DISTRICT_HINT.match(text)
    if hinted:
        text, district = hinted.group("unit").strip(), hinted.group("district").strip()
    for kind in FORMER_UNIT_KINDS:
        if text.startswith(kind + " ") and text[len(kind) + 1 :].strip():
            return FormerUnit(kind, text[len(kind) + 1 :].strip(), district)
    return None


def _rows(lines: Iterable[str], columns: tuple[str, ...]) -> tuple[list[dict[str, str]], list[str]]:
    reader = csv.DictReader(lines)
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        return [], [f"line 1: missing column(s) {', '.join(missing)}"]
    rows = list(reader)
    # The callers read on and report these with their own problems, all before loading.
    unacceptable = [
        f"line {offset + 2}: {problem}"
        for offset, row in enumerate(rows)
        for problem in row_problems(row)
    ]
    return rows, unacceptable


def parse_unit_list(lines: Iterable[str]) -> list[NewUnit]:
    rows, problems = _rows(lines, UNIT_LIST_COLUMNS)
    units: list[NewUnit] = []
    seen: set[str] = set()
    for offset, row in enumerate(rows):
        line = offset + 2  # the header is line 1
        kind, name = normalise(row["kind"] or ""), normalise(row["name"] or "")
        if kind not in NEW_UNIT_KINDS:
            problems.append(f"line {line}: kind must be one of {', '.join(NEW_UNIT_KINDS)}")
            continue
        if not name:
            problems.append(f"line {line}: name is empty")
            continue
        entries = [e for e in (row["formed_from"] or "").split(";") if e.strip()]
        formed_from = []
        for entry in entries:
            former = parse_former_unit(entry)
            if former is None:
                problems.append(f"line {line}: cannot read former unit {entry.strip()!r}")
            else:
                formed_from.append(former)
        if not entries:
            problems.append(f"line {line}: formed_from is empty")
        count = (row["former_unit_count"] or "").strip()
        if not count.isdigit() or int(count) != len(entries):
            problems.append(
                f"line {line}: former_unit_count is {count!r} but formed_from lists {len(entries)}"
            )
        unit = NewUnit(line, (row["item"] or "").strip(), kind, name, tuple(formed_from))
        if unit.label in seen:
            problems.append(f"line {line}: {unit.label} appears twice")
        seen.add(unit.label)
        units.append(unit)
    if not rows and not problems:
        problems.append("the file has no units")
    if problems:
        raise UnitListError(problems)
    return units


def parse_code_list(lines: Iterable[str]) -> dict[tuple[str, str], UnitCode]:
    """Official codes and postcodes by ``(kind, name)``: ``code,kind,name,postcode``."""
    rows, problems = _rows(lines, CODE_LIST_COLUMNS)
    codes: dict[tuple[str, str], UnitCode] = {}
    seen_codes: set[str] = set()
    for offset, row in enumerate(rows):
        line = offset + 2
        code = (row["code"] or "").strip()
        key = (normalise(row["kind"] or ""), normalise(row["name"] or ""))
        if not code.isdigit() or len(code) != 5:
            problems.append(f"line {line}: a commune-level code has 5 digits, not {code!r}")
            continue
        if code in seen_codes or key in codes:
            problems.append(f"line {line}: {key[0]} {key[1]} or code {code} appears twice")
            continue
        seen_codes.add(code)
        codes[key] = UnitCode(code, (row["postcode"] or "").strip())
    if problems:
        raise UnitListError(problems)
    return codes
