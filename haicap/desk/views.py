"""The staff desk's home: the officer's work queues; and the leaders' and desks' review queues."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from haicap.accounts.selectors import memberships_of
from haicap.core import clock
from haicap.core.converters import record_id
from haicap.core.errors import DomainError
from haicap.core.scoping import scope_of
from haicap.desk.selectors import home_queues
from haicap.desk.timing import timed
from haicap.dossiers import selectors, services
from haicap.dossiers.downloads import paper_response
from haicap.oversight.selectors import directive_warnings
from haicap.payments import selectors as payment_selectors

QUEUES = (
    ("assigned", gettext_lazy("Assigned to me")),
    ("unassigned", gettext_lazy("Waiting for someone to take it up")),
    ("approaching", gettext_lazy("Due within a working day")),
    ("overdue", gettext_lazy("Overdue")),
    ("ready", gettext_lazy("Results ready to hand back")),
    ("approval", gettext_lazy("Awaiting my approval")),
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    counts, rows, submissions = home_queues(request.user, clock.now())
    sections = [
        {"name": name, "title": title, "count": counts[name], "rows": rows[name]}
        for name, title in QUEUES
    ]
    context = {
        "memberships": memberships_of(request.user),
        "scope": scope_of(request.user),
        "sections": sections,
        "submissions": submissions,
        "directive_warnings": directive_warnings(request.user),
    }
    return render(request, "desk/home.html", context)


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    rows = timed(selectors.approval_queue(request.user)[:100], clock.now())
    drafts = selectors.submitted_drafts([row.dossier for row in rows])
    return render(request, "desk/approvals.html", {"rows": rows, "drafts": drafts})


@login_required
@require_POST
def approval_decide(request: HttpRequest, code: str) -> HttpResponse:
    """One click approves; returning for rework needs a note."""
    decision = "approve" if request.POST.get("decision") == "approve" else "send_back"
    error, status = "", 200
    try:
        services.act(
            request.user,
            code,
            decision,
            expected_version=record_id(request.POST.get("version")),
            note=request.POST.get("note", ""),
        )
    except DomainError as failure:
        error, status = failure.detail, failure.status
    if not request.htmx:  # a plain form post (no script): back to the queue with the outcome
        done = _("Approved.") if decision == "approve" else _("Returned for rework.")
        _tell(request, error or done, error)
        return redirect("desk:approvals")
    dossier = selectors.get_dossier(request.user, code)
    context = {
        "row": timed([dossier], clock.now())[0],
        "drafts": selectors.submitted_drafts([dossier]),
        "error": error,
        "decision": decision,
    }
    return render(request, "desk/_approval_row.html", context, status=status)


@login_required
def submissions(request: HttpRequest) -> HttpResponse:
    pending = list(selectors.pending_submissions(request.user).prefetch_related("documents")[:100])
    listed = {s.pk for s in pending}  # a repeat links to the earlier filing's row when it is here
    # The desk layer reads the payments app (above dossiers, which must not import it).
    fees = payment_selectors.fees_of_submissions(request.user, pending)
    rows = [(s, fees[s.pk]) for s in pending]
    context = {"submissions": pending, "rows": rows, "listed": listed}
    return render(request, "desk/submissions.html", context)


@login_required
@require_POST
def submission_decide(request: HttpRequest, submission_id: int) -> HttpResponse:
    error, status, dossier = "", 200, None
    try:
        if request.POST.get("decision") == "accept":
            dossier = services.accept_submission(request.user, submission_id)
        else:
            services.return_submission(request.user, submission_id, request.POST.get("note", ""))
    except DomainError as failure:
        error, status = failure.detail, failure.status
    if not request.htmx:
        done = _("Accepted.") if request.POST.get("decision") == "accept" else _("Returned.")
        _tell(request, error or done, error)
        return redirect("desk:submissions")
    context = {"error": error, "dossier": dossier, "submission_id": submission_id}
    return render(request, "desk/_submission_outcome.html", context, status=status)


@login_required
def submission_document(request: HttpRequest, submission_id: int, document_id: int) -> FileResponse:
    return paper_response(
        selectors.submission_document_of(request.user, submission_id, document_id)
    )


def _tell(request: HttpRequest, text: str, error: str) -> None:
    (messages.error if error else messages.success)(request, text)
