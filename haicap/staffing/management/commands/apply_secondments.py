from django.core.management.base import BaseCommand

from haicap.core.context import acting_as
from haicap.staffing.effect import apply_secondments
from haicap.staffing.warnings import send_warnings


class Command(BaseCommand):
    help = (
        "Give the seconded officers' accounts their role at the host for the secondments "
        "running today, and take back the roles of those that ended or are no longer in an "
        "approved plan; then send the warnings of secondments ending soon and of one-stop desk "
        "postings due for rotation. What the worker does every night; safe to run at any time, "
        "as often as wanted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-warnings", action="store_true", help="only the roles, no warnings sent"
        )

    def handle(self, *args: object, **options: object) -> None:
        with acting_as("apply_secondments"):
            done = apply_secondments()
            for grant in done.granted:
                self.stdout.write(
                    f"granted {grant.role} at {grant.agency} to {grant.user} "
                    f"(secondment {grant.secondment_id})"
                    + (" (already held: kept at the end)" if grant.already_held else "")
                )
            for grant in done.taken_back:
                self.stdout.write(
                    f"took back {grant.role} at {grant.agency} from {grant.user} "
                    f"(secondment {grant.secondment_id})"
                    + (" (held before: the membership stays)" if grant.already_held else "")
                )
            self.stdout.write(str(done))
            if not options["no_warnings"]:
                self.stdout.write(str(send_warnings(done.on)))
