"""What the worker does about the communes' reports: remind a commune that has not submitted,
a few days before the due day and again once it has passed (``schedule.reminder_due``).

For each template's newest version, the periods whose due day is near or recently passed
(``CATCH_UP`` days back: a commune still silent after that is the province's telephone call,
not a reminder), and each commune expected to file with nothing submitted: the report is made
if it is not there yet (``filing.ensure_report``, not opened: its cells are read when the
commune opens it), the commune's officers are told (``ReportNotice``, kind ``before_due`` or
``overdue``) and one ``REMINDED`` event is appended per kind, its note the kind.

Idempotent: each reminder is taken under the report's row lock (SKIP LOCKED: a second worker
passes it by), after checking that its event is not there yet; notices are unique per
recipient, report, kind and round. However often it runs, and however many run at once,
nothing is sent or written twice.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.periods import Period
from haicap.reports import schedule, selectors
from haicap.reports.models import Report, ReportEvent, ReportTemplate
from haicap.reports.schedule import Reminder
from haicap.reports.services.common import commune_staff, notify
from haicap.reports.services.filing import ensure_report
from haicap.units.models import AdministrativeUnit

CATCH_UP = dt.timedelta(days=31)  # an overdue reminder is sent up to this long after the due day
WORKER = "worker"


@dataclass
class ReminderCounts:
    before_due: int = 0  # reports reminded of
    overdue: int = 0
    notices: int = 0  # officers told


def _periods(template: ReportTemplate, today: dt.date) -> list[Period]:
    """The periods whose reminders may be due today: due from ``CATCH_UP`` days ago to
    ``REMIND_BEFORE_DAYS`` days ahead."""
    # a period due CATCH_UP days ago ended due_days before that
    earliest_end = today - CATCH_UP - dt.timedelta(days=template.due_days)
    found = []
    for period in schedule.periods_between(template.kind, earliest_end, today):
        due = selectors.deadlines(template, period).due
        if today - CATCH_UP <= due <= today + dt.timedelta(days=schedule.REMIND_BEFORE_DAYS):
            found.append(period)
    return found


def _reminded(report: Report, kind: Reminder) -> bool:
    return report.events.filter(kind=ReportEvent.Kind.REMINDED, note=kind.value).exists()


def _reminded_in(template: ReportTemplate, period: Period) -> set[tuple[int, str]]:
    """The (commune, kind) reminders sent for the period already (one query, so a run that
    finds nothing to do reads little)."""
    return set(
        ReportEvent.objects.filter(
            kind=ReportEvent.Kind.REMINDED,
            report__template_code=template.code,
            report__period_start=period.start,
        ).values_list("report__unit_id", "note")
    )


def _remind(
    code: str, unit: AdministrativeUnit, period: Period, kind: Reminder, now: dt.datetime
) -> int | None:
    """Remind the commune once of its report; the officers told, or None when it was done
    already (or another worker holds the report, or it was submitted meanwhile)."""
    report = ensure_report(code, unit, period)
    with transaction.atomic():
        report = Report.objects.select_for_update(skip_locked=True).filter(pk=report.pk).first()
        if report is None or report.first_submitted_at is not None or _reminded(report, kind):
            return None
        sent = notify(commune_staff(unit.pk), report, kind.value, round=1, at=now)
        ReportEvent.objects.create(
            report=report, kind=ReportEvent.Kind.REMINDED, at=now, note=kind.value
        )
        record_change("report.reminded", report, after={"kind": kind.value, "recipients": sent})
        return sent


def run_reminders(now: dt.datetime | None = None) -> ReminderCounts:
    now = now or clock.now()
    today = selectors.local_day(now)
    counts = ReminderCounts()
    every = ReportTemplate.objects.order_by("code", "version")
    for versions in selectors.by_code(every).values():
        latest = versions[-1]
        for period in _periods(latest, today):
            # None before the template's first version, or for a period of another kind
            template = selectors.version_for(versions, period)
            if template is None:
                continue
            limits = selectors.deadlines(template, period)
            done = _reminded_in(template, period)
            for row in selectors.standings(template, period, today):
                submitted = row.report is not None and row.report.first_submitted_at is not None
                kind = schedule.reminder_due(limits, submitted, today)
                if kind is None or (row.unit.pk, kind.value) in done:
                    continue
                sent = _remind(template.code, row.unit, period, kind, now)
                if sent is None:
                    continue
                counts.notices += sent
                if kind == Reminder.BEFORE_DUE:
                    counts.before_due += 1
                else:
                    counts.overdue += 1
    return counts


def run_scheduled() -> str:
    """The scheduled job: one round under the worker's name in the audit log."""
    from haicap.core.context import acting_as

    with acting_as(WORKER):
        counts = run_reminders()
    return (
        f"{counts.before_due} reports reminded before their due day, {counts.overdue} past it, "
        f"{counts.notices} officers told"
    )
