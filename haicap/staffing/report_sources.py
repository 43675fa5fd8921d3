"""The staffing figures a commune report's cell can be pre-filled from
(``haicap.core.report_sources``): the commune's officers and its staffing gap, its directive
measures read for the commune, optionally in one field (a catalogue field's code, as a
directive names it).

Each links to the page listing the officers behind it: the commune's officers (in the field's
posts), and for the gap the commune's row of the shortage table, or its standing in the field.
The pages show the present; the figure is the standing on the period's last day, or today.
"""

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haicap.core.report_sources import FIELD, Params, from_measure
from haicap.staffing.measures import GAP, OFFICERS
from haicap.staffing.models import StaffField
from haicap.units.models import AdministrativeUnit

FIELD_LABEL = _("Field (the code of a catalogue field; every field when empty)")


def staff_field_code(catalog_code: str) -> str | None:
    """The staff field a catalogue field's code names, as the measures find it: by its
    catalogue field, or else by a code equal to it."""
    return (
        StaffField.objects.filter(Q(catalog_field__code=catalog_code) | Q(code=catalog_code))
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )


def officers_page(unit_id: int, params: Params, start: dt.date, end: dt.date) -> str:
    """The commune's officers, in the field's posts when the cell names a field."""
    query = {"commune": str(unit_id)}
    code = staff_field_code(params[FIELD]) if params.get(FIELD) else None
    if code:
        query["field"] = code
    return f"{reverse('desk:staffing:officers')}?{urlencode(query)}"


def gap_page(unit_id: int, params: Params, start: dt.date, end: dt.date) -> str:
    """The commune's standing in the field, or its row of the shortage table (found by its
    name, the table's filter) for every field."""
    code = staff_field_code(params[FIELD]) if params.get(FIELD) else None
    if code:
        return reverse(
            "desk:staffing:commune_standing", kwargs={"unit_id": unit_id, "field_code": code}
        )
    name = AdministrativeUnit.objects.filter(pk=unit_id).values_list("name", flat=True).first()
    return f"{reverse('desk:staffing:gaps')}?{urlencode({'q': name or ''})}"


SOURCES = (
    from_measure(OFFICERS, officers_page, field_label=FIELD_LABEL),
    from_measure(GAP, gap_page, field_label=FIELD_LABEL),
)
