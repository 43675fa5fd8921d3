import logging
import signal
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, InterfaceError, connections

from haicap.exchange.connector import HttpNationalPortal, connector_for
from haicap.exchange.delivery import (
    DeliveryConfig,
    config_from_settings,
    deliver,
    release_held,
    targets,
)

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Send the outbox to the national systems, in order per dossier, retrying with backoff. "
        "Safe to stop (even kill) and restart at any time; several may run at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="send what is due now, then exit")
        parser.add_argument("--target", choices=targets(), help="only this target system")
        parser.add_argument("--concurrency", type=int, help="sends in flight at once")
        parser.add_argument("--max-attempts", type=int, help="attempts before giving up")
        parser.add_argument("--lease-seconds", type=float, help="how long a claim lasts")
        parser.add_argument("--backoff-base", type=float, help="first wait after a failure")
        parser.add_argument("--backoff-cap", type=float, help="longest wait between attempts")
        parser.add_argument("--poll-seconds", type=float, help="how often to look when idle")
        parser.add_argument("--timeout", type=float, help="network timeout per request, in seconds")

    def handle(self, *args: object, **options: object) -> None:
        stopping: list[int] = []

        def stop(signum: int, _frame: object) -> None:
            # Finish the sends in flight and record them; a second signal is not needed.
            stopping.append(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        chosen = [options["target"]] if options["target"] else targets()
        try:
            config = config_from_settings(
                concurrency=options["concurrency"],
                max_attempts=options["max_attempts"],
                lease_seconds=options["lease_seconds"],
                backoff_base=options["backoff_base"],
                backoff_cap=options["backoff_cap"],
                poll_seconds=options["poll_seconds"],
                send_timeout=options["timeout"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["once"] or len(chosen) == 1:
            for target in chosen:
                self._run(target, config, options, once=bool(options["once"]), stopping=stopping)
            return
        # Several targets, each its own loop: a slow system does not hold back the others.
        threads = [
            threading.Thread(target=self._run, args=(t, config, options, False, stopping))
            for t in chosen
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _run(
        self, target: str, config: DeliveryConfig, options: dict, once: bool, stopping: list[int]
    ) -> None:
        try:
            connector = connector_for(target)
            if options["timeout"] and isinstance(connector, HttpNationalPortal):
                connector.timeout = options["timeout"]
            released = release_held(target)
            if released:
                self.stdout.write(f"{target}: {released} held messages released")
            while True:
                try:
                    report = deliver(
                        target,
                        connector,
                        config,
                        until_idle=once,
                        should_stop=lambda: bool(stopping),
                    )
                except (DatabaseError, InterfaceError):
                    if once or stopping:
                        raise
                    # The database went away (restart, failover): what this run had claimed
                    # comes back when its lease runs out; start again after a pause.
                    log.exception("delivery to %s interrupted; starting again", target)
                    connections.close_all()
                    time.sleep(config.poll_seconds * 5)
                    continue
                self.stdout.write(f"{target}: {report}")
                return
        finally:
            connections.close_all()
