"""The feedback figures page (``/desk/phan-anh/so-lieu/``): the satisfaction rate of citizens'
ratings and the petitions' figures for a period, within what the reader may see (a commune its
own, a department its own, supervisors all: ``Rating`` and ``Petition`` ``restrict``)."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.exports import xlsx_response
from haicap.core.periods import Period
from haicap.core.replica import reads_from_replica
from haicap.feedback import selectors
from haicap.feedback.figures_forms import FiguresForm

TEMPLATE = "feedback/figures/figures.html"


def today() -> dt.date:
    return clock.now().astimezone(VIETNAM).date()


@login_required
@reads_from_replica
def figures(request: HttpRequest) -> HttpResponse:
    form = FiguresForm(request.GET or None, today=today())
    if form.is_bound and not form.is_valid():  # said, not replaced by this month's figures
        return render(request, TEMPLATE, {"form": form, "refused": True}, status=422)
    period = form.period()
    satisfaction = selectors.satisfaction_figures(request.user, period.start, period.end)
    petitions = selectors.petition_figures(request.user, period.start, period.end)
    export = request.GET.get("export")
    if export == "satisfaction" and satisfaction is not None:
        return _export_satisfaction(satisfaction, period)
    if export == "petitions" and petitions is not None:
        return _export_petitions(petitions, period)
    query = request.GET.copy()
    query.pop("export", None)
    context = {
        "form": form,
        "period": period,
        "satisfaction": satisfaction,
        "petitions": petitions,
        "now_included": period.end >= today(),
        "query_string": query.urlencode(),
    }
    return render(request, TEMPLATE, context)


def _title(what: str, period: Period) -> str:
    return _("%(what)s %(start)s–%(end)s") % {
        "what": what,
        "start": period.start.strftime("%d/%m/%Y"),
        "end": period.end.strftime("%d/%m/%Y"),
    }


def _number(value: object) -> object:
    return "" if value is None else float(value)


def _export_satisfaction(found: selectors.SatisfactionFigures, period: Period) -> HttpResponse:
    headers = [_("Grouped by"), _("Name"), _("Ratings"), _("Satisfied"), _("Satisfaction (%)")]
    tables = (
        (_("Agency"), found.by_agency),
        (_("Commune or ward"), found.by_unit),
        (_("Field"), found.by_field),
        (_("Procedure"), found.by_procedure),
    )
    rows = [
        [grouping, line.name, line.counts.ratings, line.counts.satisfied, _number(line.counts.rate)]
        for grouping, lines in tables
        for line in lines
    ]
    total = found.total
    rows.append([_("Total"), "", total.ratings, total.satisfied, _number(total.rate)])
    title = _title(_("Satisfaction"), period)
    return xlsx_response("muc-do-hai-long.xlsx", title, headers, rows)


def _export_petitions(found: selectors.PetitionFigures, period: Period) -> HttpResponse:
    headers = [
        _("Grouped by"),
        _("Name"),
        _("Received"),
        _("Answered on time"),
        _("Answered late"),
        _("Overdue, not yet answered"),
        _("Open, within the deadline"),
        _("Due in the period"),
        _("Of them answered by the deadline"),
        _("On-time rate (%)"),
    ]

    def row(grouping: str, name: str, c) -> list:
        return [
            grouping,
            name,
            c.received,
            c.answered_on_time,
            c.answered_late,
            c.overdue,
            c.open_in_time,
            c.due,
            c.answered_by_due,
            _number(c.on_time_rate),
        ]

    rows = [row(_("Commune or agency"), line.name, line.counts) for line in found.by_place]
    rows += [row(_("Petition category"), line.name, line.counts) for line in found.by_category]
    rows.append(row(_("Total"), "", found.total))
    title = _title(_("Petitions"), period)
    return xlsx_response("phan-anh-kien-nghi.xlsx", title, headers, rows)
