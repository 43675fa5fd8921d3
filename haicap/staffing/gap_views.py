"""The shortages pages: the province's table of communes by fields, coloured by gap, exported
to Excel; and one commune's standing in one field, with its officers and its dossiers.

What a reader sees is what ``selectors`` lets them read: the staffing authority and the
supervisors the province, a commune its own row.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.core.exports import workbook_response
from haicap.core.validators import PlainTextForm
from haicap.dossiers.selectors import sees_every_dossier_of
from haicap.staffing import selectors
from haicap.staffing.gap_export import gap_workbook, title_of
from haicap.staffing.models import StaffField
from haicap.staffing.norms import Basis, Standing
from haicap.units.forms import EMPTY, valid_fields

DARKEST = 3  # a gap of 3 or more takes the darkest shade


def shade(standing: Standing) -> str:
    """The cell's class: neutral when covered, darker as the gap grows, its own when surplus."""
    if standing.gap:
        return f"gap-{min(standing.gap, DARKEST)}"
    return "gap-surplus" if standing.surplus else "gap-0"


def seconded_marks(standing: Standing) -> str:
    """The cell's classes for officers seconded in (counted in its figures) and of its own
    seconded out (not counted): a cell covered only thanks to a secondment never looks like
    one covered by its own staff."""
    marks = []
    if standing.seconded_in:
        marks.append("seconded-in")
    if standing.seconded_out:
        marks.append("seconded-out")
    return " ".join(marks)


def dossier_list_url(unit_code: str, catalog_field_code: str, overdue: bool = False) -> str:
    """The desk's dossier list, filtered to a commune's dossiers in a field (overdue ones)."""
    query = {"unit": unit_code, "field": catalog_field_code}
    if overdue:
        query["overdue"] = "yes"
    return f"{reverse('desk:dossier_list')}?{urlencode(query)}"


class GapFilterForm(PlainTextForm, forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Commune or ward"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    field = forms.ChoiceField(label=gettext_lazy("Field"), required=False)
    short_only = forms.BooleanField(
        label=gettext_lazy("Only communes short of officers"), required=False
    )

    def __init__(self, *args, fields: list[StaffField], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = EMPTY + [(f.code, f.name) for f in fields]

    def filters(self) -> dict:
        data = valid_fields(self)
        return {
            "query": data.get("q") or "",
            "field_code": data.get("field") or None,
            "short_only": bool(data.get("short_only")),
        }


@dataclass(frozen=True)
class ShownCell:
    """A cell as the page draws it (None: the province sets no norm there)."""

    cell: selectors.GapCell | None
    url: str = ""

    @property
    def shade(self) -> str:
        return shade(self.cell.standing) if self.cell else ""

    @property
    def classes(self) -> str:
        if self.cell is None:
            return ""
        return f"{self.shade} {seconded_marks(self.cell.standing)}".strip()


@login_required
def gaps(request: HttpRequest) -> HttpResponse:
    form = GapFilterForm(request.GET or None, fields=selectors.staff_fields(request.user))
    table = selectors.gap_table(request.user, **form.filters())
    if request.GET.get("export") == "xlsx":
        return workbook_response(f"thieu-hut-nhan-su-{table.on:%Y%m%d}.xlsx", gap_workbook(table))
    rows = [
        (
            commune,
            [
                ShownCell(
                    found,
                    reverse(
                        "desk:staffing:commune_standing",
                        kwargs={"unit_id": commune.pk, "field_code": f.code},
                    ),
                )
                if (found := table.cell(commune.pk, f.code))
                else ShownCell(None)
                for f in table.fields
            ],
            table.row_total(commune.pk),
        )
        for commune in table.communes
    ]
    query = request.GET.copy()
    query.pop("export", None)
    context = {
        "form": form,
        "table": table,
        "title": title_of(table),
        "rows": rows,
        "column_totals": [table.column_total(f.code) for f in table.fields],
        "total": table.total(),
        "query_string": query.urlencode(),
    }
    return render(request, "staffing/gaps.html", context)


@login_required
def commune_standing(request: HttpRequest, unit_id: int, field_code: str) -> HttpResponse:
    found = selectors.commune_field_standing(request.user, unit_id, field_code)
    cell = found.cell
    catalog_field = cell.field.catalog_field
    dossiers = overdue = ""
    dossiers_hidden = False
    if catalog_field is not None and cell.commune.code:
        # a link only when the reader's dossier list shows what the figures count (Home
        # Affairs reads the commune's staff, not its dossiers)
        if sees_every_dossier_of(request.user, cell.commune.code, catalog_field.code):
            dossiers = dossier_list_url(cell.commune.code, catalog_field.code)
            overdue = dossier_list_url(cell.commune.code, catalog_field.code, overdue=True)
        else:
            dossiers_hidden = True
    context = {
        "found": found,
        "own_rows": [(officer, found.away.get(officer.pk)) for officer in found.own],
        "cell": cell,
        "standing": cell.standing,
        "rule": cell.rule,
        "by_workload": cell.standing.basis == Basis.WORKLOAD,
        "shade": f"{shade(cell.standing)} {seconded_marks(cell.standing)}".strip(),
        "dossiers_url": dossiers,
        "overdue_url": overdue,
        "dossiers_hidden": dossiers_hidden,
        "title": _("%(field)s in %(commune)s")
        % {"field": cell.field.name, "commune": cell.commune.full_name},
    }
    return render(request, "staffing/commune_standing.html", context)
