from django.core.management.base import BaseCommand

from haicap.core.context import acting_as
from haicap.kpi.services import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the service figures from the dossiers, all at once in one transaction. The "
        "figures kept with each dossier change are the same; run it after loading dossiers "
        "outside the services, or to check (the two must agree)."
    )

    def handle(self, *args: object, **options: object) -> None:
        with acting_as("rebuild_kpi"):
            read = rebuild()
        self.stdout.write(f"figures rebuilt from {read} dossiers")
