from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from haicap.assets.asset_import import import_file, summary
from haicap.core.context import acting_as
from haicap.core.sheet_import import NothingImported


class Command(BaseCommand):
    help = (
        "Import the register of public assets from one .xlsx workbook (or a .csv file) shaped "
        "like the template the desk's import page offers. All or nothing: every problem of every "
        "row is reported (sheet, row, column) on one line and nothing is saved. A row whose "
        "identifier is registered corrects that asset; any other enters a new one."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE")

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
            ) from error
        try:
            with acting_as("import_assets"):
                report = import_file(None, path.name, content)
        except NothingImported as refused:
            raise CommandError(str(refused)) from refused
        for line in summary(report):
            self.stdout.write(line)
