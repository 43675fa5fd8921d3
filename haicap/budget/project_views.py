"""The project pages: the list (filters, a plan's amounts by budget level, pages, Excel export
with totals), a project with its structure of sources, its balance plan by plan and its ledger
history, the forms that adjust a plan and reverse an entry, and importing the plan from a
workbook.

A reader sees the projects their scope lets them (``selectors.visible_projects``): Finance and
supervisors the province, a commune the projects it invests in. One out of scope is a 404; a
form the reader may not send is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.budget import permissions, project_selectors, selectors
from haicap.budget.models import Project
from haicap.budget.plan_columns import COLUMNS, TITLES, Kind
from haicap.budget.plan_import import (
    TEMPLATE_FILENAME,
    import_file,
    outcome_text,
    subject_text,
    summary,
    template_workbook,
)
from haicap.budget.project_export import projects_workbook
from haicap.budget.project_forms import (
    AdjustmentForm,
    PlanImportForm,
    ProjectFilterForm,
    ReversalForm,
)
from haicap.budget.project_selectors import LEVELS
from haicap.budget.services import ledger
from haicap.budget.services.projects import today
from haicap.core.errors import DomainError, PermissionDenied
from haicap.core.exports import workbook_response
from haicap.core.htmx import varies_with_htmx, wants_fragment
from haicap.core.restricted import Viewer
from haicap.core.sheet_import import NothingImported

PAGE_SIZE = 25


def _require_arranger(user: Viewer) -> None:
    if not permissions.arranges_capital(user):
        raise PermissionDenied(_("Only the Department of Finance arranges the capital plans."))


# --- the list -----------------------------------------------------------------------------------


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    plans = list(selectors.visible_plans(user))
    form = ProjectFilterForm(
        request.GET or None,
        plans=plans,
        choices=project_selectors.filter_choices(user),
        default=project_selectors.default_plan(user, plans, today()),
    )
    filters = form.filters()
    # the plan chooses the amounts shown, it does not filter: a project with nothing in it
    # (one imported with another year's capital) is listed with "—"
    plan = filters.pop("plan")
    projects = project_selectors.filter_projects(user, **filters)
    if request.GET.get("export") == "xlsx":
        return workbook_response("du-an-dau-tu-cong.xlsx", projects_workbook(projects, plan))
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    listed = list(page.object_list)
    amounts = project_selectors.amounts_by_level(plan, listed) if plan is not None else {}
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    context = {
        "form": form,
        "page": page,
        "rows": [(p, amounts.get(p.pk, {})) for p in listed],
        "plan": plan,
        "levels": LEVELS,
        "totals": project_selectors.list_totals(projects, plan),
        "query_string": query.urlencode(),
        "arranges": permissions.arranges_capital(user),
    }
    fragment = wants_fragment(request)
    template = "budget/project_rows.html" if fragment else "budget/projects.html"
    return varies_with_htmx(render(request, template, context))


# --- a project ----------------------------------------------------------------------------------


def _project_page(
    request: HttpRequest, project: Project, form: AdjustmentForm | None, status: int = 200
) -> HttpResponse:
    user = request.user
    approves = permissions.approves_capital(user)
    entries = list(project_selectors.project_entries(project))
    context = {
        "project": project,
        "fundings": sorted(project.fundings.all(), key=lambda f: -f.amount),
        "tables": project_selectors.plan_tables(project),
        "levels": LEVELS,
        "entries": [
            (entry, approves and ledger.refusal_to_reverse(entry) is None) for entry in entries
        ],
        "adjustment_form": form,
    }
    return render(request, "budget/project_detail.html", context, status=status)


def _adjustment_form(request: HttpRequest) -> AdjustmentForm | None:
    user = request.user
    if not permissions.arranges_capital(user):
        return None
    plans = list(selectors.visible_plans(user))
    return AdjustmentForm(request.POST or None, plans=plans, initial={"decision_date": today()})


@login_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.get_project(request.user, project_id)
    return _project_page(request, project, _adjustment_form(request))


@login_required
@require_POST
def project_adjust(request: HttpRequest, project_id: int) -> HttpResponse:
    """Finance's officer adds an adjustment; a refusal shows the page again with the form."""
    user = request.user
    project = selectors.get_project(user, project_id)
    _require_arranger(user)
    form = _adjustment_form(request)
    if form.is_valid():
        try:
            ledger.adjust(user, project=project, **form.change())
        except DomainError as failure:
            form.add_error(None, failure.detail)
        else:
            messages.success(request, _("The adjustment was recorded in the ledger."))
            return redirect("desk:budget:project", project.pk)
    return _project_page(request, project, form, status=422)


@login_required
def entry_reverse(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Finance's leader reverses an allocation or an adjustment, by decision."""
    user = request.user
    entry = project_selectors.get_entry(user, entry_id)
    if not permissions.approves_capital(user):
        raise PermissionDenied(_("Only a leader of the Department of Finance reverses an entry."))
    refusal = ledger.refusal_to_reverse(entry)
    if refusal is not None:
        messages.error(request, refusal)
        return redirect("desk:budget:project", entry.project_id)
    form = ReversalForm(request.POST or None, initial={"decision_date": today()}, entry=entry)
    if request.method == "POST" and form.is_valid():
        try:
            ledger.reverse(user, entry, **form.decision())
        except DomainError as failure:
            form.add_error(None, failure.detail)
        else:
            messages.success(request, _("The entry was reversed."))
            return redirect("desk:budget:project", entry.project_id)
    status = 422 if request.method == "POST" else 200
    context = {"entry": entry, "form": form, "project": entry.project}
    return render(request, "budget/entry_reverse.html", context, status=status)


# --- importing ----------------------------------------------------------------------------------


@login_required
def plan_import(request: HttpRequest) -> HttpResponse:
    """Upload the workbook; the page shows every problem of every row, or what was done with
    each row."""
    user = request.user
    _require_arranger(user)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    done: list[str] = []
    rows: list = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = import_file(user, upload.name, upload.read())
        except NothingImported as refused:
            problems = refused.problems
        else:
            done = summary(report)
            rows = [(r, subject_text(r), outcome_text(r.outcome)) for r in report.rows]
    context = {
        "form": form,
        "problems": problems,
        "done": done,
        "rows": rows,
        "sheets": [(TITLES[kind], COLUMNS[kind]) for kind in Kind],
    }
    status = 422 if problems or (request.method == "POST" and not form.is_valid()) else 200
    return render(request, "budget/project_import.html", context, status=status)


@login_required
def plan_import_template(request: HttpRequest) -> HttpResponse:
    """The workbook to fill in, with the headers the import reads and the codes it knows."""
    return workbook_response(TEMPLATE_FILENAME, template_workbook())
