import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.context import acting_as
from haicap.exchange.messages import NATIONAL_PORTAL
from haicap.exchange.services import reconcile_now


class Command(BaseCommand):
    help = (
        "Compare, for a day (yesterday by default), the messages haicap sent a national system "
        "with what that system holds; list every difference and send again what it is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", help="YYYY-MM-DD (default: yesterday, Vietnam time)")
        parser.add_argument("--target", default=NATIONAL_PORTAL)

    def handle(self, *args: object, **options: object) -> None:
        try:
            day = (
                dt.date.fromisoformat(options["day"])
                if options["day"]
                else clock.now().astimezone(VIETNAM).date() - dt.timedelta(days=1)
            )
        except ValueError as error:
            raise CommandError(f"--day must be YYYY-MM-DD, not {options['day']!r}") from error
        with acting_as("reconcile"):
            result = reconcile_now(None, options["target"], day)
        if result.error:
            raise CommandError(f"{options['target']} cannot be reached: {result.error}")
        self.stdout.write(
            f"{day:%d/%m/%Y} {options['target']}: {result.local_count} here, "
            f"{result.remote_count} there, {len(result.differences)} differences, "
            f"{result.resent} sent again"
        )
