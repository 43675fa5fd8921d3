"""Intake and action throughput over HTTP, against raw-SQL inserts of the same rows.

Run from the project root (PostgreSQL must be running):

    .venv/bin/python bench/intake_throughput.py --requests 2000 --clients 8

It creates a scratch database (``haicap_bench``, or ``BENCH_DB``; dropped and made anew each
run), loads the demo province, gives each of ``--desks`` commune one-stop desks an intake
officer with an API token, starts the web server on it, and measures, in one run:

1. intakes per second: ``POST /api/v1/dossiers`` with a bearer token. Each client thread works
   as its own officers at their own desks (the desks are shared out among the threads), and
   receives the commune procedures of those desks in turn, as a province's load spreads;
2. actions per second: ``POST /api/v1/dossiers/{code}/actions`` (forward) on those dossiers, by
   the officer of the desk that received each;
3. raw inserts per second, two baselines, each by as many connections as there were clients,
   one transaction per intake:
   - "three rows": the dossier, its event and its outbox message in plain SQL (the first
     definition of the baseline, kept so figures stay comparable);
   - "every row": every row one intake writes, as the SQL log of one API intake shows them: the
     desk's daily and log-book numbers, the dossier, its two access rows, the event, the outbox
     message, the eight rows of figures, the idempotency record and the audit record (numbered
     from a sequence: the audit chain's head is left out of this baseline, since its design is
     changing).

It prints the figures and the ratios HTTP / raw. It is not a test and asserts nothing.
"""

import argparse
import http.client
import itertools
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DB = os.environ.get("BENCH_DB", "haicap_bench")
BENCH_URL = ADMIN_URL.rsplit("/", 1)[0] + f"/{BENCH_DB}"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
OFFICER_PREFIX = "bench.tiepnhan."

# Makes one intake officer at each of the first N current commune desks (N in argv), through
# the accounts services, and prints "username desk-code" a line (N from BENCH_DESKS).
MAKE_OFFICERS = """
import os
from haicap.accounts.models import User
from haicap.accounts.services import create_staff_user, grant_membership
from haicap.core.context import acting_as
from haicap.core.roles import Role
from haicap.units.models import Agency
desks = Agency.objects.filter(
    is_one_stop_desk=True, unit__tier="commune", unit__valid_to=None
).order_by("code")[: int(os.environ["BENCH_DESKS"])]
PASSWORD = "kx7-Qm2v-9pTr-bench"  # never signed in with: the bench uses tokens
with acting_as("bench"):
    for desk in desks:
        name = "%s%s" % (PREFIX, desk.code.split(".")[0])
        user = User.objects.filter(username=name).first() or create_staff_user(
            None, username=name, full_name="Bench " + desk.code, password=PASSWORD
        )
        grant_membership(None, user, desk, Role.INTAKE_OFFICER)
        print(name, desk.code)
"""


@dataclass(frozen=True)
class Officer:
    username: str
    desk: str
    token: str


def manage(*args: str, capture: bool = False, **more_env: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": BENCH_URL,
        "DJANGO_SETTINGS_MODULE": "haicap.settings",
        **more_env,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )
    return result.stdout


def fresh_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    manage("migrate", "--no-input", "-v", "0")
    manage("load_demo_province", "--quiet-accounts", "--no-history")


def make_officers(desks: int) -> list[Officer]:
    """An intake officer at each of ``desks`` commune desks, each with a token of their own."""
    script = MAKE_OFFICERS.replace("PREFIX", repr(OFFICER_PREFIX))
    lines = manage("shell", "-c", script, capture=True, BENCH_DESKS=str(desks)).split("\n")
    officers = []
    for line in (line.strip() for line in lines if line.startswith(OFFICER_PREFIX)):
        username, desk = line.split()
        token = manage("issue_api_token", username, "bench", capture=True).strip()
        officers.append(Officer(username, desk, token))
    return officers


def commune_procedures() -> list[str]:
    """The active commune procedures (a commune desk receives them for its own commune)."""
    with psycopg.connect(BENCH_URL) as conn:
        rows = conn.execute(
            "SELECT national_code FROM catalog_procedure WHERE tier = 'commune' AND is_active"
            " ORDER BY national_code"
        ).fetchall()
    return [code for (code,) in rows]


def start_server(server: str, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": BENCH_URL,
        "DJANGO_SETTINGS_MODULE": "haicap.settings",
        "HAICAP_LOG_LEVEL": "WARNING",
    }
    if server == "granian":
        command = [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "haicap.wsgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(PORT),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ]
    else:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "haicap.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(150):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/healthz/live")  # no worker runs beside it here
            if connection.getresponse().status == 200:
                return process
        except OSError:
            pass  # not listening yet
        time.sleep(0.2)  # nor answering 200 yet: a 503 is asked again, not 150 times at once
    process.kill()
    raise SystemExit("the server did not start")


_local = threading.local()
_thread_numbers = itertools.count()


def thread_number() -> int:
    """This client thread's number, 0, 1, …: it picks the thread's own officers."""
    number = getattr(_local, "number", None)
    if number is None:
        number = _local.number = next(_thread_numbers)
    return number


def post(path: str, body: dict, token: str, key: str) -> tuple[int, dict]:
    connection = getattr(_local, "connection", None)
    if connection is None:
        connection = _local.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    connection.request(
        "POST",
        path,
        json.dumps(body),
        {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        },
    )
    response = connection.getresponse()
    return response.status, json.loads(response.read() or b"{}")


def timed(label: str, count: int, clients: int, work) -> tuple[float, list]:
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(work, range(count)))
    elapsed = time.perf_counter() - started
    rate = count / elapsed
    print(f"{label}: {count} in {elapsed:.1f} s = {rate:.0f}/s")
    return rate, results


def own_officers(officers: list, clients: int) -> list:
    """The officers (or desks) of this client thread: every ``clients``-th from its number."""
    number = thread_number() % clients
    return officers[number::clients] or [officers[number % len(officers)]]


def http_load(officers: list[Officer], procedures: list[str], requests: int, clients: int):
    turns = itertools.count()

    def intake(n: int) -> tuple[int, dict, Officer]:
        mine = own_officers(officers, clients)
        turn = next(turns)
        officer = mine[turn % len(mine)]
        body = {
            "procedure_code": procedures[turn % len(procedures)],
            "receiving_agency_code": officer.desk,
            "applicant": {"name": "Nguyễn Văn Thử", "id_number": "040195012345"},
        }
        status, payload = post("/api/v1/dossiers", body, officer.token, f"bench-{n}")
        return status, payload, officer

    intake_rate, results = timed("HTTP intake", requests, clients, intake)
    received = [(payload["code"], officer) for status, payload, officer in results if status == 201]
    failures = len(results) - len(received)
    if failures:
        print("first failure:", next(p for s, p, _ in results if s != 201))

    def forward(n: int) -> tuple[int, dict]:
        code, officer = received[n]
        body = {"action": "forward", "expected_version": 1}
        return post(f"/api/v1/dossiers/{code}/actions", body, officer.token, f"f-{n}")

    action_rate, actions = timed("HTTP action (forward)", len(received), clients, forward)
    failures += sum(1 for status, _ in actions if status != 200)
    return intake_rate, action_rate, failures


@dataclass(frozen=True)
class RawDesk:
    desk: int
    office: int  # the commune's agency that decides (council committee office)
    unit: int
    officer: int


def raw_desks(officers: list[Officer]) -> tuple[list[RawDesk], tuple[int, int, int]]:
    with psycopg.connect(BENCH_URL) as conn:
        procedure, template, field = conn.execute(
            "SELECT p.id, t.id, p.field_id FROM catalog_procedure p, catalog_processtemplate t"
            " WHERE p.national_code = 'X.HT.007' AND t.code = p.template_code"
            " ORDER BY t.version DESC LIMIT 1"
        ).fetchone()
        desks = []
        for officer in officers:
            desks.append(
                RawDesk(
                    *conn.execute(
                        "SELECT d.id, c.id, d.unit_id, u.id FROM units_agency d"
                        " JOIN units_agency c ON c.unit_id = d.unit_id"
                        " AND c.kind = 'council_committee_office', accounts_user u"
                        " WHERE d.code = %s AND u.username = %s",
                        (officer.desk, officer.username),
                    ).fetchone()
                )
            )
        conn.execute("CREATE SEQUENCE IF NOT EXISTS bench_audit_seq START 100000000")
        conn.commit()
    return desks, (procedure, template, field)


INSERT_DOSSIER = (
    "INSERT INTO dossiers_dossier (code, pin_hash, procedure_id, template_id, channel,"
    " receiving_agency_id, competent_agency_id, applicant_name, applicant_search,"
    " applicant_id_number, applicant_phone, applicant_email, applicant_address,"
    " business_code, legal_amount, legal_unit, step, step_kind, received_at,"
    " clock_started_at, due_at, step_started_at, outcome, timeliness, version,"
    " authorised_name, authorised_id_number, result_delivery, result_sets, log_year,"
    " log_number)"
    " VALUES (%s, 'x', %s, %s, 'desk', %s, %s, 'Nguyễn Văn Thử', 'nguyen van thu',"
    " '040195012345', '', '', '', '', 3, 'working_days', 'received', 'work', now(),"
    " now(), now() + interval '3 days', now(), '', '', 1, '', '', 'desk', 1, %s, %s)"
    " RETURNING id"
)
INSERT_EVENT = (
    "INSERT INTO dossiers_dossierevent (dossier_id, seq, at, actor_id, actor_label,"
    " action, from_step, to_step, clock, note, data, idempotency_key, request_digest)"
    " VALUES (%s, 1, now(), %s, 'bench', 'receive', '', 'received', 'keep', '',"
    " '{}', '', '')"
)
INSERT_OUTBOX = (
    "INSERT INTO exchange_outboxmessage (target, kind, stream, position, payload,"
    " idempotency_key, status, attempts, last_error, created_at)"
    " VALUES ('dvcqg', 'dossier.receive', %s, 1, '{}', %s, 'pending', 0, '', now())"
)
COUNTS = (
    "received, received_online, received_full_online, online_of_full_online, resolved, early,"
    " on_time, late, refused, withdrawn, returned, closed, overdue_from, overdue_until,"
    " worked_days"
)
ZEROS = "1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0"
# The figures' tables and the period each row is dated by (a dekad's row stands in for one a day).
GRAINS = (("daily", "day"), ("dekad", "day"), ("monthly", "month"), ("yearly", "year"))
FIGURES = [
    (
        f"INSERT INTO kpi_{grain}figures (period, agency_id, procedure_id, channel, {COUNTS})"
        f" VALUES (date_trunc('{unit}', now())::date, %s, %s, 'desk', {ZEROS})"
        " ON CONFLICT (period, agency_id, procedure_id, channel)"
        f" DO UPDATE SET received = kpi_{grain}figures.received + 1",
        "fine",
    )
    for grain, unit in GRAINS
] + [
    (
        f"INSERT INTO kpi_field{grain}figures (period, agency_id, field_id, unit_id, {COUNTS})"
        f" VALUES (date_trunc('{unit}', now())::date, %s, %s, %s, {ZEROS})"
        " ON CONFLICT (period, agency_id, field_id)"
        f" DO UPDATE SET received = kpi_field{grain}figures.received + 1",
        "field",
    )
    for grain, unit in GRAINS
]


def raw_inserts(officers: list[Officer], count: int, clients: int, every_row: bool) -> float:
    """The rows of one intake written with plain SQL: the most the database allows."""
    desks, (procedure, template, field) = raw_desks(officers)

    def work(number: int) -> None:
        conn = getattr(_local, "raw", None)
        if conn is None:
            conn = _local.raw = psycopg.connect(BENCH_URL)
        mine = own_officers(desks, clients)
        desk = mine[number % len(mine)]
        code = f"RAW-{uuid.uuid4().hex[:16]}"
        with conn.transaction():
            log_number = 0
            if every_row:
                conn.execute(
                    "INSERT INTO dossiers_dailysequence (agency_id, day, last) VALUES"
                    " (%s, now()::date, 1) ON CONFLICT (agency_id, day)"
                    " DO UPDATE SET last = dossiers_dailysequence.last + 1 RETURNING last",
                    (desk.desk,),
                ).fetchone()
                log_number = conn.execute(
                    "INSERT INTO dossiers_logbooksequence (agency_id, year, last) VALUES"
                    " (%s, extract(year FROM now()), 1) ON CONFLICT (agency_id, year)"
                    " DO UPDATE SET last = dossiers_logbooksequence.last + 1 RETURNING last",
                    (desk.desk,),
                ).fetchone()[0]
            dossier = conn.execute(
                INSERT_DOSSIER,
                (code, procedure, template, desk.desk, desk.office, 2026, log_number or None),
            ).fetchone()[0]
            if every_row:
                conn.execute(
                    "INSERT INTO dossiers_dossieraccess (dossier_id, agency_id)"
                    " VALUES (%s, %s), (%s, %s)",
                    (dossier, desk.desk, dossier, desk.office),
                )
            conn.execute(INSERT_EVENT, (dossier, desk.officer))
            conn.execute(INSERT_OUTBOX, (code, uuid.uuid4()))
            if not every_row:
                return
            for statement, kind in FIGURES:
                extra = (procedure,) if kind == "fine" else (field, desk.unit)
                conn.execute(statement, (desk.office, *extra))
            conn.execute(
                "INSERT INTO dossiers_intakerequest (key, user_id, dossier_id, request_digest,"
                " pin_sealed, created_at) VALUES (%s, %s, %s, %s, 'sealed', now())",
                (code, desk.officer, dossier, "d" * 64),
            )
            conn.execute(
                "INSERT INTO core_auditrecord (chain, seq, occurred_at, actor_id, actor_label,"
                " request_id, ip, action, object_type, object_id, before, after, prev_hash, hash)"
                " VALUES (%s, nextval('bench_audit_seq'), now(), %s, 'bench', '', '',"
                " 'dossier.received', 'dossiers.dossier', %s, NULL, '{}', %s, %s)",
                (dossier % 64, desk.officer, str(dossier), "p" * 64, uuid.uuid4().hex * 2),
            )

    label = "raw SQL, every row of an intake" if every_row else "raw SQL, three rows"
    rate, _ = timed(label, count, clients, work)
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="web server worker processes")
    parser.add_argument("--desks", type=int, default=32, help="commune desks the load spreads on")
    parser.add_argument("--server", choices=("gunicorn", "granian"), default="gunicorn")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of an earlier run (no reload)"
    )
    options = parser.parse_args()

    if options.reuse:
        print("reusing the database of an earlier run…")
    else:
        print("preparing a fresh database with the demo province…")
        fresh_database()
    officers = make_officers(max(options.desks, options.clients))
    procedures = commune_procedures()
    print(f"{len(officers)} desks, {len(procedures)} commune procedures, {options.server}")
    server = start_server(options.server, options.workers)
    try:
        intake_rate, action_rate, failures = http_load(
            officers, procedures, options.requests, options.clients
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    raw_rate = raw_inserts(officers, options.requests, options.clients, every_row=False)
    full_rate = raw_inserts(officers, options.requests, options.clients, every_row=True)
    print(f"failed requests: {failures}")
    for label, rate in (("intake", intake_rate), ("action", action_rate)):
        print(
            f"ratio HTTP {label} / raw SQL: {rate / raw_rate:.3f} (three rows),"
            f" {rate / full_rate:.3f} (every row)"
        )


if __name__ == "__main__":
    main()
