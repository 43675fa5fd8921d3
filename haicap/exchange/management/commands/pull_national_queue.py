import time

from django.core.management.base import BaseCommand, CommandError

from haicap.core.context import acting_as
from haicap.core.errors import DomainError
from haicap.exchange.inbound.http import Unreachable, number_setting
from haicap.exchange.inbound.pull import NotConfigured, pull_once

DEFAULT_INTERVAL_SECONDS = 60.0


class Command(BaseCommand):
    help = (
        "Receive the dossiers filed on the national public-service portal that wait in its "
        "queue, each exactly once, and acknowledge them. Repeats every "
        "HAICAP_NATIONAL_QUEUE_INTERVAL_SECONDS (60) until stopped, or once with --once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one round, then exit")

    def handle(self, *args: object, **options: object) -> None:
        interval = number_setting(
            "HAICAP_NATIONAL_QUEUE_INTERVAL_SECONDS", DEFAULT_INTERVAL_SECONDS
        )
        while True:
            try:
                with acting_as("pull_national_queue"):
                    report = pull_once()
            except NotConfigured as error:
                raise CommandError(str(error)) from error
            except (Unreachable, DomainError) as error:
                if options["once"]:
                    raise CommandError(f"the national queue was not emptied: {error}") from error
                self.stderr.write(f"national queue: {error}; trying again in {interval:g} s")
            else:
                self.stdout.write(f"national queue: {report}")
                for problem in report.problems:
                    self.stderr.write(f"  skipped: {problem}")
            if options["once"]:
                return
            time.sleep(interval)
