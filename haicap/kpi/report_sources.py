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


def _dashboard(unit_id: int, params: Params, start: dt.date, end: dt.date) -> str:
    """The indicator dashboard for the commune (and field) over the period: a figure at the
    period's end (dossiers still in progress, overdue) cannot be listed from today's dossiers,
    which have moved on since; the dashboard breaks it down as it stood."""
    code = AdministrativeUnit.objects.filter(pk=unit_id).values_list("code", flat=True).first()
    query = {
        "kind": "range",
        "start": start.isoformat(),
        "end": end.isoformat(),
        "unit": code or "",
    }
    if params.get(FIELD):
        query["field"] = params[FIELD]
    return f"{reverse('desk:indicators')}?{urlencode(query)}"


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


# Where each directive measure's records are: the dossiers received (online intake) or decided
# (on-time rate) in the period; the backlog and the overdue at the period's end on the dashboard.
_MEASURE_RECORDS = {
    "kpi.online_intake_rate": _dossiers(),
    "kpi.on_time_rate": _dossiers(dates="finished"),
    "kpi.open_backlog": _dashboard,
    "kpi.overdue_open": _dashboard,
}

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
        from_measure(measure, _MEASURE_RECORDS[measure.key], field_label=FIELD_LABEL)
        for measure in MEASURES
    ),
)
