from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from haicap.catalog import procedure_sheet
from haicap.catalog.services import import_procedures
from haicap.core.context import acting_as
from haicap.core.errors import DomainError
from haicap.core.sheets import UnreadableSheet, read_rows


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
            header, rows = read_rows(path.name, path.read_bytes())
            parsed = procedure_sheet.parse_rows(rows, header)
            with acting_as("import_procedures"):
                created, updated = import_procedures(None, parsed)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        except UnreadableSheet as error:
            raise CommandError(str(error)) from error
        except procedure_sheet.SheetError as error:
            raise CommandError(
                f"{len(error.problems)} problem(s), nothing imported: " + "; ".join(error.problems)
            ) from error
        except DomainError as error:
            raise CommandError(f"nothing imported: {error.detail}") from error
        self.stdout.write(f"{created} procedures created, {updated} updated")
