"""An inspection's pages: planning it, its page (participants, agenda, findings with their
evidence, conclusion, directives), and the steps from planned to concluded."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from haicap.core.errors import DomainError
from haicap.dossiers.downloads import paper_response
from haicap.oversight import selectors, services
from haicap.oversight.forms import ConclusionForm, FindingForm, InspectionForm
from haicap.oversight.models import STATUS_LABELS, Inspection
from haicap.oversight.page_access import manages


def _inspection_form(request: HttpRequest, group) -> InspectionForm:
    return InspectionForm(
        request.POST or None,
        communes=group.communes.all(),
        people=selectors.possible_participants(group),
    )


@login_required
def plan_inspection(request: HttpRequest, group_id: int) -> HttpResponse:
    group = selectors.group_with_people(request.user, group_id)
    form = _inspection_form(request, group)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.plan_inspection(
                request.user,
                group,
                held_on=data["held_on"],
                communes=list(data["communes"]),
                participants=list(data["participants"]),
                other_participants=data["other_participants"],
                agenda=data["agenda"],
            )
        except DomainError as failure:
            form.add_error(None, failure.detail)
        else:
            return redirect("desk:oversight:inspection", inspection.pk)
    status = 422 if request.method == "POST" else 200
    context = {"group": group, "form": form, "manages": manages(request.user, group)}
    return render(request, "oversight/plan_inspection.html", context, status=status)


def _finding_form(request: HttpRequest, inspection: Inspection, bound: bool) -> FindingForm:
    return FindingForm(
        request.POST if bound else None,
        request.FILES if bound else None,
        communes=inspection.communes.all(),
        agencies=selectors.agencies_to_act(inspection),
        fields=selectors.staffed_fields(),
    )


def _page(
    request: HttpRequest,
    inspection_id: int,
    *,
    conclusion: ConclusionForm | None = None,
    finding: FindingForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    inspection = selectors.inspection_with_findings(user, inspection_id)
    may_write = manages(user, inspection.group)
    state = inspection.state
    context = {
        "inspection": inspection,
        "group": inspection.group,
        "findings": selectors.findings_with_evidence(user, inspection.pk),
        "directives": _directive_rows(user, inspection.pk),
        "manages": may_write,
        "error": error,
        "other_participants": [
            line.strip() for line in inspection.other_participants.splitlines() if line.strip()
        ],
        "conclusion_form": conclusion
        or (ConclusionForm() if state == Inspection.State.IN_PROGRESS else None),
        "finding_form": finding
        or (
            _finding_form(request, inspection, bound=False)
            if state == Inspection.State.IN_PROGRESS
            else None
        ),
    }
    return render(request, "oversight/inspection_detail.html", context, status=status)


@login_required
def inspection_detail(request: HttpRequest, inspection_id: int) -> HttpResponse:
    return _page(request, inspection_id)


@login_required
@require_POST
def start_inspection(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = selectors.get_inspection(request.user, inspection_id)
    try:
        services.start_inspection(request.user, inspection)
    except DomainError as failure:
        return _page(request, inspection_id, error=failure.detail, status=failure.status)
    return redirect("desk:oversight:inspection", inspection.pk)


@login_required
@require_POST
def conclude_inspection(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = selectors.get_inspection(request.user, inspection_id)
    form = ConclusionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.conclude_inspection(
                request.user,
                inspection,
                number=data["number"],
                date=data["date"],
                summary=data["summary"],
                text=data["text"],
            )
        except DomainError as failure:
            form.add_error(None, failure.detail)
        else:
            return redirect("desk:oversight:inspection", inspection.pk)
    return _page(request, inspection_id, conclusion=form, status=422)


@login_required
@require_POST
def record_finding(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = selectors.inspection_with_findings(request.user, inspection_id)
    form = _finding_form(request, inspection, bound=True)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_finding(
                request.user,
                inspection,
                services.FindingSpec(
                    commune=data["commune"],
                    category=data["category"],
                    text=data["text"],
                    agency_to_act=data["agency_to_act"],
                    field=data["field"],
                    field_text=data["field_text"],
                    links=form.links(),
                    papers=data["papers"],
                ),
            )
        except DomainError as failure:
            form.add_error(None, failure.detail)
        else:
            return redirect(_findings_anchor(inspection.pk))
    return _page(request, inspection_id, finding=form, status=422)


def _findings_anchor(inspection_id: int) -> str:
    return reverse("desk:oversight:inspection", args=[inspection_id]) + "#findings"


@login_required
def finding_paper(
    request: HttpRequest, inspection_id: int, finding_id: int, paper_id: int
) -> FileResponse:
    paper = selectors.finding_paper(request.user, inspection_id, finding_id, paper_id)
    return paper_response(paper)


def _directive_rows(user, inspection_id: int) -> list[tuple]:
    """(directive, status label, drawn under its directive) for each directive the user sees:
    each sub-task right under its directive, in the order they were issued. A sub-task whose
    directive the user does not see is a row of its own, naming that directive in plain text
    (issue 15: an agency sees the directives it leads or supports, a commune its own)."""
    directives = list(selectors.visible_directives(user, inspection_id=inspection_id))
    seen = {d.pk for d in directives}

    def order(directive) -> tuple:
        under = directive.parent_id in seen
        return (directive.parent_id if under else directive.pk, under, directive.pk)

    return [
        (d, STATUS_LABELS[selectors.directive_status(d)], d.parent_id in seen)
        for d in sorted(directives, key=order)
    ]
