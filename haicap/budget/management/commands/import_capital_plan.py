from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.budget.permissions import arranges_capital
from haicap.budget.plan_import import import_file, summary
from haicap.core.context import acting_as
from haicap.core.sheet_import import NothingImported


class Command(BaseCommand):
    help = (
        "Import the capital plan (projects and their allocations) from one .xlsx workbook (or a "
        ".csv file of one of its sheets) shaped like the template the desk's import page offers. "
        "All or nothing: every problem of every row is reported (sheet, row, column) on one line "
        "and nothing is saved. The allocations are recorded in the ledger as entered by the "
        "Department of Finance's officer named with --by."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE")
        parser.add_argument(
            "--by",
            required=True,
            metavar="USERNAME",
            help="the Finance officer the ledger records the allocations as entered by",
        )

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]
        actor = User.objects.filter(username=options["by"], is_active=True).first()
        if actor is None or not arranges_capital(actor):
            raise CommandError(
                _("%(username)s is no active officer of the Department of Finance.")
                % {"username": options["by"]}
            )
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
            ) from error
        try:
            with acting_as("import_capital_plan"):
                report = import_file(actor, path.name, content)
        except NothingImported as refused:
            raise CommandError(str(refused)) from refused
        for line in summary(report):
            self.stdout.write(line)
