import signal
import threading
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from haicap.core.arguments import share

# The simulator is in the source tree, not in the installed package (see ``natsim``).
ABSENT = (
    "The national portal simulator ships with haicap's source tree (natsim/ beside haicap/), "
    "not with an installed haicap: run this command from a source checkout."
)


class Command(BaseCommand):
    help = (
        "Run a stand-in for the national public-service portal (its own HTTP server), with "
        "faults on demand, to test the exchange against. See natsim/server.py in the source "
        "tree."
    )
    requires_system_checks = []  # it touches no database and no Django model

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8901)
        parser.add_argument(
            "--state",
            default=str(Path(settings.VAR_DIR) / "national-portal-simulator.sqlite3"),
            help="SQLite file keeping what was applied, across restarts",
        )
        parser.add_argument("--error-rate", type=share, default=0.0, help="share of 500s")
        parser.add_argument(
            "--timeout-rate", type=share, default=0.0, help="share of requests left hanging"
        )
        parser.add_argument(
            "--hang-ms",
            type=int,
            default=15_000,
            help="how long a hanging request hangs (longer than the client waits)",
        )
        parser.add_argument("--slow-ms", type=int, default=0, help="delay before answering")
        parser.add_argument(
            "--duplicate-ack-rate",
            type=share,
            default=0.0,
            help="share of acknowledgements that look like a repeat, sent twice",
        )
        parser.add_argument(
            "--lost-ack-rate",
            type=share,
            default=0.0,
            help="share of applied messages whose answer is never sent",
        )
        parser.add_argument("--seed", type=int, help="seed for the faults, to repeat a run")
        parser.add_argument("--token", default="", help="bearer token to require")
        parser.add_argument("--verbose-requests", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        try:
            from natsim.server import Faults, make_server
        except ModuleNotFoundError as error:
            if error.name is None or not error.name.startswith("natsim"):
                raise
            raise CommandError(ABSENT) from None
        try:
            faults = Faults(
                error_rate=options["error_rate"],
                timeout_rate=options["timeout_rate"],
                hang_ms=options["hang_ms"],
                slow_ms=options["slow_ms"],
                duplicate_ack_rate=options["duplicate_ack_rate"],
                lost_ack_rate=options["lost_ack_rate"],
            )
            server = make_server(
                options["state"],
                faults,
                host=options["host"],
                port=options["port"],
                seed=options["seed"],
                token=options["token"],
                quiet=not options["verbose_requests"],
            )
        except (ValueError, OSError) as error:
            raise CommandError(str(error)) from error

        def stop(_signum: int, _frame: object) -> None:
            # shutdown() waits for serve_forever to return, so it cannot run on its thread.
            threading.Thread(target=server.shutdown, daemon=True).start()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        host, port = server.server_address[:2]
        self.stdout.write(
            f"National portal simulator on http://{host}:{port}, state in {options['state']}"
        )
        self.stdout.flush()
        try:
            server.serve_forever(poll_interval=0.2)
        finally:
            server.server_close()
