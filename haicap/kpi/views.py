"""The indicator pages: the desk's dashboard, the periodic report, the public figures."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from haicap.calendar.workdays import VIETNAM
from haicap.catalog.selectors import fields_by_id
from haicap.core import clock
from haicap.core.exports import xlsx_response
from haicap.core.replica import reads_from_replica
from haicap.core.restricted import Viewer
from haicap.core.scoping import scope_of
from haicap.core.service_index import FULL_MARKS, IndexInput, Missing, Score
from haicap.dossiers.pdf import FormDocument
from haicap.dossiers.printing import pdf_response
from haicap.kpi import periods
from haicap.kpi import report as report_rows
from haicap.kpi.chart import bars
from haicap.kpi.forms import DashboardForm
from haicap.kpi.index import not_computed, scores
from haicap.kpi.indicators import Totals, rank
from haicap.kpi.periods import Period
from haicap.kpi.selectors import Slice, backlog_ageing, indicators, indicators_by, own_slice
from haicap.units.models import AdministrativeUnit, Agency
from haicap.units.selectors import the_province

SERIES_MONTHS = 12


def today() -> dt.date:
    return clock.now().astimezone(VIETNAM).date()


def dossiers_url(where: Slice, **filters: object) -> str:
    """The desk's dossier list filtered to the dossiers behind a number."""
    query = {
        "unit": where.unit_code,
        "agency": where.agency_code,
        "field": where.field_code,
        "channel": where.channel,
        **filters,
    }
    return reverse("desk:dossier_list") + "?" + urlencode({k: v for k, v in query.items() if v})


def dashboard_groups(province_wide: bool) -> list[str | None]:
    """What the dashboard adds up, read in one pass: the summary and the table by field; for
    the province, the tables by commune, by department and of communes × fields too."""
    return [None, "field", *(["unit", "agency", "unit,field"] if province_wide else [])]


@login_required
@reads_from_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    province_wide = scope_of(request.user).province_wide
    form = DashboardForm(request.GET or None, today=today(), units=province_wide)
    if form.is_bound and not form.is_valid():  # said, not replaced by this month's figures
        return render(request, "kpi/dashboard.html", {"form": form, "refused": True}, status=422)
    period = form.period()
    where = Slice(**{**form.slice_values(), **own_slice(request.user)})
    user, start, end = request.user, period.start, period.end
    read = indicators_by(user, start, end, dashboard_groups(province_wide), where)
    summary = read[None][None]
    months = periods.months_back(end, SERIES_MONTHS)
    by_month = indicators(user, months.start, months.end, "month", where)
    series = [(m, by_month.get(m, Totals())) for m in periods.month_starts(months)]
    fields = fields_by_id()
    tables = {"fields": _ranked(read["field"], fields)}
    if province_wide:
        communes = AdministrativeUnit.objects.restrict(user).filter(tier="commune")
        units = {u.pk: u for u in communes}
        by_unit, _inputs = scores(tuple(units), start, end)
        tables["units"] = _ranked_by_index(read["unit"], units, by_unit)
        provincial = Agency.objects.restrict(user).filter(unit__tier="province")
        departments = {a.pk: a for a in provincial}
        tables["agencies"] = _ranked(
            {k: v for k, v in read["agency"].items() if k in departments}, departments
        )
        tables["heat"] = _heat(read["unit,field"], units, fields)
    index = _index(user, where, start, end)
    export = request.GET.get("export")
    if export == "index" and index["score"] is not None:
        return _export_index(index, period)
    if export in tables:
        return _export(export, tables[export], period)
    context = {
        "form": form,
        "period": period,
        "summary": summary,
        "where": where,
        "links": _links(where, period),
        "chart": bars(series, lambda t: t.on_time_rate),
        "online_chart": bars(series, lambda t: t.online_rate),
        "tables": tables,
        "index": index,
        "ageing": backlog_ageing(user, where),
        "now_included": end >= today(),
        "query_string": request.GET.urlencode(),
    }
    return render(request, "kpi/dashboard.html", context)


def _ranked(totals: dict[object, Totals], names: dict) -> list[dict]:
    """Rows best first by Decision 766 points (ties share a rank), each with its name."""
    ranked = rank([(key, t.points) for key, t in totals.items() if key in names])
    return [
        {"key": key, "name": names[key], "totals": totals[key], "rank": place}
        for key, _points, place in ranked
    ]


def _ranked_by_index(totals: dict[int, Totals], names: dict, index: dict[int, Score]) -> list:
    """Communes best first by their Decision 766 index (every group haicap computes), ties
    sharing a rank; a commune with figures or index data is listed."""
    keys = [k for k in names if k in totals or index[k].total is not None]
    ranked = rank([(key, index[key].total) for key in keys])
    return [
        {
            "key": key,
            "name": names[key],
            "totals": totals.get(key, Totals()),
            "rank": place,
            "index": index[key],
        }
        for key, _points, place in ranked
    ]


def _index(user: Viewer, where: Slice, start: dt.date, end: dt.date) -> dict:
    """The Decision 766 index of the dashboard's commune, or of the province; a department's
    slice has none (the index scores administrative units, the API's ADMINISTRATIVE_UNIT)."""
    if where.agency_code:
        return {"score": None}
    unit = None
    if where.unit_code:
        unit = AdministrativeUnit.objects.restrict(user).filter(code=where.unit_code).first()
        if unit is None:
            return {"score": None}
    by_unit, inputs = scores((unit.pk,) if unit else None, start, end)
    found = by_unit[unit.pk if unit else None]
    return {
        "score": found,
        "of": unit.full_name if unit else _("the province"),
        "full_marks": FULL_MARKS,
        "groups": [_group_row(g, inputs) for g in found.groups],
        "filtered": bool(where.field_code or where.procedure_code or where.channel),
    }


GROUP_NAMES = {
    "CKMB": _lazy("Publicity and transparency"),
    "TDGQ": _lazy("Processing progress"),
    "CLGQ": _lazy("Online public services"),
    "TTTT": _lazy("Online payment"),
    "MDHL": _lazy("Satisfaction"),
    "MDSH": _lazy("Dossier digitisation"),
}


def _group_row(group_score, inputs: tuple[IndexInput, ...]) -> dict:
    """One group as shown and exported: its inputs with their formulas, and why it has no
    points when it has none."""
    code = group_score.group.code
    mine = {i.key: i for i in inputs if i.group == code}
    lacking = not_computed(code, inputs)
    if group_score.missing == Missing.NO_INPUT:
        why = _("none of its indicators is computed: %(list)s") % {"list": "; ".join(lacking)}
    elif group_score.missing == Missing.NO_DATA:
        why = _("nothing to count in this period")
    else:
        why = ""
    return {
        "code": code,
        "name": GROUP_NAMES[code],
        "most": group_score.group.most,
        "points": group_score.points,
        "why": why,
        "no_input": group_score.missing == Missing.NO_INPUT,
        "inputs": [{"input": mine[key], "ratio": r} for key, r in group_score.ratios],
        "lacking": lacking if group_score.missing != Missing.NO_INPUT else [],
    }


def _heat(cells: dict, units: dict, fields: dict) -> dict:
    """Communes × fields: late decisions plus dossiers overdue, per cell."""
    used_fields = sorted({f for (_u, f) in cells if f in fields}, key=lambda f: fields[f].name)
    rows = []
    for unit_id in sorted(
        {u for (u, _f) in cells if u in units}, key=lambda u: units[u].search_name
    ):
        row = []
        for field_id in used_fields:
            totals = cells.get((unit_id, field_id))
            row.append(
                {"late": totals.late, "overdue": totals.overdue_at_end, "field": fields[field_id]}
                if totals
                else None
            )
        rows.append({"unit": units[unit_id], "cells": row})
    return {"fields": [fields[f] for f in used_fields], "rows": rows}


def _links(where: Slice, period: Period) -> dict[str, str]:
    received = {"received_from": period.start.isoformat(), "received_to": period.end.isoformat()}
    decided = {"finished_from": period.start.isoformat(), "finished_to": period.end.isoformat()}
    return {
        "received": dossiers_url(where, **received),
        "online": dossiers_url(Slice(**{**where.__dict__, "channel": "online"}), **received),
        "resolved": dossiers_url(where, **decided),
        "early": dossiers_url(where, timeliness="early", **decided),
        "on_time": dossiers_url(where, timeliness="on_time", **decided),
        "late": dossiers_url(where, timeliness="late", **decided),
        "overdue": dossiers_url(where, overdue="yes", sort="due"),
    }


def _percent(rate) -> str:
    return "" if rate is None else f"{rate * 100:.1f}"


def _export(name: str, table, period: Period) -> HttpResponse:
    title = _("Indicators %(start)s–%(end)s") % {
        "start": period.start.strftime("%d/%m/%Y"),
        "end": period.end.strftime("%d/%m/%Y"),
    }
    if name == "heat":
        headers = [_("Commune or ward"), *(f.name for f in table["fields"])]
        rows = (
            [row["unit"].full_name, *((c["late"] + c["overdue"]) if c else 0 for c in row["cells"])]
            for row in table["rows"]
        )
        return xlsx_response(f"chi-so-{name}.xlsx", title, headers, rows)
    headers = [
        _("Rank"),
        _("Name"),
        _("Received"),
        _("Resolved"),
        _("Early"),
        _("On time"),
        _("Resolved late"),
        _("On-time rate (%)"),
        _("Online rate (%)"),
        _("Overdue, not yet resolved"),
        _("Points"),
    ]
    # Communes are ranked by the Decision 766 index: its groups' points follow, "" for a
    # group haicap cannot compute for the commune.
    by_index = name == "units"
    if by_index:
        headers += [f"{code} ({GROUP_NAMES[code]})" for code in GROUP_NAMES]
    rows = (
        [
            r["rank"] or "",
            str(getattr(r["name"], "full_name", r["name"])),
            r["totals"].received,
            r["totals"].resolved,
            r["totals"].early,
            r["totals"].on_time,
            r["totals"].late,
            _percent(r["totals"].on_time_rate),
            _percent(r["totals"].online_rate),
            r["totals"].overdue_at_end,
            r["index"].total if by_index else r["totals"].points,
            *(
                ("" if g.points is None else g.points for g in r["index"].groups)
                if by_index
                else ()
            ),
        ]
        for r in table
    )
    return xlsx_response(f"chi-so-{name}.xlsx", title, headers, rows)


def _export_index(index: dict, period: Period) -> HttpResponse:
    score = index["score"]
    title = _("Decision 766 index of %(of)s, %(start)s–%(end)s") % {
        "of": index["of"],
        "start": period.start.strftime("%d/%m/%Y"),
        "end": period.end.strftime("%d/%m/%Y"),
    }
    headers = [
        _("Group"),
        _("Name"),
        _("Maximum points"),
        _("Points"),
        _("Indicator"),
        _("Ratio (%)"),
        _("Formula"),
        _("Source"),
    ]
    rows: list[list] = []
    for group in index["groups"]:
        points = group["points"]
        if points is None:
            why = group["why"]
            cannot = (
                _("cannot compute yet (%(why)s)")
                if group["no_input"]
                else _("cannot compute (%(why)s)")
            )
            points = cannot % {"why": why}
        head = [group["code"], str(group["name"]), group["most"], points]
        if not group["inputs"]:
            rows.append([*head, "", "", "", ""])
        for n, line in enumerate(group["inputs"]):
            rows.append(
                [
                    *(head if n == 0 else ["", "", "", ""]),
                    str(line["input"].label),
                    _percent(line["ratio"]),
                    str(line["input"].formula),
                    str(line["input"].source),
                ]
            )
    summary = _("haicap computes %(n)s of %(all)s points") % {
        "n": score.computed_most,
        "all": index["full_marks"],
    }
    rows.append([_("Total"), summary, index["full_marks"], score.total or "", "", "", "", ""])
    return xlsx_response("chi-so-766.xlsx", title, headers, rows)


REPORT_FORMATS = ("xlsx", "pdf")


@login_required
@reads_from_replica
def report(request: HttpRequest) -> HttpResponse:
    """The periodic report of the reader's commune or department (or of a chosen commune, or of
    the province, for province-wide readers), as Excel or PDF; without a format, the page that
    chooses the period and offers both."""
    province_wide = scope_of(request.user).province_wide
    form = DashboardForm(request.GET or None, today=today(), units=province_wide)
    valid = not form.is_bound or form.is_valid()
    if request.GET.get("format") not in REPORT_FORMATS or not valid:
        query = request.GET.copy()
        query.pop("format", None)
        context = {"form": form, "period": form.period() if valid else None, "query": query}
        return render(request, "kpi/report.html", context, status=200 if valid else 422)
    period = form.period()
    where = Slice(**{**form.slice_values(), **own_slice(request.user)})
    user = request.user
    fields = fields_by_id()
    agencies = {a.pk: a for a in Agency.objects.restrict(user).select_related("unit")}
    read = indicators_by(user, period.start, period.end, [None, "field", "agency"], where)
    by_field, by_agency, total = read["field"], read["agency"], read[None][None]
    field_rows = report_rows.section(
        sorted(((fields[k].name, t) for k, t in by_field.items() if k in fields)), total
    )
    agency_rows = report_rows.section(
        sorted(((agencies[k].name, t) for k, t in by_agency.items() if k in agencies)), total
    )
    kind = (form.cleaned_data.get("kind") if form.is_bound and form.is_valid() else "") or "month"
    title = report_rows.title(period, kind)
    province = the_province()
    province_name = province.full_name if province else "tỉnh"
    whose = _whose(user, where, province_name)
    if request.GET.get("format") == "pdf":
        parent = report_rows.issuer_parent(province_name)
        document = FormDocument(
            issuer_parent=parent,
            issuer="" if whose == parent else whose,
            form_number=report_rows.FORM_NUMBER,
            title=title,
            paragraphs=["I. THEO LĨNH VỰC"],
            table_header=report_rows.HEADER,
            table_rows=[*field_rows, ["", "II. THEO CƠ QUAN", *([""] * 9)], *agency_rows],
            table_widths_mm=report_rows.WIDTHS_MM,
            place_and_date=report_rows.place_and_date(province.name if province else "", today()),
        )
        return pdf_response(document, f"bao-cao-{period.start:%Y%m%d}-{period.end:%Y%m%d}.pdf")
    rows = [[title], [whose], [], ["I. THEO LĨNH VỰC"], report_rows.HEADER, *field_rows, []]
    rows += [["II. THEO CƠ QUAN"], report_rows.HEADER, *agency_rows]
    return xlsx_response(
        f"bao-cao-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx", "Báo cáo", [], rows
    )


def _whose(user: Viewer, where: Slice, province_name: str) -> str:
    if where.agency_code:
        return Agency.objects.restrict(user).get(code=where.agency_code).name
    if where.unit_code:
        unit = AdministrativeUnit.objects.restrict(user).get(code=where.unit_code)
        return f"Ủy ban nhân dân {unit.full_name}"
    return report_rows.issuer_parent(province_name)


@reads_from_replica
def public_figures(request: HttpRequest) -> HttpResponse:
    """The province's on-time and online rates per month, as provinces publish them."""
    months = periods.months_back(today(), SERIES_MONTHS)
    by_month = indicators(None, months.start, months.end, "month")
    series = [(m, by_month.get(m, Totals())) for m in periods.month_starts(months)]
    context = {
        "series": series,
        "chart": bars(series, lambda t: t.on_time_rate),
        "online_chart": bars(series, lambda t: t.online_rate),
    }
    return render(request, "kpi/public.html", context)
