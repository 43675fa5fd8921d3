"""The directive pages: issuing one from an inspection's conclusion, and one directive with its
target, sub-tasks and history, where its agencies report progress and the secretariat closes it."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.core.errors import DomainError, PermissionDenied
from haicap.core.restricted import Viewer
from haicap.core.scoping import scope_of
from haicap.dossiers.downloads import paper_response
from haicap.oversight import selectors, services
from haicap.oversight.directive_forms import (
    CloseForm,
    DirectiveForm,
    UpdateForm,
    subtask_forms,
)
from haicap.oversight.models import STATUS_LABELS, Directive, Inspection
from haicap.units.models import AdministrativeUnit, Agency

COMPARISON_SIGNS = {">=": "≥", "<=": "≤", "=": "="}

# --- issuing ----------------------------------------------------------------------------------


@login_required
def directive_start(request: HttpRequest) -> HttpResponse:
    """The concluded inspections the user may issue directives under."""
    inspections = [
        inspection
        for inspection in selectors.visible_inspections(request.user)
        .filter(state=Inspection.State.CONCLUDED)
        .prefetch_related("communes")
        if services.manages(request.user, inspection.group)
    ]
    return render(request, "oversight/directive_start.html", {"inspections": inspections})


def _agencies_for(user: Viewer, inspection: Inspection) -> QuerySet[Agency]:
    """The province's agencies and those of the communes visited: who a directive may go to."""
    agencies = (
        Agency.objects.restrict(user)
        .filter(Q(unit__tier="province") | Q(unit__in=inspection.communes.all()))
        .select_related("unit")
    )
    return selectors.in_vietnamese_order(agencies, "-unit__tier", "unit__name", "name")


def _communes_for(user: Viewer) -> QuerySet[AdministrativeUnit]:
    return AdministrativeUnit.objects.restrict(user).filter(tier="commune", valid_to=None)


@login_required
def issue_directive(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = selectors.get_inspection(request.user, inspection_id)
    if not services.manages(request.user, inspection.group):
        raise PermissionDenied(
            _("Only the working group's secretariat and leader write its inspections.")
        )
    agencies = _agencies_for(request.user, inspection)
    data = request.POST if request.method == "POST" else None
    form = DirectiveForm(
        data,
        agencies=agencies,
        findings=selectors.visible_findings(request.user, inspection_id=inspection.pk),
        communes=selectors.in_vietnamese_order(_communes_for(request.user), "name"),
    )
    subtasks = subtask_forms(data, agencies)
    error = ""
    if data is not None and form.is_valid() and all(s.is_valid() for s in subtasks):
        specs = [spec for s in subtasks if (spec := s.spec()) is not None]
        try:
            directive = services.issue_directive(request.user, inspection, form.spec(specs))
        except DomainError as failure:
            error = failure.detail
        else:
            messages.success(request, _("The directive was issued."))
            return redirect("desk:oversight:directive", directive_id=directive.pk)
    context = {
        "inspection": inspection,
        "form": form,
        "subtasks": subtasks,
        "error": error,
        "not_concluded": inspection.state != Inspection.State.CONCLUDED,
    }
    return render(
        request, "oversight/directive_form.html", context, status=422 if data is not None else 200
    )


# --- one directive ----------------------------------------------------------------------------


def may_close(user: Viewer, directive: Directive) -> bool:
    return not scope_of(user).read_only and services.in_secretariat(
        user, directive.inspection.group
    )


def _page(
    request: HttpRequest,
    directive: Directive,
    *,
    update_form: UpdateForm | None = None,
    close_form: CloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    on = selectors.today()
    state = selectors.directive_status(directive, on)
    target = selectors.target_of(directive)
    subtasks = [
        (s, selectors.directive_status(s, on))
        for s in selectors.visible_directives(user).filter(parent=directive).order_by("deadline")
    ]
    is_open = directive.closed_at is None
    closing = is_open and may_close(user, directive)
    may_report = (
        is_open
        and not scope_of(user).read_only
        and services.reporting_agency(user, directive) is not None
    )
    context = {
        "directive": directive,
        "parent_seen": selectors.parent_seen(user, directive),
        "status": state,
        "status_label": STATUS_LABELS[state],
        "supporting": list(
            selectors.in_vietnamese_order(directive.supporting_agencies.all(), "name")
        ),
        "findings": list(
            selectors.visible_findings(user).filter(directives=directive).order_by("pk")
        ),
        "subtasks": [(s, st, STATUS_LABELS[st]) for s, st in subtasks],
        "progress": selectors.subtask_progress(directive, on),
        "reading": selectors.read_target(target) if target else None,
        "comparison_sign": COMPARISON_SIGNS.get(target.comparison, "") if target else "",
        "updates": selectors.updates_of(user, directive),
        # a form sent back is shown with its refusal, even to one it is no longer offered to
        "update_form": update_form or (UpdateForm() if may_report else None),
        "close_form": close_form or (CloseForm() if closing else None),
        "idempotency_key": request.POST.get("idempotency_key", "")[:100] or uuid.uuid4().hex,
    }
    return render(request, "oversight/directive_detail.html", context, status=status)


@login_required
def directive_detail(request: HttpRequest, directive_id: int) -> HttpResponse:
    return _page(request, selectors.get_directive(request.user, directive_id))


@login_required
@require_POST
def post_update(request: HttpRequest, directive_id: int) -> HttpResponse:
    directive = selectors.get_directive(request.user, directive_id)
    form = UpdateForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, directive, update_form=form, status=422)
    try:
        services.post_update(
            request.user,
            directive,
            text=form.cleaned_data["text"],
            percent=form.cleaned_data.get("percent"),
            papers=form.cleaned_data.get("papers") or [],
            idempotency_key=request.POST.get("idempotency_key", "")[:100],
        )
    except DomainError as failure:
        form.add_error(None, failure.detail)
        return _page(request, directive, update_form=form, status=failure.status)
    messages.success(request, _("Your update was added to the directive's history."))
    return redirect(reverse("desk:oversight:directive", args=[directive.pk]) + "#history")


@login_required
@require_POST
def close_directive(request: HttpRequest, directive_id: int) -> HttpResponse:
    directive = selectors.get_directive(request.user, directive_id)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _page(request, directive, close_form=form, status=422)
    try:
        services.close_directive(
            request.user,
            directive,
            outcome=form.cleaned_data["outcome"],
            result=form.cleaned_data["result"],
            reason=form.cleaned_data.get("reason", ""),
        )
    except DomainError as failure:
        form.add_error(None, failure.detail)
        return _page(request, directive, close_form=form, status=failure.status)
    messages.success(request, _("The directive was closed."))
    return redirect("desk:oversight:directive", directive_id=directive.pk)


@login_required
def update_paper(request: HttpRequest, directive_id: int, paper_id: int) -> FileResponse:
    return paper_response(selectors.update_paper(request.user, directive_id, paper_id))
