"""The equipment gaps a commune report's cell can be pre-filled from
(``haicap.core.report_sources``): every kind's together and each kind's the one-stop desk norms
name, the directive measures read for the commune (today's gap: the register keeps the
present).

Each links to the records behind it: for one kind, the commune's items of that kind against
the norm; for every kind, the commune's row of the gap table (found by its name, the table's
filter).
"""

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse

from haicap.assets.measures import BY_KIND, KIND_CODES, TOTAL
from haicap.assets.models import AssetKind
from haicap.core.report_sources import Params, Records, from_measure
from haicap.units.models import AdministrativeUnit


def _gap_table(unit_id: int, kind_code: str | None) -> str:
    name = AdministrativeUnit.objects.filter(pk=unit_id).values_list("name", flat=True).first()
    query = {"q": name or ""}
    if kind_code:
        query["kind"] = kind_code
    return f"{reverse('desk:assets:gaps')}?{urlencode(query)}"


def gap_page(kind_code: str | None) -> Records:
    """The records behind the gap of ``kind_code`` (every kind: None) at a commune."""

    def records(unit_id: int, params: Params, start: dt.date, end: dt.date) -> str:
        if kind_code is None:
            return _gap_table(unit_id, None)
        kind_id = AssetKind.objects.filter(code=kind_code).values_list("pk", flat=True).first()
        if kind_id is None:  # the register has no such kind yet: the table says so
            return _gap_table(unit_id, kind_code)
        return reverse("desk:assets:gap_items", kwargs={"unit_id": unit_id, "kind_id": kind_id})

    return records


SOURCES = (
    from_measure(TOTAL, gap_page(None)),
    *(
        from_measure(measure, gap_page(code))
        for code, measure in zip(KIND_CODES, BY_KIND, strict=True)
    ),
)
