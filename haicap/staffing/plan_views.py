"""The secondment plan pages: the plans and their versions, asking for one, and one plan with
its proposals explained, the gaps it leaves, what the solver reported, the draft's edit
controls, approval for the staffing authority's leaders, its history and its Excel export.

Plans are the staffing authority's working papers: anyone else gets 404 for every plan page.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from haicap.core.errors import (
    DomainError,
    IdempotencyKeyReused,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from haicap.core.exports import titled_xlsx_response
from haicap.core.ordering import in_vietnamese_order
from haicap.core.restricted import Viewer
from haicap.staffing import planning, selectors
from haicap.staffing.models import SecondmentPlan, StaffField
from haicap.staffing.permissions import approves_plans, arranges_staff
from haicap.staffing.plan_forms import AdditionForm, PlanRequestForm, row_forms
from haicap.staffing.services import plans as services
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit

PAGE_SIZE = 25
Status = SecondmentPlan.Status
# Approving and discarding cannot be undone: the first press shows what follows and asks again
# (``?xac-nhan=…``); only a form sent with ``confirm=yes`` acts.
CONFIRM = "xac-nhan"
CONFIRM_APPROVE, CONFIRM_DISCARD = "phe-duyet", "huy"
SOLVER_STATUS = {
    "optimal": gettext_lazy("Optimal: no better plan exists under these rules"),
    "time_limit": gettext_lazy("The best plan found within the time limit"),
    "no_plan": gettext_lazy("No secondment is possible under these rules"),
}


def _require_sight(user: Viewer) -> None:
    if not selectors.sees_plans(user):
        raise NotFound(_("No such page."))


def _plan(request: HttpRequest, plan_id: int) -> SecondmentPlan:
    return selectors.get_plan(request.user, plan_id)


# --- the list and asking for a plan -------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    _require_sight(request.user)
    plans = (
        selectors.visible_plans(request.user)
        .annotate(officers=Count("secondments"))
        .order_by("-created_at", "-pk")
    )
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "plans": page.object_list,
        "may_request": arranges_staff(request.user),
        "query_string": "",
    }
    return render(request, "staffing/plan_list.html", context)


@login_required
def plan_request(request: HttpRequest) -> HttpResponse:
    _require_sight(request.user)
    if not arranges_staff(request.user):
        raise PermissionDenied(_("Only the staffing authority's officers ask for a plan."))
    form = PlanRequestForm(request.POST or None)
    error = ""
    key = request.POST.get("idempotency_key", "")[:100] or uuid.uuid4().hex
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.request_plan(
                request.user,
                data["title"],
                data["starts_on"],
                data["months"],
                data["max_travel_minutes"],
                data["max_per_agency"],
                idempotency_key=key,
            )
        except IdempotencyKeyReused:
            # the form was sent before with other rules: this is a new request
            error = _("The rules changed since the form was sent: send it again to solve them.")
            key = uuid.uuid4().hex
        except DomainError as failure:
            error = failure.detail
        else:
            messages.success(request, _("The plan was solved; it is a draft until approved."))
            return redirect("desk:staffing:plan", plan_id=plan.pk)
    context = {
        "form": form,
        "error": error,
        "idempotency_key": key,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "staffing/plan_request.html", context, status=status)


# --- one plan -----------------------------------------------------------------------------------


def _page(
    request: HttpRequest,
    plan: SecondmentPlan,
    *,
    error: str = "",
    rows_data=None,
    addition: AdditionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    secondments = list(selectors.plan_secondments(user, plan))
    rows = planning.plan_rows(secondments)
    editing = plan.status == Status.DRAFT and arranges_staff(user)
    forms = dict(row_forms(rows_data, secondments)) if editing else {}
    uncovered = planning.uncovered_rows(plan)
    context = {
        "plan": plan,
        # no proposal and no gap left: no commune lacked anyone when the plan was solved
        "no_gap": not rows and not uncovered,
        "rows": [(row, forms.get(row.secondment)) for row in rows],
        "not_needed": sum(1 for row in rows if not row.needed),
        "uncovered": uncovered,
        "versions": selectors.plan_versions(user, plan),
        "open_revision": selectors.open_revision(user, plan),
        "editing": editing,
        "addition": addition or (_addition_form(user) if editing else None),
        "approving": plan.status == Status.DRAFT and approves_plans(user),
        "submitting": editing and plan.submitted_at is None,
        "confirm": request.GET.get(CONFIRM, ""),
        "revising": plan.status == Status.APPROVED and arranges_staff(user),
        "solver_status": SOLVER_STATUS.get(plan.solver_status, plan.solver_status or "—"),
        "mip_gap_percent": None if plan.mip_gap is None else plan.mip_gap * 100,
        "error": error,
        "idempotency_key": uuid.uuid4().hex,
    }
    return render(request, "staffing/plan_detail.html", context, status=status)


def _addition_form(user: Viewer, data=None) -> AdditionForm:
    communes = AdministrativeUnit.objects.restrict(user).filter(tier=Tier.COMMUNE, valid_to=None)
    return AdditionForm(
        data,
        # as Vietnamese readers sort names ("Đô Lương" among the Ds, not after Z)
        communes=in_vietnamese_order(communes, "name"),
        fields=StaffField.objects.restrict(user).order_by("code"),
    )


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _page(request, _plan(request, plan_id))


def _refused(request: HttpRequest, plan: SecondmentPlan, failure: DomainError, **extra):
    plan.refresh_from_db()
    return _page(request, plan, error=failure.detail, status=failure.status, **extra)


@login_required
@require_POST
def plan_save(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The draft's dates and decision numbers, all rows at once."""
    plan = _plan(request, plan_id)
    pairs = row_forms(request.POST, selectors.plan_secondments(request.user, plan))
    if not all(form.is_valid() for _s, form in pairs):
        failure = InvalidInput(_("Correct the dates marked in the table."))
        return _refused(request, plan, failure, rows_data=request.POST)
    try:
        services.save_secondments(request.user, plan, {s.pk: form.change() for s, form in pairs})
    except DomainError as failure:
        return _refused(request, plan, failure, rows_data=request.POST)
    messages.success(request, _("The secondments were saved."))
    return redirect("desk:staffing:plan", plan_id=plan.pk)


@login_required
@require_POST
def plan_remove(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    try:
        secondment_id = int(request.POST.get("secondment", ""))
        services.remove_secondment(request.user, plan, secondment_id)
    except ValueError:
        return _refused(request, plan, InvalidInput(_("Choose a secondment to remove.")))
    except DomainError as failure:
        return _refused(request, plan, failure)
    messages.success(request, _("The proposal was removed from the draft."))
    return redirect("desk:staffing:plan", plan_id=plan.pk)


@login_required
@require_POST
def plan_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    form = _addition_form(request.user, request.POST)
    if not form.is_valid():
        failure = InvalidInput(_("Correct the officer to add."))
        return _refused(request, plan, failure, addition=form)
    data = form.cleaned_data
    officer = (
        selectors.visible_officers(request.user)
        .filter(staff_number=data["staff_number"].strip())
        .first()
    )
    if officer is None:
        form.add_error("staff_number", _("No officer has this staff number."))
        failure = InvalidInput(_("Correct the officer to add."))
        return _refused(request, plan, failure, addition=form)
    try:
        services.add_secondment(
            request.user,
            plan,
            services.Addition(
                officer=officer,
                commune=data["commune"],
                field=data["field"],
                start_date=data.get("start_date"),
                end_date=data.get("end_date"),
                decision_number=data.get("decision_number", ""),
            ),
        )
    except DomainError as failure:
        return _refused(request, plan, failure, addition=form)
    messages.success(request, _("The officer was added to the draft."))
    return redirect("desk:staffing:plan", plan_id=plan.pk)


def _to_confirm(plan: SecondmentPlan, what: str) -> HttpResponse:
    url = reverse("desk:staffing:plan", args=[plan.pk])
    return redirect(f"{url}?{CONFIRM}={what}#plan-actions")


@login_required
@require_POST
def plan_submit(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Hand the draft to the staffing authority's leaders, who are sent a notice."""
    plan = _plan(request, plan_id)
    try:
        _plan_now, told = services.submit(request.user, plan)
    except DomainError as failure:
        return _refused(request, plan, failure)
    messages.success(
        request,
        ngettext(
            "The plan was submitted for approval: %(count)d leader was notified.",
            "The plan was submitted for approval: %(count)d leaders were notified.",
            told,
        )
        % {"count": told},
    )
    return redirect("desk:staffing:plan", plan_id=plan.pk)


@login_required
@require_POST
def plan_approve(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    if request.POST.get("confirm") != "yes" and approves_plans(request.user):
        return _to_confirm(plan, CONFIRM_APPROVE)
    try:
        services.approve(request.user, plan)
    except DomainError as failure:
        return _refused(request, plan, failure)
    messages.success(request, _("The plan was approved."))
    return redirect("desk:staffing:plan", plan_id=plan.pk)


@login_required
@require_POST
def plan_revise(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    try:
        revision = services.revise(
            request.user, plan, idempotency_key=request.POST.get("idempotency_key", "")[:100]
        )
    except DomainError as failure:
        return _refused(request, plan, failure)
    messages.success(request, _("A new version was made: edit it, then submit it for approval."))
    return redirect("desk:staffing:plan", plan_id=revision.pk)


@login_required
@require_POST
def plan_discard(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    if request.POST.get("confirm") != "yes" and arranges_staff(request.user):
        return _to_confirm(plan, CONFIRM_DISCARD)
    try:
        services.discard(request.user, plan)
    except DomainError as failure:
        return _refused(request, plan, failure)
    messages.success(request, _("The draft was discarded."))
    return redirect("desk:staffing:plan", plan_id=plan.pk)


# --- exports ------------------------------------------------------------------------------------


def export_headers() -> list[str]:
    return [
        _("Officer"),
        _("Staff number"),
        _("Seconded from"),
        _("Seconded to (commune)"),
        _("Host office"),
        _("Field"),
        _("Travel (minutes)"),
        _("Gap before"),
        _("Gap after"),
        _("Donor's field"),
        _("Donor's norm"),
        _("Donor's officers before"),
        _("Donor's officers after"),
        _("Start date"),
        _("End date"),
        _("Decision number"),
        _("Reason"),
    ]


def export_row(row: planning.PlanRow) -> list:
    s = row.secondment
    return [
        s.officer.full_name,
        s.officer.staff_number,
        planning.donor_name(s.from_agency),
        s.to_agency.unit.full_name,
        s.to_agency.name,
        s.field.name,
        s.travel_minutes,
        row.host_gap_before,
        row.host_gap_after,
        s.donor_field.name if s.donor_field else "",
        row.donor_norm,
        row.donor_filled_before,
        row.donor_filled_after,
        s.start_date,
        s.end_date,
        s.decision_number,
        row.reason,
    ]


@login_required
def plan_xlsx(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    rows = planning.plan_rows(selectors.plan_secondments(request.user, plan))
    title = _(
        "Secondment plan “%(title)s”, version %(version)s (%(status)s), secondments from %(day)s"
    ) % {
        "title": plan.title,
        "version": plan.version,
        "status": plan.get_status_display(),
        "day": plan.starts_on.strftime("%d/%m/%Y"),
    }
    return titled_xlsx_response(
        f"ke-hoach-biet-phai-{plan.pk}-v{plan.version}.xlsx",
        _("Secondment plan"),
        title,
        export_headers(),
        (export_row(row) for row in rows),
    )


@login_required
def plan_decisions(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan's secondments as a list to print beside the decisions: the issuing body, the
    place and day, the rows in the decisions' order and the approver's signature; the site's
    own header, menus and footer are left out of the print (``site.css``)."""
    plan = _plan(request, plan_id)
    secondments = sorted(
        selectors.plan_secondments(request.user, plan),
        key=lambda s: (selectors.decision_order(s.decision_number), s.officer.full_name, s.pk),
    )
    context = {"plan": plan, "sheet": selectors.decision_sheet(plan), "rows": secondments}
    return render(request, "staffing/plan_decisions.html", context)
