"""A report template's version as a JSON file, as ``publish_report_template`` reads it (pure: no
Django).

    {"code": "hoat-dong-chinh-quyen", "name": "Báo cáo …", "period": "month",
     "due_days": 5, "late_after_days": 7, "in_force_from": "2025-07-01",
     "filers": ["17662", "17707"], "definition": {"sections": [...], "rules": [...]}}

``filers`` are official commune codes (left out or empty: every commune in force). This reads
the file's shape and lists every problem at once; what the values mean (the definition's
cells, the period, the days, the communes) the publishing service checks.
"""

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_CODE = 60
FIELDS = (
    "code",
    "name",
    "period",
    "due_days",
    "late_after_days",
    "in_force_from",
    "filers",
    "definition",
)


class TemplateFileError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class TemplateFile:
    code: str
    name: str
    period: str
    due_days: int
    late_after_days: int
    in_force_from: dt.date
    filers: tuple[str, ...]
    definition: Mapping


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def read(text: str) -> TemplateFile:
    """The template ``text`` describes; ``TemplateFileError`` listing every problem otherwise."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TemplateFileError(
            [f"not JSON: {error.msg} at line {error.lineno}, column {error.colno}"]
        ) from error
    if not isinstance(data, dict):
        raise TemplateFileError(["the file holds one object: code, name, period, … definition"])
    problems = [
        f"{name}: unknown (one of {', '.join(FIELDS)})" for name in data if name not in FIELDS
    ]
    code = data.get("code")
    if not isinstance(code, str) or not CODE.match(code) or len(code) > MAX_CODE:
        problems.append(f"code: 1 to {MAX_CODE} lower-case letters or digits joined by hyphens")
    for name in ("name", "period"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            problems.append(f"{name}: a text is required")
    for name in ("due_days", "late_after_days"):
        if not _whole(data.get(name)):
            problems.append(f"{name}: a whole number of days, 0 or more")
    try:
        in_force_from = dt.date.fromisoformat(data.get("in_force_from"))
    except (TypeError, ValueError):
        in_force_from = None
        problems.append("in_force_from: a day written YYYY-MM-DD")
    filers = data.get("filers", [])
    if not isinstance(filers, list) or not all(isinstance(c, str) and c for c in filers):
        problems.append("filers: a list of communes' official codes (empty: every commune)")
        filers = []
    if not isinstance(data.get("definition"), dict):
        problems.append("definition: an object with sections (and rules)")
    if problems:
        raise TemplateFileError(problems)
    return TemplateFile(
        code=code,
        name=data["name"].strip(),
        period=data["period"],
        due_days=data["due_days"],
        late_after_days=data["late_after_days"],
        in_force_from=in_force_from,
        filers=tuple(filers),
        definition=data["definition"],
    )
