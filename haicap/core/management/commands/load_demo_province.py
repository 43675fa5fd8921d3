from django.core.management.base import BaseCommand, CommandError

from haicap.accounts.demo import DEMO_PASSWORD, ensure_demo_accounts
from haicap.catalog.demo import load_demo_catalogue
from haicap.core.context import acting_as
from haicap.core.errors import DomainError
from haicap.exchange.demo import load_demo_mappings
from haicap.units.demo import load_nghe_an


class Command(BaseCommand):
    help = (
        "Load the demo province (Nghệ An: 130 communes and wards, the 412 former units, "
        "its agencies, a catalogue of procedures) and demo sign-in accounts. Running it again "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-accounts", action="store_true", help="load the registry only, no demo accounts"
        )
        parser.add_argument("--quiet-accounts", action="store_true", help="do not print accounts")

    def handle(self, *args: object, **options: object) -> None:
        with acting_as("load_demo_province"):
            report = load_nghe_an()
            catalogue = load_demo_catalogue()
            mappings = load_demo_mappings()
            try:
                accounts = [] if options["no_accounts"] else ensure_demo_accounts()
            except DomainError as error:
                raise CommandError(f"demo accounts not created: {error.detail}") from error
        self.stdout.write(
            f"registry: {report.created} units created, {report.updated} updated, "
            f"{report.unchanged} unchanged; {report.links_created} lineage links and "
            f"{report.agencies_created} agencies created"
        )
        self.stdout.write(
            f"catalogue: {catalogue.templates} process templates, "
            f"{catalogue.procedures_created} procedures created, "
            f"{catalogue.procedures_updated} updated"
        )
        self.stdout.write(f"code mappings for the national portal: {mappings} created")
        for note in report.notes:
            self.stdout.write(f"  note: {note}")
        if accounts and not options["quiet_accounts"]:
            self.stdout.write(f"\nDemo sign-in accounts (password for all: {DEMO_PASSWORD}):")
            for account in accounts:
                self.stdout.write(
                    f"  {account.username:<22} {account.role.value:<20} {account.agency_code}"
                )
