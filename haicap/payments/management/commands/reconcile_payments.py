import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.context import acting_as
from haicap.payments.services import reconcile


class Command(BaseCommand):
    help = (
        "Compare, for a day (yesterday by default), haicap's online payments with the payment "
        "gateway's statement, and list every difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", help="YYYY-MM-DD (default: yesterday, Vietnam time)")

    def handle(self, *args: object, **options: object) -> None:
        try:
            day = (
                dt.date.fromisoformat(options["day"])
                if options["day"]
                else clock.now().astimezone(VIETNAM).date() - dt.timedelta(days=1)
            )
        except ValueError as error:
            raise CommandError(f"--day must be YYYY-MM-DD, not {options['day']!r}") from error
        with acting_as("reconcile-payments"):
            run = reconcile(day)
        if run.error:
            raise CommandError(f"the payment gateway cannot be read: {run.error}")
        self.stdout.write(
            f"{day:%d/%m/%Y}: {run.local_count} paid here, {run.remote_count} at the gateway, "
            f"{len(run.differences)} differences"
        )
        for difference in run.differences:
            here, there = difference["here"] or {}, difference["there"] or {}
            self.stdout.write(
                f"  {difference['kind']} {difference['reference']}: "
                f"here {here.get('amount_vnd', '-')} {here.get('status', '-')} "
                f"{here.get('transaction_id') or '-'}; "
                f"there {there.get('amount_vnd', '-')} {there.get('status', '-')} "
                f"{there.get('transaction_id') or '-'}"
            )
