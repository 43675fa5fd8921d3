import datetime as dt

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_q.models import Schedule

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.audit import run_anchor
from haicap.dossiers.deadlines import run_sweep
from haicap.exchange.connector import connector_for
from haicap.exchange.delivery import deliver, targets
from haicap.feedback.deadlines import run_warnings as run_petition_deadlines
from haicap.kpi.services import close_months
from haicap.operations.services import record_heartbeat
from haicap.oversight.deadlines import run_warnings
from haicap.reports.reminders import run_scheduled as run_report_reminders
from haicap.staffing.effect import run_scheduled as run_secondments

SWEEP = "haicap.dossiers.deadlines.run_sweep"
DELIVERY = "haicap.exchange.delivery.run_scheduled"
RECONCILIATION = "haicap.exchange.services.reconcile_yesterday"
MONTH_CLOSE = "haicap.kpi.services.close_months"
DIRECTIVE_WARNINGS = "haicap.oversight.deadlines.run_warnings"
PAYMENTS = "haicap.payments.services.run_scheduled"
PAYMENT_RECONCILIATION = "haicap.payments.services.reconcile_yesterday"
SECONDMENTS = "haicap.staffing.effect.run_scheduled"
PETITION_DEADLINES = "haicap.feedback.deadlines.run_warnings"
REPORT_REMINDERS = "haicap.reports.reminders.run_scheduled"
AUDIT_ANCHOR = "haicap.core.audit.run_anchor"
HEARTBEAT = "haicap.operations.services.record_heartbeat"


def _tonight() -> dt.datetime:
    """02:00 tonight, Vietnam time: after the day's last events, before the desks open."""
    tomorrow = clock.now().astimezone(VIETNAM).date() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time(2, 0), tzinfo=VIETNAM)


def schedule_jobs() -> None:
    """The worker's recurring jobs, made or brought up to date (django-q runs them)."""
    # Every minute, the heartbeat /healthz reads: a job run, so the scheduler and the job
    # processes both show they work.
    _every_minute("worker heartbeat", HEARTBEAT, next_run=clock.now())
    _every_minute("deadline sweep", SWEEP)
    # Every minute, an anchor of the audit log's chain heads: cutting records off a chain's end
    # is found once an anchor names them (nothing is written when no chain moved).
    _every_minute("audit anchor", AUDIT_ANCHOR)
    # Each run delivers (polling every few seconds) for most of a minute, then the next
    # run takes over; a killed run's claims come back when their lease runs out.
    _every_minute("outbox delivery", DELIVERY, next_run=clock.now())
    # Every night, yesterday against each national system (a missed night runs at start).
    _every_night("daily reconciliation", RECONCILIATION)
    # Every night, the balances of a month that has ended (most nights there is none).
    _every_night("month-end figures", MONTH_CLOSE)
    # Every night, the directives due within a few working days or past their deadline (a
    # directive's deadline is a day, so once a day is enough).
    _every_night("directive warnings", DIRECTIVE_WARNINGS)
    # Every minute, ask the gateway about unconfirmed fees (a lost confirmation), pause the
    # dossiers whose fee is unpaid and resume those paid; every night, yesterday's statement.
    _every_minute("online payments", PAYMENTS)
    _every_night("payment reconciliation", PAYMENT_RECONCILIATION)
    # Every night, the roles of the secondments starting or ending that day (a secondment
    # runs by whole days), then the warnings of those ending soon and of desk postings due
    # for rotation.
    _every_night("secondments in effect", SECONDMENTS)
    # Every night, the petitions due within two working days (their officer is warned), past
    # their legal deadline (their agency's leaders are told), and answered long enough ago
    # without a word from the sender (closed).
    _every_night("petition deadlines", PETITION_DEADLINES)
    # Every night, the communes' periodic reports due within a few days or past their due
    # day and not submitted (a report's deadline is a day, so once a day is enough).
    _every_night("report reminders", REPORT_REMINDERS)


def _every_minute(name: str, func: str, **first: object) -> None:
    Schedule.objects.update_or_create(
        name=name,
        defaults={
            "func": func,
            "schedule_type": Schedule.MINUTES,
            "minutes": 1,
            "repeats": -1,
            **first,
        },
    )


def _every_night(name: str, func: str) -> None:
    Schedule.objects.update_or_create(
        name=name,
        defaults={
            "func": func,
            "schedule_type": Schedule.DAILY,
            "repeats": -1,
            "next_run": _tonight(),
        },
    )


class Command(BaseCommand):
    help = (
        "Run haicap's background work: every minute, anchor the audit log's chains, warn of "
        "dossiers due soon, mark and escalate overdue ones, draft apology letters; all the time, "
        "send the outbox to the national systems; every minute, settle online fees; every night, "
        "reconcile yesterday with them and with the payment gateway, close the figures of a month "
        "that has ended, warn of directives due soon or overdue, give and take back the roles of "
        "secondments starting and ending, warn of secondments ending soon and desk postings due "
        "for rotation, warn the officer in charge of a petition due within two working days, tell "
        "the agency's leaders of one past its legal deadline, close the answered petitions their "
        "senders left unchallenged, and remind the communes of periodic reports due soon or past "
        "their due day. Safe to stop and restart at any time; several workers may run at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="one sweep and one delivery round now, then exit"
        )

    def handle(self, *args: object, **options: object) -> None:
        record_heartbeat()
        # Catch up at once after a stop, before the schedule's first turn.
        self.stdout.write(f"audit anchor: {run_anchor()}")
        self.stdout.write(f"deadline sweep: {run_sweep()}")
        self.stdout.write(f"months closed in the figures: {close_months()}")
        self.stdout.write(f"directive warnings: {run_warnings()}")
        self.stdout.write(f"secondments in effect: {run_secondments()}")
        self.stdout.write(f"petition deadlines: {run_petition_deadlines()}")
        self.stdout.write(f"report reminders: {run_report_reminders()}")
        if options["once"]:
            for target in targets():
                self.stdout.write(f"delivery to {target}: {deliver(target, connector_for(target))}")
            return
        schedule_jobs()
        call_command("qcluster")
