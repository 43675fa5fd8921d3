"""Code mappings read from a spreadsheet (pure): every bad row reported, all or nothing."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from haicap.core.characters import row_problems
from haicap.core.sheets import SheetError

COLUMNS = ("target", "kind", "local_code", "national_code")
KINDS = ("procedure", "status", "unit", "agency")


@dataclass(frozen=True)
class MappingRow:
    target: str
    kind: str
    local_code: str
    national_code: str
    note: str = ""


def parse_rows(rows: Iterable[Mapping[str, object]], header: Iterable[str]) -> list[MappingRow]:
    missing = [c for c in COLUMNS if c not in set(header)]
    if missing:
        raise SheetError([f"line 1: missing column(s) {', '.join(missing)}"])
    parsed, problems, seen = [], [], {}
    for line, row in enumerate(rows, start=2):
        values = {c: " ".join(str(row.get(c) or "").split()) for c in (*COLUMNS, "note")}
        if not any(values[c] for c in COLUMNS):
            continue  # a blank line
        if unacceptable := row_problems({c: row.get(c) for c in (*COLUMNS, "note")}):
            problems.extend(f"line {line}: {problem}" for problem in unacceptable)
            continue
        empty = [c for c in COLUMNS if not values[c]]
        if empty:
            problems.append(f"line {line}: {', '.join(empty)} empty")
            continue
        if values["kind"] not in KINDS:
            problems.append(f"line {line}: kind must be one of {', '.join(KINDS)}")
            continue
        key = (values["target"], values["kind"], values["local_code"])
        if key in seen:
            problems.append(f"line {line}: the same code as line {seen[key]}")
            continue
        seen[key] = line
        parsed.append(MappingRow(**values))
    if problems:
        raise SheetError(problems)
    return parsed
