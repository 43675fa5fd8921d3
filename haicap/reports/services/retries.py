"""Submitting at most once per ``Idempotency-Key``: a retry of a submission whose answer was
lost gets the submission the first attempt made, not a refusal because the report is no longer
being written; the key sent to submit another report is refused.

The key is kept in the audit record of the submission (the report's one record of it), as the
capital plan's imports keep theirs, so no table is needed for it.
"""

from haicap.core.validators import check_text
from haicap.dossiers.services.retries import earlier_request, request_digest
from haicap.reports.models import Report, Submission

SUBMITTED = "report.submitted"


def fingerprint(report: Report) -> str:
    """What a submission asks for: that report, as it stands."""
    return request_digest(kind="report_submission", report=report.pk)


def earlier_submission(user: object, report: Report, key: str) -> Submission | None:
    """The submission an earlier request of ``user`` with ``key`` made, if any (call it with the
    report locked, so a retry waits for its first attempt to commit)."""
    check_text("idempotency_key", key)
    earlier = earlier_request(SUBMITTED, getattr(user, "pk", None), key, fingerprint(report))
    if earlier is None:
        return None
    return Submission.objects.get(report=report, number=earlier.after["submission"])


def remembered(report: Report, key: str) -> dict[str, str]:
    """What the submission's audit record keeps so that a retry finds it."""
    return {"idempotency_key": key, "request_digest": fingerprint(report)} if key else {}
