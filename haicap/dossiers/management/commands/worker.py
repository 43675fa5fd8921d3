from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_q.models import Schedule

from haicap.dossiers.deadlines import run_sweep

SWEEP = "haicap.dossiers.deadlines.run_sweep"


class Command(BaseCommand):
    help = (
        "Run haicap's background work: every minute, warn of dossiers due soon, mark and "
        "escalate overdue ones, draft apology letters. Safe to stop and restart at any time; "
        "several workers may run at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one sweep now, then exit")

    def handle(self, *args: object, **options: object) -> None:
        # Catch up at once after a stop, before the schedule's first turn.
        self.stdout.write(f"deadline sweep: {run_sweep()}")
        if options["once"]:
            return
        Schedule.objects.update_or_create(
            name="deadline sweep",
            defaults={
                "func": SWEEP,
                "schedule_type": Schedule.MINUTES,
                "minutes": 1,
                "repeats": -1,
            },
        )
        call_command("qcluster")
