from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from haicap.operations.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Write one backup of the configured database and the uploaded files into the new folder "
        "DEST, with a manifest of checksums, row counts and audit heads (docs/backups.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", help="a folder that does not exist yet")

    def handle(self, *args: object, **options: object) -> None:
        try:
            manifest = make_backup(Path(str(options["dest"])))
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest.row_counts.values())
        self.stdout.write(
            f"backup written to {options['dest']}: {len(manifest.row_counts)} tables, "
            f"{rows} rows, {len(manifest.files)} files; audit anchor {manifest.anchor or 'none'}"
        )
