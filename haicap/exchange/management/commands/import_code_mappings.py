from functools import partial
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from haicap.core.context import acting_as
from haicap.core.sheet_import import NothingImported, import_sheet_file
from haicap.exchange import mapping_sheet
from haicap.exchange.services import import_mappings


class Command(BaseCommand):
    help = (
        "Import code mappings (columns target, kind, local_code, national_code, note) from .csv "
        "or .xlsx. All or nothing; then the messages held for a missing code go out."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]
        try:
            with acting_as("import_code_mappings"):
                created, updated, released = import_sheet_file(
                    path, mapping_sheet.parse_rows, partial(import_mappings, None)
                )
        except NothingImported as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(
            f"{created} mappings created, {updated} updated, {released} held messages released"
        )
