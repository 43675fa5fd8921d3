"""The workload per commune and field that staffing norms are derived from
(``haicap.core.workload``), read province-wide from the figures."""

import datetime as dt

from haicap.catalog.models import Field
from haicap.core.workload import FieldWorkload
from haicap.kpi.selectors import indicators


def field_workload(start: dt.date, end: dt.date) -> dict[tuple[int, str], FieldWorkload]:
    """Each (unit id, field code)'s dossiers received from ``start`` to ``end`` and overdue in
    progress at its end, province-wide (the same whoever asks)."""
    counted = indicators(None, start, end, group="unit,field")
    codes = dict(Field.objects.values_list("pk", "code"))
    return {
        (unit_id, codes[field_id]): FieldWorkload(totals.received, totals.overdue_at_end)
        for (unit_id, field_id), totals in counted.items()
        if field_id in codes
    }
