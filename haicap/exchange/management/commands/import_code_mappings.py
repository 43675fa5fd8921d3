from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from haicap.core.context import acting_as
from haicap.core.errors import DomainError
from haicap.core.sheets import UnreadableSheet, read_rows
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
            header, rows = read_rows(path.name, path.read_bytes())
            with acting_as("import_code_mappings"):
                created, updated, released = import_mappings(
                    None, mapping_sheet.parse_rows(rows, header)
                )
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        except UnreadableSheet as error:
            raise CommandError(str(error)) from error
        except mapping_sheet.SheetError as error:
            raise CommandError(
                f"{len(error.problems)} problem(s), nothing imported: " + "; ".join(error.problems)
            ) from error
        except DomainError as error:
            raise CommandError(f"nothing imported: {error.detail}") from error
        self.stdout.write(
            f"{created} mappings created, {updated} updated, {released} held messages released"
        )
