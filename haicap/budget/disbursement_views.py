"""Capital pages: monthly disbursement. The overview (a month's rates by project, investor,
commune, location, field or level, the projects behind the pace, the chart and the report
files), entering a month, importing a workbook, the pace, and one project's year.

A reader sees the projects their scope lets them (Finance and supervisors the province, an
investor its own); a project out of scope is a 404, one in scope that they may not report for a
403. The chart is an SVG of its own, shown in an ``<img>`` (no script on the page).
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from haicap.budget import chart, disbursement_import, monthly_report, permissions, rates, selectors
from haicap.budget.disbursement_forms import (
    EntryFilterForm,
    ImportForm,
    MonthAmountsForm,
    OverviewForm,
    PaceForm,
    amount_name,
)
from haicap.budget.disbursement_sheet import COLUMNS
from haicap.budget.models import Project
from haicap.budget.pace import MONTHS
from haicap.budget.services import disbursement
from haicap.core.errors import DomainError, NotFound, PermissionDenied
from haicap.core.exports import workbook_response
from haicap.core.restricted import Viewer
from haicap.core.sheet_import import NothingImported
from haicap.dossiers.printing import pdf_response


def _month_form(request: HttpRequest, form_class=OverviewForm, **kwargs):
    years = rates.years_with_plans()
    default = rates.reported_month(disbursement.today(), years)
    return form_class(request.GET or None, years=years, default=default, **kwargs)


def scope_text(user: Viewer) -> str:
    if selectors.reads_province(user):
        return _("Every project of the province.")
    return _("The projects invested in by the bodies you work for.")


def chart_text(title: str) -> chart.ChartText:
    return chart.ChartText(
        title=title,
        months=[
            pgettext("a month on the chart's axis", "M%(month)d") % {"month": m} for m in MONTHS
        ],
        disbursed=_("Disbursed from January"),
        plan=_("Plan in force"),
        expected=_("Expected pace"),
        unit=_("billion VND"),
        decimal_mark=",",  # đồng are written Vietnamese-style in both languages
    )


def _svg(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = "inline"
    return response


# --- the overview -----------------------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = _month_form(request)
    year, month = form.chosen()
    dimension = form.dimension()
    month_rates = rates.month_rates(user, year, month)
    query = f"year={year}&month={month}"
    context = {
        "form": form,
        "year": year,
        "month": month,
        "rates": month_rates,
        "total": month_rates.total,
        "dimension": dimension,
        "dimension_label": dict(form.fields["by"].choices)[dimension],
        "groups": month_rates.by(dimension),
        "behind": month_rates.behind,
        "above": month_rates.above_plan,
        "scope": scope_text(user),
        "query": query,
        "may_enter": bool(rates.reportable_projects(user)),
        "arranges": permissions.arranges_capital(user),
        "reads_province": selectors.reads_province(user),
    }
    return render(request, "budget/disbursement.html", context)


@login_required
@csp_update({"style-src": [UNSAFE_INLINE]})  # the SVG's own styles, when opened on its own
def overview_chart(request: HttpRequest) -> HttpResponse:
    year, month = _month_form(request).chosen()
    curve = rates.year_curve(year, month, selectors.visible_projects(request.user))
    title = _("Disbursement of public-investment capital, %(year)d") % {"year": year}
    return _svg(chart.render(chart_text(title), curve.plan, curve.disbursed, curve.expected))


# --- one project ------------------------------------------------------------------------------


@login_required
def project_year(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.get_project(request.user, project_id)
    form = _month_form(request)
    year, month = form.chosen()
    context = {
        "project": project,
        "form": form,
        "year": year,
        "month": month,
        "months": rates.project_year(project, year, month),
        "query": f"year={year}&month={month}",
        "may_enter": rates.may_report(request.user, project),
    }
    return render(request, "budget/disbursement_project.html", context)


@login_required
@csp_update({"style-src": [UNSAFE_INLINE]})
def project_chart(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.get_project(request.user, project_id)
    year, month = _month_form(request).chosen()
    scoped = selectors.visible_projects(request.user).filter(pk=project.pk)
    curve = rates.year_curve(year, month, scoped)
    title = f"{project.code} · {year}"
    return _svg(chart.render(chart_text(title), curve.plan, curve.disbursed, curve.expected))


# --- the monthly report -----------------------------------------------------------------------


@login_required
def report_xlsx(request: HttpRequest) -> HttpResponse:
    year, month = _month_form(request).chosen()
    month_rates = rates.month_rates(request.user, year, month)
    workbook = monthly_report.report_workbook(
        month_rates, scope_text(request.user), disbursement.today()
    )
    return workbook_response(monthly_report.filename(year, month, "xlsx"), workbook)


@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    year, month = _month_form(request).chosen()
    month_rates = rates.month_rates(request.user, year, month)
    document = monthly_report.report_document(
        month_rates, scope_text(request.user), disbursement.today()
    )
    return pdf_response(document, monthly_report.filename(year, month, "pdf"))


# --- entering a month -------------------------------------------------------------------------


@login_required
def enter_month(request: HttpRequest) -> HttpResponse:
    """The projects the user reports for, each with its plan in force and what is entered for
    the month; saving writes the changed amounts, all or nothing."""
    user = request.user
    every = rates.reportable_projects(user)
    if not every:
        raise PermissionDenied(_("You enter the disbursement of no project."))
    finance = permissions.arranges_capital(user)
    investors = {p.investor.pk: p.investor for p in every if p.investor is not None}
    communes = {
        p.investor.unit.pk: p.investor.unit
        for p in every
        if p.investor is not None and p.investor.unit.tier == "commune"
    }
    filters = _month_form(
        request,
        EntryFilterForm,
        investors=sorted(investors.values(), key=lambda a: a.name) if finance else (),
        communes=sorted(communes.values(), key=lambda u: u.name) if finance else (),
    )
    year, month = filters.chosen()
    projects = rates.reportable_projects(user, **filters.narrowed()) if finance else every
    entered = rates.entered_in_month(user, year, month)
    form = MonthAmountsForm(
        request.POST if request.method == "POST" else None, projects=projects, entered=entered
    )
    refused: dict[int, str] = {}
    if request.method == "POST" and form.is_valid():
        try:
            disbursement.record_month(user, year, month, form.changed_amounts())
        except disbursement.RowsRefused as failure:
            refused = failure.problems
        else:
            messages.success(
                request,
                _("The disbursement of %(month)s was saved.")
                % {"month": disbursement.month_label(year, month)},
            )
            return redirect(f"{request.path}?{request.GET.urlencode()}")
    shown = Project.objects.restrict(user).filter(pk__in=[p.pk for p in projects])
    month_rates = rates.month_rates(user, year, month, shown)
    by_project = {r.project.pk: r for r in month_rates.projects}
    rows = [
        {
            "project": p,
            "field": form[amount_name(p)],
            "rate": by_project.get(p.pk),
            "entered": entered.get(p.pk),
            "refused": refused.get(p.pk, ""),
        }
        for p in projects
    ]
    status = 422 if request.method == "POST" else 200
    context = {
        "filters": filters,
        "form": form,
        "rows": rows,
        "year": year,
        "month": month,
        "refused": refused,
        "query": request.GET.urlencode(),
    }
    return render(request, "budget/disbursement_enter.html", context, status=status)


@login_required
def import_month(request: HttpRequest) -> HttpResponse:
    """Upload the workbook; the page shows every refused row, or what was done."""
    user = request.user
    if not rates.reportable_projects(user):
        raise PermissionDenied(_("You enter the disbursement of no project."))
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    done: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            done = disbursement_import.summary(
                disbursement_import.import_file(user, upload.name, upload.read())
            )
        except NothingImported as refused:
            problems = refused.problems
    context = {"form": form, "problems": problems, "done": done, "columns": COLUMNS}
    status = 422 if problems or (request.method == "POST" and not form.is_valid()) else 200
    return render(request, "budget/disbursement_import.html", context, status=status)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    workbook = disbursement_import.template_workbook()
    return workbook_response(disbursement_import.TEMPLATE_FILENAME, workbook)


# --- the pace ---------------------------------------------------------------------------------


@login_required
def pace_page(request: HttpRequest) -> HttpResponse:
    """The share of an annual plan expected disbursed by each month's end: the province's
    readers see it, Finance's officers change it."""
    user = request.user
    if not selectors.reads_province(user):
        raise NotFound(_("The pace is the province's: it is set by the Department of Finance."))
    chooser = _month_form(request)
    year, _month = chooser.chosen()
    plan = selectors.annual_plan(year)
    if plan is None:
        raise NotFound(_("No such capital plan."))
    arranges = permissions.arranges_capital(user)
    shares = rates.pace_shares(plan)
    form = PaceForm(request.POST if request.method == "POST" else None, shares=shares)
    if request.method == "POST":
        permissions.require(arranges)
        if form.is_valid():
            try:
                disbursement.set_pace_months(user, plan, form.shares())
            except DomainError as failure:
                form.add_error(None, failure.detail)
            else:
                messages.success(request, _("The expected pace was saved."))
                return redirect(f"{reverse('desk:budget:disbursement_pace')}?year={year}")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "chooser": chooser, "plan": plan, "year": year, "arranges": arranges}
    return render(request, "budget/disbursement_pace.html", context, status=status)
