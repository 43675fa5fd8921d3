from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from haicap.core.context import acting_as
from haicap.core.sheet_import import NothingImported
from haicap.staffing.staff_import import import_files, summary


class Command(BaseCommand):
    help = (
        "Import positions, officers, norms and travel times from one .xlsx workbook or several "
        ".csv/.xlsx files, shaped like the template the desk's import page offers. All or "
        "nothing: every problem is reported (sheet, row, column) and nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")

    def handle(self, *args: object, **options: object) -> None:
        files = []
        for path in options["files"]:
            try:
                files.append((path.name, path.read_bytes()))
            except OSError as error:
                raise CommandError(
                    _("cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
                ) from error
        try:
            with acting_as("import_staff"):
                report = import_files(None, files)
        except NothingImported as refused:
            raise CommandError(str(refused)) from refused
        for line in summary(report):
            self.stdout.write(line)
