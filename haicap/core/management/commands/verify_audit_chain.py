from django.core.management.base import BaseCommand, CommandError

from haicap.core.audit import verify_chain
from haicap.core.models import AuditRecord


class Command(BaseCommand):
    help = "Check every link of the audit log's hash chain; name the first broken one."

    def handle(self, *args: object, **options: object) -> None:
        broken = verify_chain()
        if broken is not None:
            raise CommandError(f"audit chain broken at record {broken.seq}: {broken.reason}")
        count = AuditRecord.objects.count()
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {count} records"))
