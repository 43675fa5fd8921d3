from functools import partial
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from haicap.catalog import procedure_sheet
from haicap.catalog.services import import_procedures
from haicap.core.context import acting_as
from haicap.core.sheet_import import NothingImported, import_sheet_file


class Command(BaseCommand):
    help = (
        "Import procedures from a .csv or .xlsx shaped like haicap/catalog/data/"
        "nghe-an-procedures.csv. All or nothing: every bad row is reported and nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]
        try:
            with acting_as("import_procedures"):
                created, updated = import_sheet_file(
                    path, procedure_sheet.parse_rows, partial(import_procedures, None)
                )
        except NothingImported as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(f"{created} procedures created, {updated} updated")
