"""The whole exchange under faults, with real processes: a few hundred events of real dossiers
go to the simulator (its own process) at 30 % errors, timeouts, duplicate and lost
acknowledgements, while the delivery processes are killed (SIGKILL) and restarted, and the
simulator itself once. At the end every event is there exactly once, in order per dossier,
and reconciliation finds no difference.

The subprocesses reach the test database by its name (SQLite file or PostgreSQL database), so
the test writes with real commits (``committed_demo``).
"""

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from django.db import connection

from haicap.accounts.models import User
from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.dossiers import services
from haicap.exchange.comparison import digest
from haicap.exchange.connector import remote_entries
from haicap.exchange.messages import NATIONAL_PORTAL
from haicap.exchange.models import OutboxMessage
from haicap.exchange.reconciliation import event_day, reconcile
from haicap.units.models import Agency
from tests.dossiers.test_scenarios import CITIZEN, DO_LUONG_DESK, act, at
from tests.served import free_port

ROOT = Path(__file__).resolve().parents[2]
DOSSIERS = 70  # five events each: receive, forward, submit, approve, return_result


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Processes:
    def __init__(self, tmp_path: Path, port: int) -> None:
        self.tmp_path = tmp_path
        self.port = port
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "HAICAP_NATIONAL_PORTAL_URL": f"http://127.0.0.1:{port}",
            "HAICAP_LOG_LEVEL": "ERROR",
        }
        self.started: list[subprocess.Popen] = []
        self.runs = 0

    def start(self, *args: str) -> subprocess.Popen:
        self.runs += 1
        log = open(self.tmp_path / f"{args[0]}-{self.runs}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.started.append(process)
        return process

    def simulator(self) -> subprocess.Popen:
        process = self.start(
            "simulate_national_portal",
            "--port", str(self.port),
            "--state", str(self.tmp_path / "portal.sqlite3"),
            "--error-rate", "0.3",
            "--timeout-rate", "0.1",
            "--hang-ms", "700",
            "--duplicate-ack-rate", "0.1",
            "--lost-ack-rate", "0.1",
            "--seed", str(self.runs),
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                self.get("/api/v1/health")
                return process
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the simulator did not start")

    def deliverer(self) -> subprocess.Popen:
        return self.start(
            "deliver_outbox",
            "--timeout", "0.3",
            "--lease-seconds", "1.5",
            "--backoff-base", "0.05",
            "--backoff-cap", "0.4",
            "--max-attempts", "200",
            "--poll-seconds", "0.1",
            "--concurrency", "4",  # slow enough for the kills to land mid-run
        )  # fmt: skip

    def get(self, path: str) -> dict:
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        client.request("GET", path)
        return json.loads(client.getresponse().read())

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.wait()


def make_history() -> int:
    desk = User.objects.get(username="tiepnhan.doluong")
    procedure = Procedure.objects.get(national_code="X.HT.007")
    agency = Agency.objects.get(code=DO_LUONG_DESK)
    users = lambda name: User.objects.get(username=name)  # noqa: E731
    for n in range(DOSSIERS):
        with clock.fixed_at(at(3, 2, 8, n % 60)):
            code = services.receive(
                desk, procedure=procedure, receiving_agency=agency, applicant=CITIZEN
            ).dossier.code
        act(users, "tiepnhan.doluong", at(3, 2, 10, n % 60), code, "forward")
        act(users, "chuyenvien.doluong", at(3, 3, 10, n % 60), code, "submit")
        act(users, "lanhdao.doluong", at(3, 5, 8, n % 60), code, "approve")
        act(users, "tiepnhan.doluong", at(3, 6, 8, n % 60), code, "return_result")
    return OutboxMessage.objects.count()


def unsent() -> int:
    return OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).count()


@pytest.mark.usefixtures("committed_demo")
def test_every_event_arrives_once_in_order_through_faults_and_kills(tmp_path, settings):
    events = make_history()
    assert events >= DOSSIERS * 5
    processes = Processes(tmp_path, free_port())
    settings.HAICAP_NATIONAL_PORTAL_URL = f"http://127.0.0.1:{processes.port}"
    try:
        simulator = processes.simulator()
        workers = [processes.deliverer(), processes.deliverer()]
        # Kill a delivery process three times, and the simulator once, while they work.
        left_at_kills = []
        for round_ in range(4):
            time.sleep(1.0)
            left_at_kills.append(unsent())
            if round_ == 2:
                simulator.kill()
                simulator.wait()
                simulator = processes.simulator()
                continue
            victim = workers[round_ % 2]
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            workers[round_ % 2] = processes.deliverer()
        assert all(left_at_kills), f"the kills came too late: {left_at_kills} left"
        deadline = time.monotonic() + 40
        while unsent() and time.monotonic() < deadline:
            time.sleep(0.3)
            assert all(w.poll() is None for w in workers), "a delivery process died"
        assert unsent() == 0, OutboxMessage.objects.exclude(status="sent").values_list(
            "stream", "position", "status", "attempts", "last_error"
        )[:5]
        for worker in workers:  # a polite stop: finish what is in flight, then exit
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=10) == 0
        remote = processes.get("/api/v1/messages")["messages"]
        summary = processes.get("/api/v1/summary")
        local = list(OutboxMessage.objects.order_by("stream", "position"))
        by_day = defaultdict(list)
        for m in local:
            by_day[event_day(m)].append((m.stream, m.position, m.kind))
        daily = {day: processes.get(f"/api/v1/summary?day={day:%Y-%m-%d}") for day in by_day}
        reconciled = [reconcile(NATIONAL_PORTAL, day, remote_entries) for day in by_day]
    finally:
        processes.stop_all()

    # exactly once: each message's key once, nothing else
    assert sorted(m["idempotency_key"] for m in remote) == sorted(
        str(m.idempotency_key) for m in local
    )
    assert len(remote) == events
    assert (summary["count"], summary["order_violations"], summary["repeated_positions"]) == (
        events,
        0,
        0,
    )
    # in order per dossier: applied in the order of its positions
    applied = defaultdict(list)
    for m in sorted(remote, key=lambda m: (m["applied_at"], m["position"])):
        applied[m["stream"]].append(m["position"])
    assert all(positions == sorted(positions) for positions in applied.values())
    # faults really happened: retries and lost acknowledgements were absorbed by the keys
    assert sum(m["deliveries"] for m in remote) > events
    assert sum(m.attempts for m in local) > events

    # every day the simulator and the outbox agree, and reconciliation finds nothing to do
    assert len(by_day) == 4
    for day, entries in by_day.items():
        assert (daily[day]["count"], daily[day]["digest"]) == (len(entries), digest(entries))
    for result in reconciled:
        assert (result.error, result.differences, result.resent) == ("", [], 0)
        assert result.local_digest == result.remote_digest
