"""What the reports API takes: filters, opening a report, the cells a commune writes (by cell
key), the province's decision; and the records a body names by code, looked up for the
services."""

from collections.abc import Iterable
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import StrictFloat, StrictInt

from haicap.core.api import Day, MultiLine, SingleLine
from haicap.core.errors import InvalidInput
from haicap.core.pagination import DEFAULT_LIMIT
from haicap.reports.definition import MAX_CELLS, Definition, Kind
from haicap.reports.models import Report
from haicap.reports.services.review import MAX_NOTE
from haicap.units import selectors as units
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit


def one_of(choices: Iterable[str]) -> Any:
    """The values as an enum written inline in the OpenAPI document: an enum class would be
    published under its own name, which other apps' enums share ("State", "Kind")."""
    return Literal[tuple(str(c) for c in choices)]


ReportState = one_of(Report.State.values)
TemplateCode = Annotated[SingleLine, Field(min_length=1, max_length=60)]
CommuneCode = Annotated[SingleLine, Field(min_length=1, max_length=10)]
Key = Annotated[SingleLine, Field(min_length=1, max_length=40)]

# A cell's value as sent: a text, or a number as text ("12,5") or as a JSON number; a table's
# value is its rows, each an object of column keys. null empties the cell.
Scalar = MultiLine | StrictInt | StrictFloat
Row = dict[Key, Scalar | None]
CellValue = Scalar | list[Row] | None

# Beyond this a JSON integer is no number a cell holds (15 digits); it is refused as one
# rather than turned into text.
LARGEST = 10**16

UNKNOWN_CELL = "unknown_cell"
ROWS_NOT_TAKEN = "rows_not_taken"
NOT_A_NUMBER = "not_a_number"


class ReportTemplateQuery(Schema):
    all: bool = Field(False, description="every version, not only each template's newest")


class ReportFilters(Schema):
    template: TemplateCode | None = Field(None, description="a template's code")
    period_start: Day | None = Field(None, description="the first day of the period")
    commune: CommuneCode | None = Field(None, description="the code of a commune or ward")
    state: ReportState | None = None
    cursor: str | None = Field(None, max_length=500)
    limit: int = DEFAULT_LIMIT


class ReportStandingsQuery(Schema):
    template: TemplateCode = Field(description="a template's code")
    period_start: Day = Field(description="the first day of the period")


class ReportOpenIn(Schema):
    template: TemplateCode = Field(description="the template's code (its version in force is used)")
    commune: CommuneCode = Field(description="the code of the commune or ward filing it")
    period_start: Day = Field(description="the first day of the period reported on")


# The report's version the caller read (``ReportSummary.version``).
SeenVersion = Annotated[int, Field(ge=1, le=2**31 - 1)]
VERSION_HELP = (
    "the report's version the caller read; when the report has changed since, the answer is "
    "409 and nothing is saved (without it the request is not checked)"
)


class ReportSaveIn(Schema):
    version: SeenVersion | None = Field(None, description=VERSION_HELP)
    values: dict[Key, CellValue] = Field(
        default_factory=dict,
        max_length=MAX_CELLS,
        description=(
            "new values by cell key (cells not named keep theirs): a text, a number as a "
            'decimal text ("12" or "12,5") or a JSON number, a table as its rows; null empties '
            "the cell"
        ),
    )
    reasons: dict[Key, MultiLine] = Field(
        default_factory=dict,
        max_length=MAX_CELLS,
        description="why a pre-filled cell's value differs from the figure haicap read, by key",
    )


class ReportSubmitIn(Schema):
    version: SeenVersion | None = Field(None, description=VERSION_HELP)


class ReportApproveIn(Schema):
    note: MultiLine = Field("", max_length=MAX_NOTE)


class ReportReturnIn(Schema):
    note: MultiLine = Field(min_length=1, max_length=MAX_NOTE, description="what to correct")


def commune(code: str) -> AdministrativeUnit:
    """The commune or ward in force with this code."""
    found = units.current_unit(code)
    if found is None or found.tier != Tier.COMMUNE:
        raise InvalidInput(
            _("Commune: no commune or ward in force has the code %(code)s.") % {"code": code}
        )
    return found


def _text(value: object) -> object:
    """A JSON number as the text a person would type; other values as sent."""
    if isinstance(value, int) and abs(value) < LARGEST:
        return str(value)
    if isinstance(value, float):
        return repr(value)  # "nan", "inf" or "1e+20" are not numbers a cell reads
    return value


def _rows(rows: list[Row]) -> list[dict[str, object]] | None:
    read = []
    for row in rows:
        if any(isinstance(v, int) and abs(v) >= LARGEST for v in row.values()):
            return None
        read.append({key: _text(value) for key, value in row.items()})
    return read


def given_values(
    definition: Definition, body: ReportSaveIn
) -> tuple[dict[str, object], dict[str, str], dict[str, str]]:
    """The values and reasons for ``values.read_input``, and what cannot even be read as one,
    by cell key: a key the template has no cell for, rows for a cell that is no table, an
    integer too large for any cell."""
    problems: dict[str, str] = {}
    given: dict[str, object] = {}
    for key, value in body.values.items():
        cell = definition.cell(key)
        if cell is None:
            problems[key] = UNKNOWN_CELL
        elif isinstance(value, list) and cell.kind != Kind.TABLE:
            problems[key] = ROWS_NOT_TAKEN
        elif isinstance(value, list):
            rows = _rows(value)
            if rows is None:
                problems[key] = NOT_A_NUMBER
            else:
                given[key] = rows
        elif isinstance(value, int) and abs(value) >= LARGEST:
            problems[key] = NOT_A_NUMBER
        else:
            given[key] = _text(value)
    problems.update((key, UNKNOWN_CELL) for key in body.reasons if definition.cell(key) is None)
    return given, dict(body.reasons), problems
