"""The province's decision on a submitted report: approve it (a note is optional) or return it
for correction (the note says what to correct). POST only; the report's page carries the forms.

A report out of the reader's scope is a 404; a reader who may not decide (a commune's officer, a
supervisor) is refused with 403. A decision refused (the report was decided meanwhile, a note
missing or too long) comes back on a page of its own, saying why in the reader's language, with
the note as typed, so nothing is lost.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.core.errors import Conflict, DomainError, PermissionDenied
from haicap.core.periods import Period
from haicap.reports import permissions, selectors
from haicap.reports.labels import period_name
from haicap.reports.models import Report
from haicap.reports.province_forms import DecisionForm
from haicap.reports.services import review

APPROVE, RETURN = "approve", "return"


def _refusal(failure: DomainError) -> str:
    """Why a decision was refused, in the reader's language (the services word it in English
    for the log)."""
    if isinstance(failure, Conflict):
        return _(
            "This report is not waiting for a decision: it was decided already, or the "
            "commune has not submitted it again yet."
        )
    return _("The decision could not be recorded. Check the note and send it again.")


def _page(
    request: HttpRequest, report: Report, sent: str, form: DecisionForm, error: str, status: int
) -> HttpResponse:
    context = {
        "report": report,
        "period": period_name(report.template.kind, Period(report.period_start, report.period_end)),
        "state": dict(Report.State.choices)[report.state],
        "sent": sent,
        "form": form,
        "error": error,
    }
    return render(request, "reports/province/decision.html", context, status=status)


def _decide(request: HttpRequest, report_id: int, sent: str) -> HttpResponse:
    user = request.user
    report = selectors.get_report(user, report_id)  # NotFound out of the reader's scope
    if not permissions.may_review(user):
        raise PermissionDenied(_("Only the reviewers of the province approve or return a report."))
    form = DecisionForm(request.POST, note_required=sent == RETURN)
    if not form.is_valid():
        return _page(request, report, sent, form, "", 422)
    note = form.cleaned_data["note"]
    try:
        if sent == APPROVE:
            review.approve(user, report, note)
        else:
            review.return_for_correction(user, report, note)
    except PermissionDenied:
        raise
    except DomainError as failure:
        report = selectors.get_report(user, report_id)  # as it now is
        return _page(request, report, sent, form, _refusal(failure), failure.status)
    if sent == APPROVE:
        messages.success(request, _("The report was approved. The commune has been told."))
    else:
        messages.success(
            request, _("The report was returned to the commune for correction, with your note.")
        )
    return redirect("desk:reports:report", report_id=report.pk)


@login_required
@require_POST
def approve(request: HttpRequest, report_id: int) -> HttpResponse:
    return _decide(request, report_id, APPROVE)


@login_required
@require_POST
def return_report(request: HttpRequest, report_id: int) -> HttpResponse:
    return _decide(request, report_id, RETURN)
