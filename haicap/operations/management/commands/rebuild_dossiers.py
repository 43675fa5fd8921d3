from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from haicap.core.audit import record_change
from haicap.core.context import acting_as
from haicap.dossiers.history import STATE_FIELDS, differences, rebuild
from haicap.dossiers.models import Dossier
from haicap.kpi import services as kpi


class Command(BaseCommand):
    help = (
        "Rebuild each dossier's state from its events and report every difference with the "
        "stored row; --apply writes the rebuilt state (audited)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="store the rebuilt state")
        parser.add_argument("--code", help="only this dossier")

    def handle(self, *args: object, **options: object) -> None:
        dossiers = Dossier.objects.select_related("template", "procedure", "competent_agency__unit")
        if options["code"]:
            dossiers = dossiers.filter(code=options["code"])
        checked = differing = 0
        for dossier in dossiers.order_by("pk").iterator(chunk_size=500):
            checked += 1
            found = differences(dossier)
            if not found:
                continue
            differing += 1
            for difference in found:
                self.stdout.write(
                    f"{dossier.code}: {difference.field} stored {difference.stored!r}, "
                    f"events give {difference.rebuilt!r}"
                )
            if options["apply"]:
                self._apply(dossier, found)
        self.stdout.write(f"{checked} dossiers checked, {differing} differ from their events")
        if differing and not options["apply"]:
            raise CommandError(f"{differing} dossiers differ from their events")

    def _apply(self, dossier: Dossier, found: list) -> None:
        with transaction.atomic(), acting_as("rebuild_dossiers"):
            rebuilt = rebuild(dossier)
            before = kpi.facts_of(dossier)
            for name in STATE_FIELDS:
                setattr(dossier, name, getattr(rebuilt, name))
            dossier.save(update_fields=[f.removesuffix("_id") for f in STATE_FIELDS])
            kpi.record(before, kpi.facts_of(dossier))  # the figures follow the corrected row
            record_change(
                "dossier.rebuilt",
                dossier,
                before={d.field: d.stored for d in found},
                after={d.field: d.rebuilt for d in found},
            )
