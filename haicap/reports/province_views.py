"""The province's pages on the communes' reports (``/desk/bao-cao-dinh-ky/tinh/``): each
template's recent periods with their reporting rates, one period's communes with where each
stands, the consolidated report as an Excel file, and a commune's trend across the reform.

For the province's reviewers and supervisors only (``figures.require_province``): a commune's
officer is answered 404, as for a report out of their scope. The trend's chart is an SVG of its
own, shown in an ``<img>`` (no script on the page).
"""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.errors import InvalidInput
from haicap.core.exports import workbook_response
from haicap.core.replica import reads_from_replica
from haicap.reports import chart, consolidated_sheet, figures, selectors, values
from haicap.reports.consolidated_sheet import CommuneLine, NumberColumn, TextColumn, Total
from haicap.reports.figures import Consolidation, PeriodFigures
from haicap.reports.labels import STANDING_LABELS, STANDING_STATUS, period_name
from haicap.reports.models import PERIOD_KIND_LABELS, Report
from haicap.reports.province_forms import PeriodFilterForm, TrendForm
from haicap.reports.schedule import Standing
from haicap.reports.selectors import CommuneStanding

# -- the overview and one period ------------------------------------------------------------------


def _counts(found: PeriodFigures) -> dict[str, int]:
    """How many communes stand where (the rates count the same standings)."""
    by = {s: 0 for s in Standing}
    for row in found.rows:
        by[row.standing] += 1
    rates = found.rates
    return {
        "expected": rates.expected,
        "filed": rates.filed,
        "on_time": rates.on_time,
        "late": by[Standing.LATE],
        "waiting": by[Standing.WAITING],
        "missing": by[Standing.MISSING],
    }


# Each standing's words by its value, for the pages' headings: the same words as its rows'.
STANDINGS_BY_VALUE = {standing.value: words for standing, words in STANDING_LABELS.items()}


def _period_line(found: PeriodFigures) -> dict:
    return {
        "name": period_name(found.template.kind, found.period),
        "start": found.period.start,
        "deadlines": found.deadlines,
        "counts": _counts(found),
        "rates": found.rates,
        "version": found.template.version,
    }


@login_required
@reads_from_replica
def overview(request: HttpRequest) -> HttpResponse:
    found = figures.overview(request.user, selectors.today())
    templates = [
        {
            "template": item.template,
            "kind": PERIOD_KIND_LABELS[item.template.kind],
            "periods": [_period_line(p) for p in item.periods],
        }
        for item in found
    ]
    context = {"templates": templates, "standings": STANDINGS_BY_VALUE}
    return render(request, "reports/province/overview.html", context)


STATE_LABELS = dict(Report.State.choices)


def _state_label(row: CommuneStanding) -> str:
    return STATE_LABELS[row.state] if row.report is not None else _("Not opened yet")


def _commune_line(row: CommuneStanding) -> dict:
    report = row.report
    return {
        "unit": row.unit,
        "standing": STANDING_LABELS[row.standing],
        "style": STANDING_STATUS[row.standing],
        "state": _state_label(row),
        "report": report,
        "first_submitted_at": report.first_submitted_at if report else None,
        "submissions": row.submissions,
    }


@login_required
@reads_from_replica
def period(request: HttpRequest, code: str, start: dt.date) -> HttpResponse:
    found = figures.period_figures(request.user, code, start, selectors.today())
    form = PeriodFilterForm(request.GET or None)
    refused = form.is_bound and not form.is_valid()  # said, and every commune shown
    rows = form.keep(found.rows)
    context = {
        "template": found.template,
        "period": found.period,
        "name": period_name(found.template.kind, found.period),
        "line": _period_line(found),
        "form": form,
        "rows": [_commune_line(r) for r in rows],
        "shown": len(rows),
        "all": len(found.rows),
        "standings": STANDINGS_BY_VALUE,
    }
    return render(request, "reports/province/period.html", context, status=422 if refused else 200)


# -- the consolidated report ----------------------------------------------------------------------


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    """A moment as Excel holds one: Vietnam's time, without its zone."""
    return None if moment is None else moment.astimezone(VIETNAM).replace(tzinfo=None)


def _words(found: Consolidation, made_at: dt.datetime) -> consolidated_sheet.Words:
    period = found.figures
    counted, expected = len(found.counted), len(period.rows)
    return consolidated_sheet.Words(
        title=_("Consolidated report: %(template)s, %(period)s")
        % {
            "template": period.template.name,
            "period": period_name(period.template.kind, period.period),
        },
        scope=_(
            "Made on %(at)s. %(counted)d of %(expected)d expected reports counted: those "
            "submitted or approved, each by its latest submission. A report returned for "
            "correction or still being written is listed, not counted."
        )
        % {"at": made_at.strftime("%d/%m/%Y %H:%M"), "counted": counted, "expected": expected},
        summary=pgettext("the monthly report's first sheet", "Summary"),
        by_commune=_("By commune"),
        highlights=_("Difficulties and proposals"),
        number=pgettext("a table's row number", "No."),
        key=_("Cell key"),
        label=_("Figure"),
        unit=_("Unit of count"),
        total=_("Total"),
        not_added=_("a share: not added"),
        communes_counted=_("Communes giving the figure"),
        commune=_("Commune or ward"),
        commune_code=_("Commune code"),
        standing=_("Where it stands"),
        state=_("State of the report"),
        counted=_("Counted"),
        submission=_("Submission number"),
        submitted_at=_("Submitted at"),
        address=_("Address of the report"),
        version=_("Template version"),
        totals_row=_("Total of the counted reports"),
        yes=_("Yes"),
        no=_("No"),
    )


def _line(request: HttpRequest, found: Consolidation, row: CommuneStanding) -> CommuneLine:
    """The commune's row: a counted report by the submission counted, with its numbers and
    highlighted texts; another by its report's page, its numbers left out."""
    report, counted = row.report, found.counted.get(row.unit.pk)
    line = CommuneLine(
        commune=row.unit.name,
        code=row.unit.code or "",
        standing=str(STANDING_LABELS[row.standing]),
        state=str(_state_label(row)),
        counted=False,
        submission=None,
        submitted_at=None,
        address="",
    )
    if report is None:
        return line
    if counted is None:
        page = reverse("desk:reports:report", args=[report.pk])
        return replace(
            line,
            submission=row.submissions or None,
            submitted_at=_local(report.last_submitted_at),
            address=request.build_absolute_uri(page),
        )
    submission = counted.submission
    page = reverse("desk:reports:submission", args=[report.pk, submission.number])
    texts = {
        cell.key: str(counted.entries[cell.key].value or "")
        for cell in found.definition.cells
        if cell.highlight and cell.key in counted.entries
    }
    return replace(
        line,
        counted=True,
        submission=submission.number,
        submitted_at=_local(submission.submitted_at),
        address=request.build_absolute_uri(page),
        version=submission.template.version,
        numbers=counted.numbers,
        texts=texts,
    )


@login_required
@reads_from_replica
def consolidated(request: HttpRequest, code: str, start: dt.date) -> HttpResponse:
    found = figures.consolidation(request.user, code, start, selectors.today())
    definition = found.definition
    numbers = [
        NumberColumn(k.key, k.label, k.unit, k.adds_up) for k in figures.number_keys(definition)
    ]
    totals = {
        t.key: Total(t.total, sum(value is not None for _who, value in t.parts))
        for t in found.totals
    }
    texts = [TextColumn(c.key, c.label) for c in definition.cells if c.highlight]
    lines = [_line(request, found, row) for row in found.figures.rows]
    words = _words(found, _local(clock.now()))
    book = consolidated_sheet.workbook(words, numbers, totals, lines, texts)
    filename = f"tong-hop-{code}-{start.isoformat()}.xlsx"
    return workbook_response(filename, book)


# -- trends across the reform ---------------------------------------------------------------------


def _trend_form(request: HttpRequest, code: str) -> tuple[TrendForm, dict]:
    figures.require_province(request.user)
    template = figures.latest_template(request.user, code)
    # A trend sums the former communes before the reform: only counts add up, not shares.
    keys = [k for k in figures.number_keys(template.parsed) if k.adds_up]
    communes = figures.trend_communes(template, selectors.today())
    form = TrendForm(
        request.GET or None,
        keys=keys,
        communes=communes,
        kind=template.kind,
        today=selectors.today(),
    )
    return form, {"template": template, "keys": keys, "communes": communes}


def _trend(request: HttpRequest, form: TrendForm, made: dict) -> figures.Trend:
    data = form.cleaned_data
    key = next(k for k in made["keys"] if k.key == data["cell"])
    commune = next(u for u in made["communes"] if u.pk == data["commune"])
    return figures.trend(request.user, made["template"], key, commune, data["first"], data["last"])


def _number(value: Decimal | None) -> str:
    """A figure as the reader writes it: their decimal mark, no trailing zeros."""
    return "" if value is None else number_format(Decimal(values.number_text(value)))


def _names(ids: tuple[int, ...], names: dict[int, str]) -> list[str]:
    return [names.get(i, str(i)) for i in ids]


@login_required
@reads_from_replica
def trends(request: HttpRequest, code: str) -> HttpResponse:
    form, made = _trend_form(request, code)
    context = {"template": made["template"], "form": form}
    if not form.is_valid():
        return render(request, "reports/province/trends.html", context, status=422)
    found = _trend(request, form, made)
    names = found.names()
    data = form.cleaned_data
    query = urlencode(
        {
            "cell": data["cell"],
            "commune": data["commune"],
            "first": data["first"].isoformat(),
            "last": data["last"].isoformat(),
        }
    )
    context |= {
        "trend": found,
        "query": query,
        "formers": found.formers,
        "points": [
            {
                "name": period_name(found.template.kind, period),
                "point": point,
                "value": _number(point.value),
                "from_units": _names(point.from_units, names),
                "missing": _names(point.missing, names),
                "divided": _names(point.divided, names),
            }
            for period, point in zip(found.periods, found.points, strict=True)
        ],
    }
    return render(request, "reports/province/trends.html", context)


@login_required
@csp_update({"style-src": [UNSAFE_INLINE]})  # the SVG's own styles, when opened on its own
@reads_from_replica
def trend_chart(request: HttpRequest, code: str) -> HttpResponse:
    form, made = _trend_form(request, code)
    if not form.is_valid():
        raise InvalidInput(_("Choose a figure, a commune and the periods again."))
    found = _trend(request, form, made)
    text = chart.TrendText(
        title=f"{found.key.label} · {found.commune.name}",
        periods=[period_name(found.template.kind, p) for p in found.periods],
        series=found.key.label,
        partial=_("Partial sum: former communes left out"),
        unit=found.key.unit,
        decimal_mark="," if request.LANGUAGE_CODE == "vi" else ".",
    )
    values = [p.value for p in found.points]
    partial = [p.partial for p in found.points]
    response = HttpResponse(
        chart.render(text, values, partial), content_type="image/svg+xml; charset=utf-8"
    )
    response["Content-Disposition"] = "inline"
    return response
