"""The reports' notices (due soon, past the due day, submitted, returned, approved) on the
officer's desk (``core.notices``), registered from ``ReportsConfig.ready()``."""

from django.urls import reverse

from haicap.core.notice_rows import stored_notices
from haicap.core.periods import Period
from haicap.reports.labels import period_name
from haicap.reports.models import ReportNotice

URGENT = frozenset({ReportNotice.Kind.OVERDUE, ReportNotice.Kind.RETURNED})


def _describe(row: ReportNotice) -> tuple[str, str, bool]:
    report = row.report
    period = period_name(report.template.kind, Period(report.period_start, report.period_end))
    subject = f"{report.template.name} · {report.unit.name} · {period}"
    url = reverse("desk:reports:report", args=[report.pk])
    return subject, url, row.kind in URGENT


REPORT_NOTICES = stored_notices(
    "reports", ReportNotice, ("report__template", "report__unit"), _describe
)
