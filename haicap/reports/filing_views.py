"""The commune's pages: the reports it files, one report written, saved, its figures read again
and submitted, and each submission as it was.

Every read starts from the reader's scope (``selectors``): a report out of it is a 404, as one
that does not exist. A form refused comes back with what was typed in it and each error beside
its cell; nothing saved is lost. Save, "read the figures again" and submit are buttons of one
form, so what was typed is saved before the figures are read again, or saved and submitted
in one step under one lock (nobody's save slips in between). The form carries the report's
version: one drawn before another officer's save is refused (409), shown again with what was
typed and what is saved now, so the reader re-applies their changes knowingly. Submit waits for
the period's end: before it the page greys it out and says from when.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from haicap.core.converters import record_id
from haicap.core.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from haicap.core.periods import Period
from haicap.reports import labels, permissions, schedule, selectors, values
from haicap.reports.definition import Kind
from haicap.reports.filing_forms import OpenForm, ReportForm
from haicap.reports.models import Report, ReportEvent, ReportNotice
from haicap.reports.services import filing

WRITABLE = (Report.State.DRAFT, Report.State.RETURNED)
WORKER = gettext_lazy("haicap, automatically")
STALE = gettext_lazy(
    "Another officer saved this report after you opened the page: nothing of yours was saved. "
    "What you typed is shown below, and beside each cell that differs, what is saved now. "
    "Check them, then save again."
)
# The desk's status colours (site.css) for each state.
STATE_STATUS = {
    Report.State.DRAFT: "in_progress",
    Report.State.SUBMITTED: "in_progress",
    Report.State.RETURNED: "overdue",
    Report.State.APPROVED: "done_on_time",
}


def _refusal(failure: DomainError) -> str:
    """Why a write was refused, in the reader's language (the services say it in English)."""
    if isinstance(failure, Conflict) and "current_version" in failure.extra:
        return str(STALE)
    if isinstance(failure, Conflict):
        return _(
            "This report cannot be changed now (it was submitted, or it is not open yet):"
            " nothing was changed."
        )
    if isinstance(failure, PermissionDenied):
        return _("You may read this report, not write it: nothing was changed.")
    return str(failure.title)


# --- the reports the commune files --------------------------------------------------------------


def _period_row(user: object, row: selectors.PeriodRow) -> dict:
    report = row.report
    writes = permissions.may_write_for(user, row.unit.pk)
    opened = report is not None and report.opened_at is not None
    return {
        "row": row,
        "period": labels.period_name(row.template.kind, row.period),
        "standing": labels.STANDING_LABELS[row.standing],
        "status": labels.STANDING_STATUS[row.standing],
        "state": report.get_state_display() if opened else _("Not opened yet"),
        # open (or continue) it: the commune's writers, while it is theirs to write
        "opens": writes and (not opened or report.state in WRITABLE),
        "continues": opened and report.state in WRITABLE,
        "reads": opened,
    }


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    filed = selectors.commune_periods(user, selectors.today(), filing.OPEN_BEFORE_END)
    context = {
        "templates": [
            {"template": t.template, "rows": [_period_row(user, r) for r in t.rows]} for t in filed
        ],
        "communes": selectors.own_communes(user),
        "province": selectors.reads_every_commune(user),
    }
    return render(request, "reports/mine.html", context)


@login_required
@require_POST
def open_report(request: HttpRequest) -> HttpResponse:
    form = OpenForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(_("This report cannot be opened: choose it from the list."))
    data = form.cleaned_data
    # each refusal (not yet, not filed by the commune, not theirs) says why in its own words
    report = filing.open_report(request.user, data["template"], data["unit"], data["start"])
    return redirect("desk:reports:report", report_id=report.pk)


# --- one report -----------------------------------------------------------------------------------


def _note(event: ReportEvent) -> str:
    """An event's note as people read it: a reminder's note is its kind, said in words."""
    if event.kind == ReportEvent.Kind.REMINDED and event.note in ReportNotice.Kind.values:
        return str(ReportNotice.Kind(event.note).label)
    return event.note


def _event_rows(report: Report) -> list[dict]:
    return [
        {
            "event": event,
            "kind": event.get_kind_display(),
            "actor": str(event.actor) if event.actor else WORKER,
            "number": event.submission.number if event.submission else None,
            "note": _note(event),
        }
        for event in selectors.history(report)
    ]


def _page(
    request: HttpRequest,
    report: Report,
    form: ReportForm | None = None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The report's page: its cells as a form while the reader may write it, read-only
    otherwise; ``form``: the one posted, with its errors and what was typed."""
    user = request.user
    template = report.template
    period = Period(report.period_start, report.period_end)
    editable = (
        report.opened_at is not None
        and report.state in WRITABLE
        and permissions.may_write(user, report)
    )
    if form is None:
        form = ReportForm(
            template.parsed, filing.entries_of(report), more=request.GET.getlist("more")
        )
    reviews = permissions.may_review(user) and report.state == Report.State.SUBMITTED
    submit_from = schedule.submit_from(period)
    context = {
        "report": report,
        "state_status": STATE_STATUS.get(report.state, "in_progress"),
        "template": template,
        "period": labels.period_name(template.kind, period),
        "limits": selectors.deadlines(template, period),
        "form": form,
        "sections": form.sections(),
        "editable": editable,
        "submits": editable and permissions.may_submit(user, report),
        # before the period has ended Submit is shown greyed out, with the day it opens
        "submit_waits": selectors.today() < submit_from,
        "submit_from": submit_from,
        "opens": report.opened_at is None and permissions.may_write(user, report),
        "returned": selectors.returned_note(report),
        "events": _event_rows(report),
        "submissions": list(selectors.submissions_of(report)),
        "reviews": reviews,
        # the records behind a figure are the commune's: its officers and the province's
        # supervisors open them; a reviewer of another agency would find an empty list
        "opens_records": permissions.opens_records(user, report),
        "error": error,
        "Kind": {k.name: k.value for k in Kind},
    }
    return render(request, "reports/report.html", context, status=status)


@login_required
def detail(request: HttpRequest, report_id: int) -> HttpResponse:
    return _page(request, selectors.get_report(request.user, report_id))


def _version(request: HttpRequest) -> int:
    """The version the form was drawn from; a form without one is as stale as an old one."""
    return record_id(request.POST.get("version")) or 0


def _refused(request: HttpRequest, report: Report, failure: DomainError) -> HttpResponse:
    """The page after a write refused as a whole (nothing saved): the report as it is now, and
    what was typed; when another officer saved meanwhile, the cells that differ marked."""
    current = selectors.get_report(request.user, report.pk)
    form = ReportForm(current.template.parsed, filing.entries_of(current), request.POST)
    if isinstance(failure, InvalidInput) and "errors" in failure.extra:
        form.refuse(failure.extra["errors"])
        return _page(request, current, form, status=422)
    if "current_version" in failure.extra:
        form.mark_differences()
    return _page(request, current, form, error=_refusal(failure), status=failure.status)


def _save_typed(request: HttpRequest, report: Report) -> HttpResponse | None:
    """Save what the form posted; the page with its errors when it cannot be (nothing saved,
    everything typed shown again), ``None`` once saved or when nothing was posted."""
    form = ReportForm(report.template.parsed, filing.entries_of(report), request.POST)
    if not form.posted:
        return None
    if not form.is_valid():
        return _page(request, report, form, status=422)
    try:
        filing.save(
            request.user, report, form.given, form.reasons, expected_version=_version(request)
        )
    except DomainError as failure:  # unreadable, stale, submitted meanwhile, not theirs
        return _refused(request, report, failure)
    return None


def _back(report: Report, anchor: str = "", **query: str) -> HttpResponse:
    url = reverse("desk:reports:report", kwargs={"report_id": report.pk})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return redirect(url + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def save(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.get_report(request.user, report_id)
    refused = _save_typed(request, report)
    if refused is not None:
        return refused
    messages.success(request, _("The report was saved."))
    # a table asked for more blank rows (the page works without a script)
    more = request.POST.get("more", "")
    cell = report.template.parsed.cell(more)
    if cell is not None and cell.kind == Kind.TABLE:
        return _back(report, f"cell-{more}", more=more)
    return _back(report)


@login_required
@require_POST
def refresh(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.get_report(request.user, report_id)
    refused = _save_typed(request, report)
    if refused is not None:
        return refused
    try:
        filing.refresh(request.user, report)
    except DomainError as failure:
        current = selectors.get_report(request.user, report_id)
        return _page(request, current, error=_refusal(failure), status=failure.status)
    messages.success(
        request, _("The figures were read again; the ones you changed keep your figure.")
    )
    return _back(report)


@login_required
@require_POST
def submit(request: HttpRequest, report_id: int) -> HttpResponse:
    user = request.user
    report = selectors.get_report(user, report_id)
    if not permissions.may_submit(user, report):
        raise PermissionDenied(_("Only the leader of the commune submits its report."))
    form = ReportForm(report.template.parsed, filing.entries_of(report), request.POST)
    if not form.is_valid():
        return _page(request, report, form, status=422)
    try:
        # what was typed is saved and submitted in one step, under one lock
        submission = filing.submit(
            user,
            report,
            given=form.given,
            reasons=form.reasons,
            expected_version=_version(request),
        )
    except InvalidInput as stopped:
        if "errors" in stopped.extra:  # nothing saved
            return _refused(request, report, stopped)
        # what was typed is saved; the page shows it, and what stops the submission
        current = selectors.get_report(user, report_id)
        saved = ReportForm(current.template.parsed, filing.entries_of(current))
        saved.show_issues(stopped.extra.get("issues") or [])
        error = "" if "issues" in stopped.extra else stopped.detail
        return _page(request, current, saved, error=error, status=422)
    except DomainError as failure:
        return _refused(request, report, failure)
    messages.success(
        request,
        _("Submission %(number)d was sent to the province.") % {"number": submission.number},
    )
    return _back(report)


# --- a submission, as it was ------------------------------------------------------------------


@login_required
def submission(request: HttpRequest, report_id: int, number: int) -> HttpResponse:
    found = selectors.get_submission(request.user, report_id, number)
    report, template = found.report, found.template
    definition = template.parsed
    form = ReportForm(definition, values.from_json(definition, found.values))
    period = Period(report.period_start, report.period_end)
    context = {
        "submission": found,
        "report": report,
        "opens_records": permissions.opens_records(request.user, report),
        "template": template,
        "period": labels.period_name(template.kind, period),
        "sections": form.sections(),
        "decisions": [
            row
            for row in _event_rows(report)
            if row["event"].submission_id == found.pk
            and row["event"].kind in (ReportEvent.Kind.RETURNED, ReportEvent.Kind.APPROVED)
        ],
        "Kind": {k.name: k.value for k in Kind},
    }
    return render(request, "reports/submission.html", context)
