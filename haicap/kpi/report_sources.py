"""The service figures a commune report's cell can be pre-filled from
(``haicap.core.report_sources``): the dossiers received, resolved, resolved on time and received
online in the period, and the directive measures (rates, backlog) read for the commune. Each
links to the desk's dossier list filtered to the dossiers behind it."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haicap.core.measures import Unit
from haicap.core.report_sources import FIELD, Param, Params, ReportSource, from_measure
from haicap.kpi.indicators import Totals
from haicap.kpi.measures import MEASURES, totals
from haicap.units.models import AdministrativeUnit

FIELD_LABEL = _("Field (a catalogue field's code; all fields when empty)")


def _dossiers(**extra: str) -> Callable[[int, Params, dt.date, dt.date], str]:
    """The desk's dossier list for the commune (and field), ``extra`` filters added; the dates
    filter what ``dates`` names: dossiers received, or decided, in the period."""

    def records(unit_id: int, params: Params, start: dt.date, end: dt.date) -> str:
        code = AdministrativeUnit.objects.filter(pk=unit_id).values_list("code", flat=True).first()
        query = {"unit": code or ""}
        if params.get(FIELD):
            query["field"] = params[FIELD]
        dates = extra.get("dates", "received")
        query[f"{dates}_from"], query[f"{dates}_to"] = start.isoformat(), end.isoformat()
        query.update({k: v for k, v in extra.items() if k != "dates"})
        return f"{reverse('desk:dossier_list')}?{urlencode(query)}"

    return records


def _count(key: str, label: str, count: Callable[[Totals], int], records) -> ReportSource:
    def read(unit_id: int, params: Params, start: dt.date, end: dt.date) -> Decimal | None:
        found = totals(unit_id, params.get(FIELD) or None, start, end)
        return None if found is None else Decimal(count(found))

    return ReportSource(
        key=key,
        label=label,
        unit=Unit.COUNT,
        read=read,
        records=records,
        params=(Param(FIELD, FIELD_LABEL),),
    )


SOURCES = (
    _count("kpi.received", _("Dossiers received"), lambda t: t.received, _dossiers()),
    _count(
        "kpi.received_online",
        _("Dossiers received online"),
        lambda t: t.received_online,
        _dossiers(channel="online"),
    ),
    _count(
        "kpi.resolved", _("Dossiers resolved"), lambda t: t.resolved, _dossiers(dates="finished")
    ),
    _count(
        "kpi.resolved_on_time",
        _("Dossiers resolved early or on time"),
        lambda t: t.early + t.on_time,
        _dossiers(dates="finished"),
    ),
    *(
        from_measure(
            measure,
            _dossiers(dates="finished") if "time" in measure.key else _dossiers(),
            field_label=FIELD_LABEL,
        )
        for measure in MEASURES
    ),
)
