"""A report template's sections, cells and rules, read from the JSON a template version stores
(pure: no Django).

A template is data the province keeps: sections of cells, each cell a number, a text, a choice
or a table; a number cell may name a registered source to be pre-filled from; rules tie cells
together ("resolved ≤ received", "the fields add up to the total"). ``parse`` reads the stored
JSON into these values and lists every problem at once, so a template that would break a
commune's report is refused when it is published, not when a commune opens it: a text holding a
control character (a NUL, which PostgreSQL cannot store, or one that Excel and Word files
cannot hold) is one of them.

Example::

    {"sections": [{"key": "tthc", "title": "Thủ tục hành chính", "cells": [
        {"key": "received", "label": "Hồ sơ tiếp nhận", "kind": "number", "unit": "hồ sơ",
         "source": {"key": "kpi.received", "params": {}}},
        {"key": "by_field", "label": "Theo lĩnh vực", "kind": "table", "columns": [
            {"key": "field", "label": "Lĩnh vực", "kind": "text"},
            {"key": "received", "label": "Tiếp nhận", "kind": "number"}]},
        {"key": "difficulties", "label": "Khó khăn, vướng mắc", "kind": "text",
         "highlight": true}]}],
     "rules": [{"key": "fields_add_up", "left": ["by_field.received"], "op": "=",
                "right": ["received"], "message": "Các lĩnh vực phải cộng bằng tổng số"}]}
"""

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from haicap.core.characters import first_unacceptable

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_CELLS = 300
MAX_COLUMNS = 20


class Kind(StrEnum):
    NUMBER = "number"
    TEXT = "text"
    CHOICE = "choice"
    TABLE = "table"


COLUMN_KINDS = (Kind.NUMBER, Kind.TEXT)


class Op(StrEnum):
    AT_MOST = "<="
    AT_LEAST = ">="
    EQUAL = "="


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind  # number or text


@dataclass(frozen=True)
class SourceRef:
    key: str  # a registered report source (``haicap.core.report_sources``)
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    kind: Kind
    unit: str = ""  # printed after a number: "hồ sơ", "%"
    required: bool = False
    choices: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    source: SourceRef | None = None
    # a text the province reads first: the commune's difficulties and its proposals (the
    # briefing pack shows them)
    highlight: bool = False
    help: str = ""

    @property
    def adds_up(self) -> bool:
        """Whether the communes' values add up: a count does; a share ("%") does not (the
        consolidation gives no total for it, nor a trend a sum of former communes)."""
        return self.kind == Kind.NUMBER and self.unit.strip() != "%"

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Rule:
    """``sum(left) op sum(right)``: each side names number cells, or a table's number column
    (``"table.column"``: the column's sum)."""

    key: str
    left: tuple[str, ...]
    op: Op
    right: tuple[str, ...]
    message: str

    @property
    def refs(self) -> tuple[str, ...]:
        return self.left + self.right


@dataclass(frozen=True)
class Definition:
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...] = ()

    @property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(cell for section in self.sections for cell in section.cells)

    def cell(self, key: str) -> Cell | None:
        return next((c for c in self.cells if c.key == key), None)

    @property
    def number_keys(self) -> tuple[str, ...]:
        """The keys a consolidation adds up: number cells, and tables' number columns as
        ``"table.column"``."""
        keys: list[str] = []
        for cell in self.cells:
            if cell.kind == Kind.NUMBER:
                keys.append(cell.key)
            elif cell.kind == Kind.TABLE:
                keys.extend(f"{cell.key}.{c.key}" for c in cell.columns if c.kind == Kind.NUMBER)
        return tuple(keys)


def adds_up(definition: "Definition", key: str) -> bool:
    """Whether ``key`` (a number cell, or a table's number column: a count) adds up."""
    cell = definition.cell(key.split(".", 1)[0])
    if cell is None:
        return False
    return cell.kind == Kind.TABLE or cell.adds_up


@dataclass(frozen=True)
class Problem:
    where: str  # "sections[0].cells[2].source"
    message: str  # English; the pages translate the fixed part

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class DefinitionError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


# (a source key, its parameters): the problems with them (unknown source, unknown parameter),
# as the registry knows it; the reader passes it in, so this module needs no registry.
SourceCheck = Callable[[str, Mapping[str, str]], list[str]]


def parse(data: object, check_source: SourceCheck | None = None) -> Definition:
    """The definition ``data`` describes; ``DefinitionError`` listing every problem otherwise."""
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        raise DefinitionError([Problem("", "a template is an object with sections")])
    sections = _list(data.get("sections"), "sections", problems)
    if not sections and not problems:
        problems.append(Problem("sections", "a template needs at least one section"))
    parsed = [
        _section(raw, f"sections[{i}]", problems, check_source) for i, raw in enumerate(sections)
    ]
    definition = Definition(sections=tuple(s for s in parsed if s is not None))
    _unique(
        ((f"sections[{i}]", s.key) for i, s in enumerate(definition.sections)), "section", problems
    )
    _unique(((c.key, c.key) for c in definition.cells), "cell", problems)
    if len(definition.cells) > MAX_CELLS:
        problems.append(Problem("sections", f"at most {MAX_CELLS} cells"))
    raw_rules = _list(data.get("rules", []), "rules", problems)
    rules = [_rule(raw, f"rules[{i}]", definition, problems) for i, raw in enumerate(raw_rules)]
    definition = Definition(definition.sections, tuple(r for r in rules if r is not None))
    _unique(((f"rules[{i}]", r.key) for i, r in enumerate(definition.rules)), "rule", problems)
    if problems:
        raise DefinitionError(problems)
    return definition


def _list(value: object, where: str, problems: list[Problem]) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(Problem(where, "must be a list"))
        return []
    return value


def _storable(text: str, where: str, problems: list[Problem], multiline: bool = False) -> bool:
    """Whether ``text`` holds only characters that may be stored (a problem listed if not)."""
    found = first_unacceptable(text, multiline)
    if found is not None:
        problems.append(Problem(where, str(found)))
    return found is None


def _text(
    raw: Mapping,
    name: str,
    where: str,
    problems: list[Problem],
    *,
    needed: bool = True,
    multiline: bool = False,
) -> str:
    value = raw.get(name, "")
    if not isinstance(value, str):
        problems.append(Problem(f"{where}.{name}", "must be text"))
        return ""
    value = value.strip()
    if needed and not value:
        problems.append(Problem(f"{where}.{name}", "is required"))
    _storable(value, f"{where}.{name}", problems, multiline)
    return value


def _key(raw: Mapping, where: str, problems: list[Problem]) -> str:
    key = raw.get("key")
    if not isinstance(key, str) or not KEY.fullmatch(key):
        problems.append(Problem(f"{where}.key", "a key is 1 to 40 lower-case letters, digits or _"))
        return ""
    return key


def _section(
    raw: object, where: str, problems: list[Problem], check_source: SourceCheck | None
) -> Section | None:
    if not isinstance(raw, Mapping):
        problems.append(Problem(where, "a section is an object"))
        return None
    key = _key(raw, where, problems)
    title = _text(raw, "title", where, problems)
    cells = _list(raw.get("cells"), f"{where}.cells", problems)
    if not cells:
        problems.append(Problem(f"{where}.cells", "a section needs at least one cell"))
    parsed = [_cell(c, f"{where}.cells[{i}]", problems, check_source) for i, c in enumerate(cells)]
    return Section(key=key, title=title, cells=tuple(c for c in parsed if c is not None))


def _cell(
    raw: object, where: str, problems: list[Problem], check_source: SourceCheck | None
) -> Cell | None:
    if not isinstance(raw, Mapping):
        problems.append(Problem(where, "a cell is an object"))
        return None
    key = _key(raw, where, problems)
    label = _text(raw, "label", where, problems)
    try:
        kind = Kind(raw.get("kind"))
    except ValueError:
        problems.append(Problem(f"{where}.kind", "is one of number, text, choice, table"))
        return None
    unit = _text(raw, "unit", where, problems, needed=False)
    help_text = _text(raw, "help", where, problems, needed=False, multiline=True)
    required = raw.get("required", False)
    highlight = raw.get("highlight", False)
    if not isinstance(required, bool) or not isinstance(highlight, bool):
        problems.append(Problem(where, "required and highlight are true or false"))
        required = highlight = False
    if highlight and kind != Kind.TEXT:
        problems.append(Problem(f"{where}.highlight", "only a text cell is highlighted"))
    choices: tuple[str, ...] = ()
    if kind == Kind.CHOICE:
        raw_choices = _list(raw.get("choices"), f"{where}.choices", problems)
        choices = tuple(c.strip() for c in raw_choices if isinstance(c, str) and c.strip())
        if len(choices) != len(raw_choices) or len(choices) < 2:
            problems.append(Problem(f"{where}.choices", "a choice offers two or more texts"))
        elif len(set(choices)) != len(choices):
            problems.append(Problem(f"{where}.choices", "a choice is offered once"))
        for i, choice in enumerate(choices):
            _storable(choice, f"{where}.choices[{i}]", problems)
    columns: tuple[Column, ...] = ()
    if kind == Kind.TABLE:
        columns = _columns(raw.get("columns"), f"{where}.columns", problems)
    source = None
    if "source" in raw and raw["source"] is not None:
        source = _source(raw["source"], f"{where}.source", kind, problems, check_source)
    return Cell(
        key=key,
        label=label,
        kind=kind,
        unit=unit,
        required=required,
        choices=choices,
        columns=columns,
        source=source,
        highlight=highlight,
        help=help_text,
    )


def _columns(value: object, where: str, problems: list[Problem]) -> tuple[Column, ...]:
    raw_columns = _list(value, where, problems)
    if not raw_columns or len(raw_columns) > MAX_COLUMNS:
        problems.append(Problem(where, f"a table has 1 to {MAX_COLUMNS} columns"))
    columns = []
    for i, raw in enumerate(raw_columns):
        at = f"{where}[{i}]"
        if not isinstance(raw, Mapping):
            problems.append(Problem(at, "a column is an object"))
            continue
        key = _key(raw, at, problems)
        label = _text(raw, "label", at, problems)
        kind = raw.get("kind")
        if kind not in COLUMN_KINDS:
            problems.append(Problem(f"{at}.kind", "a column is a number or a text"))
            continue
        columns.append(Column(key=key, label=label, kind=Kind(kind)))
    _unique(((where, c.key) for c in columns), "column", problems)
    return tuple(columns)


def _source(
    raw: object,
    where: str,
    kind: Kind,
    problems: list[Problem],
    check_source: SourceCheck | None,
) -> SourceRef | None:
    if kind != Kind.NUMBER:
        problems.append(Problem(where, "only a number cell is pre-filled from a source"))
        return None
    if not isinstance(raw, Mapping) or not isinstance(raw.get("key"), str):
        problems.append(Problem(where, "a source names a key"))
        return None
    params = raw.get("params", {})
    if not isinstance(params, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in params.items()
    ):
        problems.append(Problem(f"{where}.params", "parameters are texts by name"))
        return None
    texts = [raw["key"], *(t for item in params.items() for t in item)]
    if not all([_storable(text, where, problems) for text in texts]):
        return None
    ref = SourceRef(key=raw["key"], params=dict(params))
    if check_source is not None:
        problems.extend(Problem(where, message) for message in check_source(ref.key, ref.params))
    return ref


def _rule(raw: object, where: str, definition: Definition, problems: list[Problem]) -> Rule | None:
    if not isinstance(raw, Mapping):
        problems.append(Problem(where, "a rule is an object"))
        return None
    key = _key(raw, where, problems)
    message = _text(raw, "message", where, problems)
    try:
        op = Op(raw.get("op"))
    except ValueError:
        problems.append(Problem(f"{where}.op", "is one of <=, >=, ="))
        return None
    sides = []
    for side in ("left", "right"):
        refs = _list(raw.get(side), f"{where}.{side}", problems)
        if not refs:
            problems.append(Problem(f"{where}.{side}", "names one or more number cells"))
        for ref in refs:
            if not isinstance(ref, str) or ref not in definition.number_keys:
                problems.append(
                    Problem(f"{where}.{side}", f"{ref!r} is not a number cell or column")
                )
        sides.append(tuple(r for r in refs if isinstance(r, str)))
    return Rule(key=key, left=sides[0], op=op, right=sides[1], message=message)


def _unique(keys: Iterable[tuple[str, str]], what: str, problems: list[Problem]) -> None:
    seen: set[str] = set()
    for where, key in keys:
        if key and key in seen:
            problems.append(Problem(where, f"the {what} key {key!r} is used twice"))
        seen.add(key)


def to_data(definition: Definition) -> dict:
    """The JSON a template version stores for ``definition`` (``parse`` reads it back)."""

    def cell(c: Cell) -> dict:
        data: dict = {"key": c.key, "label": c.label, "kind": c.kind.value}
        if c.unit:
            data["unit"] = c.unit
        if c.help:
            data["help"] = c.help
        if c.required:
            data["required"] = True
        if c.highlight:
            data["highlight"] = True
        if c.choices:
            data["choices"] = list(c.choices)
        if c.columns:
            data["columns"] = [
                {"key": col.key, "label": col.label, "kind": col.kind.value} for col in c.columns
            ]
        if c.source is not None:
            data["source"] = {"key": c.source.key, "params": dict(c.source.params)}
        return data

    return {
        "sections": [
            {"key": s.key, "title": s.title, "cells": [cell(c) for c in s.cells]}
            for s in definition.sections
        ],
        "rules": [
            {
                "key": r.key,
                "left": list(r.left),
                "op": r.op.value,
                "right": list(r.right),
                "message": r.message,
            }
            for r in definition.rules
        ],
    }
