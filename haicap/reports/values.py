"""What a report says, cell by cell, and whether it may be submitted (pure: no Django).

Each cell's ``Entry`` holds its value and, for a cell pre-filled from haicap, the ``Reading``
its source gave (which source, with which parameters, when, and the records behind it). A value
that differs from its reading is an override: it needs a reason, and the page shows the
difference. Entries are stored as JSON (``to_json``/``from_json``): numbers as decimal strings,
so nothing is lost to floating point.
"""

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from haicap.reports import definition as template_definition
from haicap.reports.definition import Cell, Definition, Kind, Op, Rule

NUMBER = re.compile(r"^-?[0-9]{1,15}([.,][0-9]{1,4})?$")  # ASCII digits only
MAX_TEXT = 10_000
MAX_ROWS = 200
MAX_REASON = 500

Row = Mapping[str, Decimal | str | None]
Value = Decimal | str | tuple[Row, ...] | None


class NumberError(ValueError):
    """Not a number haicap reads: digits, an optional sign and up to four decimals."""


def parse_number(text: str) -> Decimal | None:
    """``text`` as a number ("1234", "12,5" or "12.5"); ``None`` for an empty text."""
    text = text.strip().replace(" ", "")
    if not text:
        return None
    if not NUMBER.match(text):
        raise NumberError(text)
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
        raise NumberError(text) from error


GROUPED = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]{1,4})?$")


def ungrouped(text: str) -> str:
    """A number written the Vietnamese way, thousands grouped by dots ("1.234.567,5"), without
    its dots; any other text as it was. The desk's form reads numbers so (its decimal mark is a
    comma, and "1.234" is a thousand two hundred and thirty-four); the API's numbers are plain
    ("1234.5"), where a dot is the decimal point."""
    bare = text.strip().replace(" ", "")
    return bare.replace(".", "") if GROUPED.match(bare) else text


def number_text(value: Decimal | None) -> str:
    """A number as a person writes it back into the form: no exponent, no trailing zeros."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


@dataclass(frozen=True)
class Reading:
    """What a source said for the commune and period, when."""

    key: str
    params: Mapping[str, str]
    read_at: dt.datetime
    value: Decimal | None
    records: str = ""  # the page listing the records behind it


@dataclass(frozen=True)
class Entry:
    value: Value = None
    reading: Reading | None = None
    reason: str = ""  # why the value differs from the reading

    @property
    def overridden(self) -> bool:
        return self.reading is not None and self.value != self.reading.value

    @property
    def difference(self) -> Decimal | None:
        """The value less haicap's figure, for an overridden number with both."""
        if not self.overridden or self.reading is None or self.reading.value is None:
            return None
        if not isinstance(self.value, Decimal):
            return None
        return self.value - self.reading.value


def prefilled(reading: Reading) -> Entry:
    return Entry(value=reading.value, reading=reading)


class IssueKind(StrEnum):
    REQUIRED = "required"  # a required cell left empty
    REASON = "reason"  # an override without its reason
    RULE = "rule"  # a rule between cells broken
    UNKNOWN_CHOICE = "choice"  # a choice the cell does not offer


@dataclass(frozen=True)
class Issue:
    kind: IssueKind
    where: str  # the cell's key, or the rule's
    message: str = ""  # a rule's own message (the template's words)


def numbers(definition: Definition, entries: Mapping[str, Entry]) -> dict[str, Decimal | None]:
    """The number cells' values, and each table's number columns summed (``"table.column"``;
    ``None`` for a column with no value)."""
    found: dict[str, Decimal | None] = {}
    for cell in definition.cells:
        value = entries.get(cell.key, Entry()).value
        if cell.kind == Kind.NUMBER:
            found[cell.key] = value if isinstance(value, Decimal) else None
        elif cell.kind == Kind.TABLE:
            rows = value if isinstance(value, tuple) else ()
            for column in cell.columns:
                if column.kind != Kind.NUMBER:
                    continue
                figures = [r.get(column.key) for r in rows]
                figures = [f for f in figures if isinstance(f, Decimal)]
                found[f"{cell.key}.{column.key}"] = sum(figures, Decimal(0)) if figures else None
    return found


def numbers_as(
    filed: Definition, entries: Mapping[str, Entry], shown: Definition
) -> dict[str, Decimal | None]:
    """The figures of entries filed on the version ``filed``, by the number keys of the
    version ``shown`` (a consolidation's, a trend's): each key's value where ``filed`` has the
    key, as a count or as a share alike; ``None`` where it has not (a cell renamed or added
    since, or turned from a share into a count), so that one figure is never read as another."""
    found = numbers(filed, entries)
    matched: dict[str, Decimal | None] = {}
    for key in shown.number_keys:
        same = template_definition.adds_up(filed, key) == template_definition.adds_up(shown, key)
        matched[key] = found.get(key) if same else None
    return matched


def rule_holds(rule: Rule, figures: Mapping[str, Decimal | None]) -> bool | None:
    """Whether ``rule`` holds; ``None`` when a side has no value yet (nothing to compare)."""
    sides = []
    for refs in (rule.left, rule.right):
        known = [figures.get(ref) for ref in refs]
        known = [k for k in known if k is not None]
        if not known:
            return None
        sides.append(sum(known, Decimal(0)))
    left, right = sides
    if rule.op == Op.AT_MOST:
        return left <= right
    if rule.op == Op.AT_LEAST:
        return left >= right
    return left == right


def _empty(cell: Cell, value: Value) -> bool:
    if cell.kind == Kind.TABLE:
        return not value
    return value is None or value == ""


def issues(definition: Definition, entries: Mapping[str, Entry]) -> list[Issue]:
    """What stops the report being submitted, in the template's order: required cells left
    empty, overrides without a reason, choices not offered, then broken rules."""
    found: list[Issue] = []
    for cell in definition.cells:
        entry = entries.get(cell.key, Entry())
        if cell.required and _empty(cell, entry.value):
            found.append(Issue(IssueKind.REQUIRED, cell.key))
        if entry.overridden and not entry.reason.strip():
            found.append(Issue(IssueKind.REASON, cell.key))
        if cell.kind == Kind.CHOICE and entry.value and entry.value not in cell.choices:
            found.append(Issue(IssueKind.UNKNOWN_CHOICE, cell.key))
    figures = numbers(definition, entries)
    found.extend(
        Issue(IssueKind.RULE, rule.key, rule.message)
        for rule in definition.rules
        if rule_holds(rule, figures) is False
    )
    return found


# -- JSON ------------------------------------------------------------------------------------


def _value_json(cell: Cell, value: Value) -> object:
    if value is None:
        return None
    if cell.kind == Kind.NUMBER:
        return number_text(value) if isinstance(value, Decimal) else None
    if cell.kind == Kind.TABLE:
        return [
            {
                key: (number_text(v) if isinstance(v, Decimal) else v)
                for key, v in row.items()
                if v is not None and v != ""
            }
            for row in value
        ]
    return value


def _value_from(cell: Cell, data: object) -> Value:
    if data is None:
        return None
    if cell.kind == Kind.NUMBER:
        return Decimal(str(data))
    if cell.kind == Kind.TABLE:
        rows = []
        for row in data:
            rows.append(
                {
                    c.key: (Decimal(row[c.key]) if c.kind == Kind.NUMBER else str(row[c.key]))
                    for c in cell.columns
                    if row.get(c.key) not in (None, "")
                }
            )
        return tuple(rows)
    return str(data)


def to_json(definition: Definition, entries: Mapping[str, Entry]) -> dict:
    """The JSON stored for ``entries``, in the template's cells (others are dropped)."""
    data = {}
    for cell in definition.cells:
        entry = entries.get(cell.key)
        if entry is None:
            continue
        item: dict = {"value": _value_json(cell, entry.value)}
        if entry.reading is not None:
            reading = entry.reading
            item["source"] = {
                "key": reading.key,
                "params": dict(reading.params),
                "read_at": reading.read_at.isoformat(),
                "value": number_text(reading.value) if reading.value is not None else None,
                "records": reading.records,
            }
        if entry.reason:
            item["reason"] = entry.reason
        data[cell.key] = item
    return data


def from_json(definition: Definition, data: Mapping) -> dict[str, Entry]:
    entries = {}
    for cell in definition.cells:
        item = data.get(cell.key)
        if item is None:
            continue
        reading = None
        if item.get("source") is not None:
            source = item["source"]
            reading = Reading(
                key=source["key"],
                params=dict(source.get("params", {})),
                read_at=dt.datetime.fromisoformat(source["read_at"]),
                value=Decimal(source["value"]) if source.get("value") is not None else None,
                records=source.get("records", ""),
            )
        entries[cell.key] = Entry(
            value=_value_from(cell, item.get("value")),
            reading=reading,
            reason=item.get("reason", ""),
        )
    return entries


@dataclass(frozen=True)
class Totals:
    """One cell's values added up over communes: the total and who gave what."""

    key: str
    total: Decimal | None
    parts: tuple[tuple[str, Decimal | None], ...] = field(default=())  # (who, value)


def add_up(
    definition: Definition, reports: Sequence[tuple[str, Mapping[str, Entry]]]
) -> list[Totals]:
    """Each number cell and table number column added up over ``reports`` ((who, entries)):
    the consolidated report; a cell no report gives a value for has no total, nor a share
    ("%": communes' shares do not add up)."""
    return add_up_numbers(definition, [(who, numbers(definition, e)) for who, e in reports])


def add_up_numbers(
    definition: Definition, reports: Sequence[tuple[str, Mapping[str, Decimal | None]]]
) -> list[Totals]:
    """``add_up`` over each report's figures by number key (``numbers``, ``numbers_as``)."""
    figures = list(reports)
    totals = []
    for key in definition.number_keys:
        parts = tuple((who, found.get(key)) for who, found in figures)
        known = [value for _who, value in parts if value is not None]
        added = known and template_definition.adds_up(definition, key)
        totals.append(Totals(key, sum(known, Decimal(0)) if added else None, parts))
    return totals


# -- what a person typed -----------------------------------------------------------------------


class InputError(StrEnum):
    NOT_A_NUMBER = "not_a_number"
    TOO_LONG = "too_long"
    NOT_OFFERED = "not_offered"
    TOO_MANY_ROWS = "too_many_rows"
    NOT_A_TABLE = "not_a_table"


def _read_cell(cell: Cell, given: object) -> Value:
    """``given`` as the cell's value; ``InputError`` (raised as ValueError's args) otherwise."""
    if cell.kind == Kind.TABLE:
        if not isinstance(given, Sequence) or isinstance(given, str):
            raise ValueError(InputError.NOT_A_TABLE)
        rows = []
        for row in given:
            if not isinstance(row, Mapping):
                raise ValueError(InputError.NOT_A_TABLE)
            read: dict[str, Decimal | str] = {}
            for column in cell.columns:
                text = row.get(column.key)
                text = "" if text is None else str(text)
                if column.kind == Kind.NUMBER:
                    try:
                        number = parse_number(text)
                    except NumberError as error:
                        raise ValueError(InputError.NOT_A_NUMBER) from error
                    if number is not None:
                        read[column.key] = number
                elif text.strip():
                    if len(text) > MAX_TEXT:
                        raise ValueError(InputError.TOO_LONG)
                    read[column.key] = text.strip()
            if read:  # an empty row is no row
                rows.append(read)
        if len(rows) > MAX_ROWS:
            raise ValueError(InputError.TOO_MANY_ROWS)
        return tuple(rows)
    text = "" if given is None else str(given)
    if cell.kind == Kind.NUMBER:
        try:
            return parse_number(text)
        except NumberError as error:
            raise ValueError(InputError.NOT_A_NUMBER) from error
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise ValueError(InputError.TOO_LONG)
    if cell.kind == Kind.CHOICE and text and text not in cell.choices:
        raise ValueError(InputError.NOT_OFFERED)
    return text or None


def read_input(
    definition: Definition,
    entries: Mapping[str, Entry],
    given: Mapping[str, object],
    reasons: Mapping[str, str],
) -> tuple[dict[str, Entry], dict[str, InputError]]:
    """The entries after a person's input: ``given`` values by cell key (cells not named keep
    theirs), ``reasons`` for overriding pre-filled cells. A cell brought back to its reading
    loses its reason; a pre-filled cell left empty is brought back to it. Returns the entries
    and the errors by cell key (nothing is applied to a cell in error)."""
    result = dict(entries)
    errors: dict[str, InputError] = {}
    for cell in definition.cells:
        entry = entries.get(cell.key, Entry())
        value = entry.value
        if cell.key in given:
            try:
                value = _read_cell(cell, given[cell.key])
            except ValueError as error:
                errors[cell.key] = error.args[0]
                continue
            if value is None and entry.reading is not None:
                value = entry.reading.value  # an override emptied: back to haicap's figure
        reason = reasons.get(cell.key, entry.reason).strip()
        if len(reason) > MAX_REASON:
            errors[cell.key] = InputError.TOO_LONG
            continue
        updated = Entry(value=value, reading=entry.reading, reason=reason)
        if not updated.overridden:
            updated = Entry(value=value, reading=entry.reading)
        if cell.key in given or cell.key in reasons or cell.key in entries:
            result[cell.key] = updated
    return result, errors
