"""The reports API's refusals that name cells: a save whose values cannot be read and a
submission that something stops, as ``application/problem+json`` whose ``errors`` say, cell by
cell, what is wrong, in the reader's language (a broken rule in the template's own words)."""

from collections.abc import Iterable, Mapping

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from haicap.core.api import problem_response
from haicap.core.errors import InvalidInput
from haicap.reports import values
from haicap.reports.api_inputs import NOT_A_NUMBER, ROWS_NOT_TAKEN, UNKNOWN_CELL
from haicap.reports.values import InputError, IssueKind

UNREADABLE = "cells_unreadable"
NOT_SUBMITTABLE = "report_incomplete"


def input_message(code: str) -> str:
    """Why a cell's value cannot be read."""
    if code == UNKNOWN_CELL:
        return _("The template has no cell with this key.")
    if code == ROWS_NOT_TAKEN:
        return _("Only a table takes rows: send this cell a text or a number.")
    if code in (NOT_A_NUMBER, InputError.NOT_A_NUMBER):
        return _("Enter a number: digits, an optional sign and at most four decimals.")
    if code == InputError.TOO_LONG:
        return _(
            "Too long: a cell takes at most %(text)d characters and a reason at most %(reason)d."
        ) % {"text": values.MAX_TEXT, "reason": values.MAX_REASON}
    if code == InputError.NOT_OFFERED:
        return _("Choose one of the answers the cell offers.")
    if code == InputError.TOO_MANY_ROWS:
        return _("A table holds at most %(rows)d rows.") % {"rows": values.MAX_ROWS}
    if code == InputError.NOT_A_TABLE:
        return _("Send a table as a list of rows, each an object of column keys.")
    return _("This value is not valid.")


def issue_message(issue: values.Issue) -> str:
    """What stops the submission at one cell or rule."""
    if issue.kind == IssueKind.REQUIRED:
        return _("This cell is required.")
    if issue.kind == IssueKind.REASON:
        return _("The value differs from the figure haicap read: give the reason.")
    if issue.kind == IssueKind.UNKNOWN_CHOICE:
        return _("Choose one of the answers the cell offers.")
    return issue.message  # a rule's message: the template's own words


def unreadable(request: HttpRequest, errors: Mapping[str, str]) -> HttpResponse:
    """422: these cells' values cannot be read; nothing was saved."""
    return problem_response(
        request,
        422,
        UNREADABLE,
        str(InvalidInput.title),
        _("Some cells cannot be read; nothing was saved."),
        errors=[
            {"cell": key, "type": str(code), "msg": input_message(code)}
            for key, code in errors.items()
        ],
    )


def issues_of(error: InvalidInput) -> list[values.Issue]:
    """The issues a refused submission lists (``filing.submit`` names them as data)."""
    return [
        values.Issue(IssueKind(i["kind"]), i["where"], i.get("message", ""))
        for i in error.extra.get("issues", [])
    ]


def not_submittable(request: HttpRequest, items: Iterable[dict]) -> HttpResponse:
    """422: the report cannot be submitted yet; the items say why, cell by cell."""
    return problem_response(
        request,
        422,
        NOT_SUBMITTABLE,
        str(InvalidInput.title),
        _("The report cannot be submitted yet; correct the cells listed."),
        errors=list(items),
    )
