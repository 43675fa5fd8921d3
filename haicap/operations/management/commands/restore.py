from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from haicap.operations.backup import BackupError
from haicap.operations.restore import restore_backup


class Command(BaseCommand):
    help = (
        "Restore the backup in folder SRC into the configured database, which must be empty, "
        "then verify row counts, the audit chains and the figures against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("src", help="a backup folder written by the backup command")

    def handle(self, *args: object, **options: object) -> None:
        try:
            manifest = restore_backup(Path(str(options["src"])))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"restored and verified: {len(manifest.row_counts)} tables, "
            f"{sum(manifest.row_counts.values())} rows, {len(manifest.files)} files "
            f"from the backup of {manifest.created_at}"
        )
