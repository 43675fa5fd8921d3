import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from haicap.accounts.demo import DEMO_PASSWORD, ensure_demo_accounts
from haicap.assets.demo import load_demo_assets
from haicap.budget.demo import load_demo_capital
from haicap.catalog.demo import load_demo_catalogue
from haicap.core.context import acting_as
from haicap.core.errors import DomainError
from haicap.dossiers.demo_signing import ensure_demo_signing
from haicap.exchange.demo import load_demo_mappings
from haicap.feedback.deadlines import run_deadlines
from haicap.feedback.demo import load_demo_feedback
from haicap.operations.demo import load_demo_history
from haicap.operations.management.commands.create_demo_signing import (
    describe as describe_signing,
)
from haicap.oversight.deadlines import warn_directives
from haicap.oversight.demo import LoadedInspection, load_demo_inspection
from haicap.reports.demo import load_demo_reports
from haicap.reports.reminders import run_reminders
from haicap.reports.schedule import Standing
from haicap.staffing.demo import load_demo_plan, load_demo_staff
from haicap.units.demo import load_nghe_an


class Command(BaseCommand):
    help = (
        "Load the demo province (Nghệ An: 130 communes and wards, the 412 former units, "
        "its agencies, a catalogue of procedures), demo sign-in accounts and, into a province "
        "without dossiers, a year of illustrative history with work waiting in the demo "
        "officers' queues and working group no. 4's inspection of the communes of the former "
        "Đô Lương district; the province's staff (officers in every commune and five "
        "departments, illustrative norms and travel times) and the secondment plan Home "
        "Affairs approved for the Đô Lương communes; the former district's assets handed over, "
        "surplus offices with disposal plans and the equipment the communes lack; its "
        "public-investment projects moved from the district budget to the province and the "
        "communes by investor, with months of disbursement; the monthly report on the "
        "communes' government in its two versions, with the former communes' reports of "
        "January–June 2025 and the new communes' since, and November 2026's filed by four of "
        "the six Đô Lương communes on time, one late and one not (xã Đô Lương); the signing "
        "certificates of a TEST CA (not for production) so the demo signs its results, then "
        "one round of the directive warnings. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-accounts", action="store_true", help="load the registry only, no demo accounts"
        )
        parser.add_argument("--quiet-accounts", action="store_true", help="do not print accounts")
        parser.add_argument(
            "--history",
            type=int,
            default=settings.DEMO_HISTORY_DOSSIERS,
            metavar="DOSSIERS",
            help="dossiers of history to make (default HAICAP_DEMO_HISTORY or 30000; 0: none)",
        )
        parser.add_argument(
            "--no-history", action="store_const", const=0, dest="history", help="no history"
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["history"] < 0:
            raise CommandError("--history is a number of dossiers: 0 or more")
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
        # Before the history: the demo queues approve results, which are signed.
        self.stdout.write(describe_signing(ensure_demo_signing()))
        if options["history"] and not options["no_accounts"]:
            self._history(options["history"])
        # After the history: the norms that follow the workload read its dossiers.
        self._staff()
        self._assets()  # after the staff: allocation reads the travel times they bring
        self._capital()
        self._feedback()  # after the history: applicants rate dossiers returned lately
        self._reports()  # after the rest: the reports' cells are pre-filled from their figures
        self._warnings()
        for note in report.notes:
            self.stdout.write(f"  note: {note}")
        if accounts and not options["quiet_accounts"]:
            self.stdout.write(f"\nDemo sign-in accounts (password for all: {DEMO_PASSWORD}):")
            for account in accounts:
                also = " (also reads the province)" if account.reads_province else ""
                self.stdout.write(
                    f"  {account.username:<22} {account.role.value:<20} {account.agency_code}{also}"
                )

    def _history(self, size: int) -> None:
        started = time.monotonic()
        with acting_as("load_demo_province"):
            loaded = load_demo_history(size)
        if loaded is None:
            self.stdout.write("history: the province has dossiers already, none made")
            # A demo database made before the inspection was part of the demo gains it.
            with acting_as("load_demo_province"):
                self._inspection(load_demo_inspection())
            return
        self.stdout.write(
            f"history: {loaded.made['dossiers']} dossiers with {loaded.made['events']} events, "
            f"{loaded.waiting} waiting in the demo officers' queues, figures rebuilt from "
            f"{loaded.figures_from} dossiers ({time.monotonic() - started:.0f} s)"
        )
        self._inspection(loaded.inspection)

    def _staff(self) -> None:
        with acting_as("load_demo_province"):
            loaded = load_demo_staff()
        if loaded is None:
            self.stdout.write("staffing: the province has officers already, none made")
            return
        self.stdout.write(
            f"staffing: {loaded.officers} officers in {loaded.positions} positions, "
            f"illustrative norms and {loaded.travel_pairs} travel times between units"
        )
        with acting_as("load_demo_province"):
            plan = load_demo_plan()
        if plan is not None:
            self.stdout.write(
                f"secondment plan: {plan.secondments} officers seconded "
                f"({plan.from_departments} from provincial departments), {plan.gap_left} "
                f"officers still lacking, {plan.granted} roles granted at the host communes"
            )

    def _assets(self) -> None:
        with acting_as("load_demo_province"):
            loaded = load_demo_assets()
        if loaded is None:
            self.stdout.write("assets: the province has assets already (or no Finance accounts)")
            return
        self.stdout.write(
            f"assets: {loaded.assets} in the register; take-over records: "
            f"{loaded.records_signed} signed, {loaded.records_waiting} refused for an asset with "
            f"no destination; {loaded.disposal_plans} surplus offices with disposal plans; "
            f"{loaded.proposals} allocation proposals"
        )

    def _capital(self) -> None:
        with acting_as("load_demo_province"):
            loaded = load_demo_capital()
        if loaded is None:
            self.stdout.write("capital: the province has projects already (or no Finance accounts)")
            return
        self.stdout.write(
            f"capital: {loaded.projects} projects of the former Đô Lương district; "
            f"{loaded.moved:,} đồng of the 2025 plan moved from the district level "
            f"({loaded.to_province:,} to the province, {loaded.to_communes:,} to the communes) "
            f"by an approved transfer, the medium-term transfer drafted; {loaded.months} months "
            f"of disbursement, {loaded.behind} projects behind the pace"
        )

    def _feedback(self) -> None:
        with acting_as("load_demo_province"):
            loaded = load_demo_feedback()
        if loaded is None:
            self.stdout.write("feedback: the province has petitions already, none made")
            return
        self.stdout.write(
            f"feedback: {loaded.petitions} petitions ({loaded.rerouted} naming a former commune, "
            f"{loaded.answered} answered, {loaded.overdue} past their legal deadline) and "
            f"{loaded.ratings} ratings of returned dossiers and answered petitions"
        )

    def _reports(self) -> None:
        with acting_as("load_demo_province"):
            loaded = load_demo_reports()
        if loaded is None:
            self.stdout.write("reports: the monthly report is there already (or no demo accounts)")
            return
        found = loaded.november
        not_filed = found.get(Standing.MISSING, 0) + found.get(Standing.WAITING, 0)
        self.stdout.write(
            f"reports: the monthly report on the communes' government in {loaded.versions} "
            f"versions; {loaded.archived} reports of the former communes (January–June 2025, "
            f"keyed in from paper) and {loaded.filed} of the six new communes (July 2025 – "
            f"October 2026), approved; November 2026: {found.get(Standing.ON_TIME, 0)} filed "
            f"on time, {found.get(Standing.LATE, 0)} late, {not_filed} not filed (xã Đô "
            f"Lương, left for the demo accounts)"
        )

    def _warnings(self) -> None:
        """One round of the worker's directive and petition warnings and report reminders, so a
        demo user sees them at once (the worker sends them nightly); a warning already sent is
        not sent again."""
        with acting_as("load_demo_province"):
            report = warn_directives()
        self.stdout.write(
            f"directive warnings: {report.due_soon} of directives due soon, "
            f"{report.overdue} of overdue ones sent"
        )
        with acting_as("load_demo_province"):
            petitions = run_deadlines()
        self.stdout.write(
            f"petition deadlines: {petitions.warned} petitions due soon warned of, "
            f"{petitions.escalated} overdue ones told to their agencies' leaders, "
            f"{petitions.closed} unchallenged answers closed"
        )
        with acting_as("load_demo_province"):
            reminded = run_reminders()
        self.stdout.write(
            f"report reminders: {reminded.before_due} reports reminded before their due day, "
            f"{reminded.overdue} past it, {reminded.notices} officers told"
        )

    def _inspection(self, loaded: LoadedInspection | None) -> None:
        if loaded is None:
            self.stdout.write("oversight: working group no. 4 is there already, nothing made")
            return
        self.stdout.write(
            f"oversight: working group no. 4's inspection of {loaded.communes} communes, "
            f"{loaded.findings} findings, {loaded.directives} directives with "
            f"{loaded.subtasks} sub-tasks ({loaded.targets} with live targets), "
            f"{loaded.updates} progress updates, {loaded.closed} closed"
        )
