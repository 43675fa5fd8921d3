"""The report's forms: its cells as a commune's officer types them, read back into what
``filing.save`` takes, every error beside its cell in the reader's language and what was typed
kept; and the choice of a report to open.

One form, whatever the template: a number, text or choice cell posts ``v-<key>``; a pre-filled
cell's override posts its value the same way and its reason as ``r-<key>``; a table posts
``n-<key>`` (how many rows the page drew) and ``v-<key>-<row>-<column>`` for each of them.
The form carries the report's ``version``: a form drawn before another officer's save is
refused, and shown again with what was typed and, beside each cell that differs, what is saved
now.
"""

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haicap.core import moments
from haicap.core.characters import first_unacceptable
from haicap.core.converters import record_id
from haicap.core.report_sources import report_sources
from haicap.reports import values
from haicap.reports.definition import Cell, Column, Definition, Kind, Section
from haicap.reports.report_document import figure, signed_figure
from haicap.reports.values import Entry, InputError, IssueKind, Reading

VALUE, REASON, ROWS = "v-", "r-", "n-"
EMPTY_ROWS = 3  # blank rows under a table's own, to write in without a script
# rows a posted table is read up to: enough for a full table and its blank rows, no more
MOST_ROWS_READ = values.MAX_ROWS + 50

INPUT_ERRORS = {
    InputError.NOT_A_NUMBER: _(
        "Write a number, such as 1.234 or 12,5: thousands may be grouped with dots, and up to "
        "four decimals follow the comma."
    ),
    InputError.TOO_LONG: _("Too long: shorten the text or the reason."),
    InputError.NOT_OFFERED: _("Choose one of the answers offered."),
    InputError.NOT_A_TABLE: _("The table could not be read: send the page again."),
}
REASON_NEEDED = _("Say why your figure differs from the one haicap read.")
BAD_CHARACTER = _("This text holds a character that cannot be stored: remove it.")
ISSUE_MESSAGES = {
    IssueKind.REQUIRED: _("Required before the report is submitted."),
    IssueKind.REASON: REASON_NEEDED,
    IssueKind.UNKNOWN_CHOICE: _("This answer is no longer offered: choose another."),
}


def input_message(code: str) -> str:
    """What a ``values.InputError`` code tells the officer, in their language."""
    if code == InputError.TOO_MANY_ROWS:
        return gettext("A table holds at most %(count)d rows.") % {"count": values.MAX_ROWS}
    message = INPUT_ERRORS.get(code)
    return str(message) if message else gettext("This cannot be read: write it again.")


def _typed(kind: Kind, text: str) -> str:
    """What the officer typed; a number as Vietnamese writes it ("1.234") without its dots."""
    return values.ungrouped(text) if kind == Kind.NUMBER else text


def figure_text(value: Decimal | None) -> str:
    """A number as the form's field shows it: no thousands' dots, a decimal comma."""
    return values.number_text(value).replace(".", ",")


def safe_path(path: str) -> str:
    """A link to a page of this site, or nothing (a stored link is followed only if it is)."""
    return path if path.startswith("/") and not path.startswith("//") else ""


@dataclass(frozen=True)
class SourceShown:
    """Where a pre-filled cell's figure came from."""

    label: str
    params: list[tuple[str, str]]  # (the parameter's label, its value)
    read_at: dt.datetime
    records: str  # the page of the records behind it; "" for none
    figure: Decimal | None  # haicap's
    difference: Decimal | None  # the commune's figure less haicap's, when overridden


def source_shown(entry: Entry) -> SourceShown | None:
    reading: Reading | None = entry.reading
    if reading is None:
        return None
    source = report_sources.get(reading.key)
    labels = {p.name: str(p.label) for p in source.params} if source else {}
    return SourceShown(
        label=str(source.label) if source else reading.key,
        params=[(labels.get(name, name), value) for name, value in reading.params.items() if value],
        read_at=reading.read_at,
        records=safe_path(reading.records),
        figure=reading.value,
        difference=entry.difference,
    )


@dataclass(frozen=True)
class RowField:
    name: str  # the input's name
    column: Column
    text: str


@dataclass
class CellShown:
    """One cell as the page draws it: its input (what was typed, or what is saved), or its
    value read-only; where a pre-filled figure came from; what is wrong with it."""

    cell: Cell
    number: int  # within its section, from 1
    entry: Entry  # as saved
    text: str = ""  # a number, text or choice cell's input
    reason: str = ""
    rows: list[list[RowField]] = field(default_factory=list)  # a table's inputs
    errors: list[str] = field(default_factory=list)
    # what was typed differs from what another officer saved meanwhile (a stale form)
    differs: bool = False

    @property
    def key(self) -> str:
        return self.cell.key

    @property
    def source(self) -> SourceShown | None:
        return source_shown(self.entry)

    @property
    def overridden(self) -> bool:
        return self.entry.overridden

    @property
    def shown(self) -> str:
        """The saved value, read-only: "1.234 hồ sơ", a text, a choice; "" for none."""
        value = self.entry.value
        if isinstance(value, Decimal):
            return f"{figure(value)} {self.cell.unit}".strip()
        return value if isinstance(value, str) else ""

    @property
    def haicap_shown(self) -> str:
        """haicap's figure for an overridden cell: "0 hồ sơ"; "" when it read none."""
        reading = self.entry.reading
        if reading is None or reading.value is None:
            return ""
        return f"{figure(reading.value)} {self.cell.unit}".strip()

    @property
    def difference_text(self) -> str:
        """The commune's figure less haicap's, signed: "+12", "-3"."""
        difference = self.entry.difference
        return "" if difference is None else signed_figure(difference)

    @property
    def shown_rows(self) -> list[list[str]]:
        """A table's saved rows, read-only, a text per column."""
        rows = self.entry.value if isinstance(self.entry.value, tuple) else ()
        return [
            [
                figure(v) if isinstance(v := row.get(c.key), Decimal) else (v or "")
                for c in self.cell.columns
            ]
            for row in rows
        ]

    @property
    def rows_drawn(self) -> int:
        return len(self.rows)

    @property
    def saved_text(self) -> str:
        """What is saved, on one line: a table's rows joined ("Hộ tịch · 5; Đất đai · 2")."""
        if self.cell.kind == Kind.TABLE:
            return "; ".join(" · ".join(v for v in row if v) for row in self.shown_rows)
        return self.shown


class ReportForm:
    """The report's cells, from what is saved (``data`` None) or from what was posted."""

    def __init__(
        self,
        definition: Definition,
        entries: Mapping[str, Entry],
        data: QueryDict | None = None,
        more: Collection[str] = (),
    ) -> None:
        self.definition = definition
        self.entries = entries
        self.data = data
        self.more = list(more)  # tables asked for more blank rows (once per asking)
        self.given: dict[str, object] = {}
        self.reasons: dict[str, str] = {}
        self.errors: dict[str, list[str]] = {}
        self.differing: set[str] = set()
        # what stops the report being submitted, for the list at the top: (cell key, message)
        self.problems: list[tuple[str, str]] = []
        if data is not None:
            self._read(data)

    def _read(self, data: QueryDict) -> None:
        for cell in self.definition.cells:
            key = cell.key
            if cell.kind == Kind.TABLE:
                drawn = record_id(data.get(ROWS + key))
                if drawn is not None:
                    self.given[key] = [
                        {
                            c.key: _typed(c.kind, data.get(row_name(key, i, c.key), ""))
                            for c in cell.columns
                        }
                        for i in range(min(drawn, MOST_ROWS_READ))
                    ]
            elif VALUE + key in data:
                self.given[key] = _typed(cell.kind, data[VALUE + key])
            if REASON + key in data:
                self.reasons[key] = data[REASON + key]

    @property
    def posted(self) -> bool:
        """Whether anything of the cells was posted (a button alone posts nothing to save)."""
        return bool(self.given or self.reasons)

    def add_error(self, key: str, message: str) -> None:
        found = self.errors.setdefault(key, [])
        if message not in found:
            found.append(message)

    def is_valid(self) -> bool:
        """Every posted value readable, no character that cannot be stored, and a reason for
        every figure changed from haicap's. Nothing is saved otherwise."""
        for key, value in self.given.items():
            if any(first_unacceptable(t, multiline=True) for t in _texts(value)):
                self.add_error(key, str(BAD_CHARACTER))
        for key, reason in self.reasons.items():
            if first_unacceptable(reason, multiline=True):
                self.add_error(key, str(BAD_CHARACTER))
        after, errors = values.read_input(self.definition, self.entries, self.given, self.reasons)
        self.refuse(errors)
        for key in set(self.given) | set(self.reasons):
            entry = after.get(key)
            if key not in errors and entry is not None and entry.overridden and not entry.reason:
                self.add_error(key, str(REASON_NEEDED))
        return not self.errors

    def mark_differences(self) -> None:
        """Mark the cells where what was posted differs from what is saved (``entries``: the
        report as another officer left it), so the reader sees both before saving again."""
        after, errors = values.read_input(self.definition, self.entries, self.given, self.reasons)
        self.differing = {
            key
            for key in set(self.given) | set(self.reasons)
            if key in errors or _plain(after.get(key)) != _plain(self.entries.get(key))
        }

    def refuse(self, errors: Mapping[str, str]) -> None:
        """The service's refusal (``InvalidInput.extra["errors"]``: codes by cell key), each
        beside its cell."""
        for key, code in errors.items():
            self.add_error(key, input_message(code))

    def show_issues(self, issues: Sequence[Mapping[str, str]]) -> None:
        """What stops the submission (``InvalidInput.extra["issues"]``), at the top and beside
        each cell concerned (a rule: beside every cell it names)."""
        rules = {r.key: r for r in self.definition.rules}
        for issue in issues:
            kind, where = issue.get("kind"), issue.get("where", "")
            if kind == IssueKind.RULE:
                message = issue.get("message") or gettext("A rule between cells is not met.")
                rule = rules.get(where)
                cells = dict.fromkeys(ref.split(".")[0] for ref in (rule.refs if rule else ()))
                for key in cells:
                    self.add_error(key, message)
                self.problems.append((next(iter(cells), ""), message))
                continue
            message = str(ISSUE_MESSAGES.get(kind, _("This cell needs attention.")))
            self.add_error(where, message)
            self.problems.append((where, message))

    def label_of(self, key: str) -> str:
        cell = self.definition.cell(key)
        return cell.label if cell else ""

    @property
    def problem_list(self) -> list[tuple[str, str, str]]:
        """(cell key, its label, message) for the list at the top."""
        return [(key, self.label_of(key), message) for key, message in self.problems]

    @property
    def error_list(self) -> list[tuple[str, str, str]]:
        """(cell key, its label, message) for every cell in error, in the template's order."""
        return [
            (cell.key, cell.label, message)
            for cell in self.definition.cells
            for message in self.errors.get(cell.key, ())
        ]

    def sections(self) -> list[tuple[Section, list[CellShown]]]:
        return [
            (section, [self._cell(n, cell) for n, cell in enumerate(section.cells, start=1)])
            for section in self.definition.sections
        ]

    def _cell(self, number: int, cell: Cell) -> CellShown:
        entry = self.entries.get(cell.key, Entry())
        shown = CellShown(
            cell,
            number,
            entry,
            errors=self.errors.get(cell.key, []),
            differs=cell.key in self.differing,
        )
        shown.reason = self.reasons.get(cell.key, entry.reason)
        if cell.kind == Kind.TABLE:
            shown.rows = self._rows(cell, entry)
        elif cell.key in self.given:
            shown.text = str(self.given[cell.key])
        elif isinstance(entry.value, Decimal):
            shown.text = figure_text(entry.value)
        else:
            shown.text = entry.value if isinstance(entry.value, str) else ""
        return shown

    def _rows(self, cell: Cell, entry: Entry) -> list[list[RowField]]:
        typed = self.given.get(cell.key)
        if isinstance(typed, list):
            texts = [[str(row.get(c.key, "")) for c in cell.columns] for row in typed]
        else:
            saved = entry.value if isinstance(entry.value, tuple) else ()
            texts = [
                [
                    figure_text(v) if isinstance(v := row.get(c.key), Decimal) else (v or "")
                    for c in cell.columns
                ]
                for row in saved
            ]
            blank = EMPTY_ROWS * (1 + self.more.count(cell.key))
            texts += [[""] * len(cell.columns) for _ in range(blank)]
        return [
            [
                RowField(row_name(cell.key, i, column.key), column, text)
                for column, text in zip(cell.columns, row, strict=True)
            ]
            for i, row in enumerate(texts)
        ]


def _plain(entry: Entry | None) -> tuple:
    """What an entry says, an empty table or text alike as nothing."""
    entry = entry or Entry()
    value = None if entry.value in ((), "") else entry.value
    return value, entry.reading, entry.reason


def row_name(table: str, row: int, column: str) -> str:
    return f"{VALUE}{table}-{row}-{column}"


def _texts(value: object) -> list[str]:
    """The texts a posted value holds (a table's: each of its fields)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for row in value if isinstance(row, Mapping) for v in row.values()]
    return []


class OpenForm(forms.Form):
    """The report of one commune, template and period, to open (from the list of one's own)."""

    template = forms.SlugField(max_length=60)
    unit = forms.IntegerField(min_value=1)
    start = forms.DateField(input_formats=["%Y-%m-%d"])

    def clean_start(self) -> dt.date:
        """A day no period could start on (9999-12-01: its month would end past the calendar)
        is refused here, not by an error deep in the period arithmetic."""
        start = self.cleaned_data["start"]
        try:
            return moments.check_day(start)
        except moments.OutOfRange:
            raise forms.ValidationError(
                _("No period of this report starts on that day."), code="out_of_range"
            ) from None
