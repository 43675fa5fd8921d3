"""The surplus offices' pages: their disposal plans, filtered by status and commune and exported
to Excel (provinces report on them), setting a plan, and one plan with its progress, a form to
report more and, for Finance, to close it.

What a reader sees is what ``selectors`` lets them read: Finance and supervisors every plan, a
commune or agency the plans of offices it holds or is responsible for (404 for the others).
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.assets import selectors
from haicap.assets.disposal_forms import CloseForm, PlanFilterForm, PlanForm, ProgressForm
from haicap.assets.models import DisposalPlan
from haicap.assets.permissions import arranges_assets
from haicap.assets.selectors import PLAN_STATUS_LABELS
from haicap.assets.services import disposal as services
from haicap.core.errors import DomainError, InvalidInput, PermissionDenied
from haicap.core.exports import xlsx_response
from haicap.core.task_status import Outcome, Status

PAGE_SIZE = 50


# --- the list and its export --------------------------------------------------------------------


def export_headers() -> list[str]:
    return [
        _("Office"),
        _("Address"),
        _("Floor area (m²)"),
        _("Former unit"),
        _("What it becomes"),
        _("Responsible agency"),
        _("Deadline"),
        _("Status"),
        _("Last progress"),
    ]


def export_row(plan: DisposalPlan, status: Status) -> list:
    office = plan.office
    progress = ""
    if plan.last_progress:
        progress = f"{plan.last_progress_on:%d/%m/%Y}: {plan.last_progress}"
    return [
        f"{office.identifier} {office.name}",
        office.address,
        float(office.area_m2) if office.area_m2 is not None else None,
        office.origin.full_name if office.origin else "",
        plan.get_method_display(),
        plan.responsible.name,
        f"{plan.deadline:%d/%m/%Y}" if plan.deadline else "",
        str(PLAN_STATUS_LABELS[status]),
        progress,
    ]


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PlanFilterForm(request.GET or None, communes=selectors.plan_communes(user))
    today = selectors.today()
    plans = selectors.visible_disposal_plans(user, **form.filters(), on=today)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            f"tru-so-doi-du-{today:%Y%m%d}.xlsx",
            _("Surplus offices"),
            export_headers(),
            (export_row(plan, selectors.plan_status(plan, today)) for plan in plans),
        )
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("export", None)
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [
            (plan, status, PLAN_STATUS_LABELS[status])
            for plan in page.object_list
            for status in [selectors.plan_status(plan, today)]
        ],
        "may_create": arranges_assets(user),
        "query_string": query.urlencode(),
        "today": today,
    }
    return render(request, "assets/disposal_list.html", context)


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not arranges_assets(user):
        raise PermissionDenied(_("Disposal plans are set by the Department of Finance."))
    form = PlanForm(
        request.POST or None,
        offices=selectors.surplus_offices_without_plan(user),
        agencies=selectors.responsible_agencies(user),
    )
    error = ""
    key = request.POST.get("idempotency_key", "")[:100] or uuid.uuid4().hex
    if request.method == "POST" and (made := services.plan_made_with(user, key)) is not None:
        return redirect("desk:assets:disposal_plan", plan_id=made.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                user,
                data["office"],
                method=data["method"],
                deadline=data["deadline"],
                responsible=data["responsible"],
                decision=data["decision"],
                idempotency_key=key,
            )
        except DomainError as failure:
            error = failure.detail
        else:
            messages.success(request, _("The disposal plan was set."))
            return redirect("desk:assets:disposal_plan", plan_id=plan.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "error": error, "idempotency_key": key}
    return render(request, "assets/disposal_new.html", context, status=status)


# --- one plan -----------------------------------------------------------------------------------


def _page(
    request: HttpRequest,
    plan_id: int,
    *,
    error: str = "",
    progress: ProgressForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    plan = selectors.get_disposal_plan(user, plan_id)
    is_open = plan.closed_on is None
    today = selectors.today()
    plan_status = selectors.plan_status(plan, today)
    context = {
        "plan": plan,
        "status": plan_status,
        "status_label": PLAN_STATUS_LABELS[plan_status],
        "updates": selectors.plan_updates(plan),
        "reporting": is_open and services.reports_progress(user, plan),
        "closing": is_open and arranges_assets(user),
        "progress_form": progress or ProgressForm(),
        "close_form": CloseForm(),
        "idempotency_key": uuid.uuid4().hex,
        "error": error,
    }
    return render(request, "assets/disposal_detail.html", context, status=status)


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _page(request, plan_id)


@login_required
@require_POST
def plan_progress(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_disposal_plan(request.user, plan_id)
    form = ProgressForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Say what was done, and when."))
        services.post_progress(
            request.user,
            plan,
            text=form.cleaned_data["text"],
            on=form.cleaned_data.get("on"),
            idempotency_key=request.POST.get("idempotency_key", "")[:100],
        )
    except DomainError as failure:
        return _page(request, plan_id, error=failure.detail, progress=form, status=failure.status)
    messages.success(request, _("The progress was reported."))
    return redirect("desk:assets:disposal_plan", plan_id=plan.pk)


@login_required
@require_POST
def plan_close(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_disposal_plan(request.user, plan_id)
    form = CloseForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Choose the outcome."))
        services.close_plan(
            request.user,
            plan,
            outcome=Outcome(form.cleaned_data["outcome"]),
            on=form.cleaned_data.get("on"),
        )
    except DomainError as failure:
        return _page(request, plan_id, error=failure.detail, status=failure.status)
    messages.success(request, _("The disposal plan was closed."))
    return redirect("desk:assets:disposal_plan", plan_id=plan.pk)
