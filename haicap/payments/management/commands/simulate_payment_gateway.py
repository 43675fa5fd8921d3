import signal
import sqlite3
import threading
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from haicap.core.arguments import share

# The simulator is in the source tree, not in the installed package (see ``natsim``).
ABSENT = (
    "The payment gateway simulator ships with haicap's source tree (natsim/ beside haicap/), "
    "not with an installed haicap: run this command from a source checkout."
)


class Command(BaseCommand):
    help = (
        "Run a stand-in for the payment gateway (its own HTTP server) with faults on demand: "
        "orders, a payer's page, signed confirmations, the daily statement. See "
        "natsim/payments.py in the source tree."
    )
    requires_system_checks = []  # it touches no database and no Django model

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8902)
        parser.add_argument(
            "--state",
            default=str(Path(settings.VAR_DIR) / "payment-gateway-simulator.sqlite3"),
            help="SQLite file keeping the orders, across restarts",
        )
        parser.add_argument("--secret", required=True, help="shared secret signing confirmations")
        parser.add_argument("--token", default="", help="bearer token to require")
        parser.add_argument("--error-rate", type=share, default=0.0, help="share of 500s")
        parser.add_argument("--timeout-rate", type=share, default=0.0, help="share left hanging")
        parser.add_argument("--hang-ms", type=int, default=15_000)
        parser.add_argument("--slow-ms", type=int, default=0, help="delay before answering")
        parser.add_argument("--duplicate-callback-rate", type=share, default=0.0)
        parser.add_argument("--lost-callback-rate", type=share, default=0.0)
        parser.add_argument("--seed", type=int, help="seed for the faults, to repeat a run")

    def handle(self, *args: object, **options: object) -> None:
        try:
            from natsim.payments import Faults, make_server
        except ModuleNotFoundError as error:
            if error.name is None or not error.name.startswith("natsim"):
                raise
            raise CommandError(ABSENT) from None
        try:
            server = make_server(
                options["state"],
                Faults(
                    error_rate=options["error_rate"],
                    timeout_rate=options["timeout_rate"],
                    hang_ms=options["hang_ms"],
                    slow_ms=options["slow_ms"],
                    duplicate_callback_rate=options["duplicate_callback_rate"],
                    lost_callback_rate=options["lost_callback_rate"],
                ),
                secret=options["secret"],
                host=options["host"],
                port=options["port"],
                seed=options["seed"],
                token=options["token"],
            )
        except (ValueError, OSError, sqlite3.Error) as error:
            # A port in use, a state file that cannot be opened: one readable line.
            raise CommandError(str(error)) from error

        def stop(_signum: int, _frame: object) -> None:
            threading.Thread(target=server.shutdown, daemon=True).start()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        host, port = server.server_address[:2]
        self.stdout.write(f"Payment gateway simulator on http://{host}:{port}")
        self.stdout.flush()
        try:
            server.serve_forever(poll_interval=0.2)
        finally:
            server.server_close()
