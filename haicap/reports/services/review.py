"""The province's decision on a submitted report: approved, or returned with a note saying
what to correct. Either is recorded with who decided and when; the commune is told."""

from django.db import transaction

from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.errors import Conflict, InvalidInput, PermissionDenied
from haicap.reports import permissions
from haicap.reports.models import Report, ReportEvent
from haicap.reports.services.common import commune_staff, notify

MAX_NOTE = 2000


def _decidable(user: object, report: Report) -> Report:
    if not permissions.may_review(user):
        raise PermissionDenied("only the province's reviewers decide on a report")
    report = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
    if report.state != Report.State.SUBMITTED:
        raise Conflict("only a submitted report awaiting the province is decided on")
    return report


def _decide(user: object, report: Report, state: str, kind: str, note: str) -> Report:
    now = clock.now()
    submission = report.submissions.order_by("-number").first()
    report.state, report.decided_at = state, now
    report.version += 1
    report.save(update_fields=["state", "decided_at", "version"])
    ReportEvent.objects.create(
        report=report, kind=kind, at=now, actor=user, submission=submission, note=note
    )
    record_change(f"report.{kind}", report, actor=user, after={"note": note})
    notify(commune_staff(report.unit_id), report, kind, round=submission.number, at=now)
    return report


def approve(user: object, report: Report, note: str = "") -> Report:
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"a note has at most {MAX_NOTE} characters")
    with transaction.atomic():
        report = _decidable(user, report)
        return _decide(user, report, Report.State.APPROVED, ReportEvent.Kind.APPROVED, note)


def return_for_correction(user: object, report: Report, note: str) -> Report:
    """Return the report: the note says what to correct (required)."""
    note = note.strip()
    if not note:
        raise InvalidInput("say what the commune should correct")
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"a note has at most {MAX_NOTE} characters")
    with transaction.atomic():
        report = _decidable(user, report)
        return _decide(user, report, Report.State.RETURNED, ReportEvent.Kind.RETURNED, note)
