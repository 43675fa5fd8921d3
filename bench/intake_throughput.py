"""Intake and action throughput over HTTP, against a raw-SQL insert of the same rows.

Run from the project root (PostgreSQL must be running):

    .venv/bin/python bench/intake_throughput.py --requests 2000 --clients 8

It creates a scratch database ``haicap_bench`` (dropped and made anew each run), loads the demo
province, starts gunicorn on it, and measures, in one run:

1. intakes per second: ``POST /api/v1/dossiers`` with a bearer token;
2. actions per second: ``POST /api/v1/dossiers/{code}/actions`` (forward) on those dossiers;
3. raw inserts per second: the same three rows per transaction (dossier, event, outbox message)
   written with plain SQL by as many connections as there were clients.

It prints the figures and the ratio HTTP / raw. It is not a test and asserts nothing.
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DB = "haicap_bench"
BENCH_URL = ADMIN_URL.rsplit("/", 1)[0] + f"/{BENCH_DB}"
PORT = int(os.environ.get("BENCH_PORT", "8765"))


def manage(*args: str, capture: bool = False) -> str:
    env = {**os.environ, "DATABASE_URL": BENCH_URL, "DJANGO_SETTINGS_MODULE": "haicap.settings"}
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


def start_server(workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": BENCH_URL,
        "DJANGO_SETTINGS_MODULE": "haicap.settings",
        "HAICAP_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [
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
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


_local = threading.local()


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


def raw_inserts(count: int, clients: int) -> float:
    """The rows of one intake written with plain SQL: the most the database allows."""
    with psycopg.connect(BENCH_URL) as conn:
        ids = conn.execute(
            "SELECT p.id, t.id, a.id, c.id, u.id FROM catalog_procedure p,"
            " catalog_processtemplate t, units_agency a, units_agency c, accounts_user u"
            " WHERE p.national_code = 'X.HT.007'"
            " AND a.code = '17662.05.H40' AND c.code = '17662.02.H40'"
            " AND u.username = 'tiepnhan.doluong' ORDER BY t.version DESC LIMIT 1"
        ).fetchone()
    procedure, template, desk, office, officer = ids

    def work(number: int) -> None:
        conn = getattr(_local, "raw", None)
        if conn is None:
            conn = _local.raw = psycopg.connect(BENCH_URL)
        code = f"RAW-{uuid.uuid4().hex[:16]}"
        with conn.transaction():
            dossier = conn.execute(
                "INSERT INTO dossiers_dossier (code, pin_hash, procedure_id, template_id, channel,"
                " receiving_agency_id, competent_agency_id, applicant_name, applicant_search,"
                " applicant_id_number, applicant_phone, applicant_email, applicant_address,"
                " business_code, legal_amount, legal_unit, step, step_kind, received_at,"
                " clock_started_at, due_at, step_started_at, outcome, timeliness, version)"
                " VALUES (%s, 'x', %s, %s, 'desk', %s, %s, 'Nguyễn Văn Thử', 'nguyen van thu',"
                " '040195012345', '', '', '', '', 3, 'working_days', 'received', 'work', now(),"
                " now(), now() + interval '3 days', now(), '', '', 1) RETURNING id",
                (code, procedure, template, desk, office),
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO dossiers_dossierevent (dossier_id, seq, at, actor_id, actor_label,"
                " action, from_step, to_step, clock, note, data, idempotency_key)"
                " VALUES (%s, 1, now(), %s, 'bench', 'receive', '', 'received', 'keep', '',"
                " '{}', '')",
                (dossier, officer),
            )
            conn.execute(
                "INSERT INTO exchange_outboxmessage (target, kind, stream, position, payload,"
                " idempotency_key, status, attempts, last_error, created_at)"
                " VALUES ('dvcqg', 'dossier.receive', %s, 1, '{}', %s, 'pending', 0, '', now())",
                (code, uuid.uuid4()),
            )

    rate, _ = timed("raw SQL intake rows", count, clients, work)
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    options = parser.parse_args()

    print("preparing a fresh database with the demo province…")
    fresh_database()
    token = manage("issue_api_token", "tiepnhan.doluong", "bench", capture=True).strip()
    server = start_server(options.workers)
    try:
        body = {
            "procedure_code": "X.HT.007",
            "receiving_agency_code": "17662.05.H40",
            "applicant": {"name": "Nguyễn Văn Thử", "id_number": "040195012345"},
        }
        intake_rate, results = timed(
            "HTTP intake",
            options.requests,
            options.clients,
            lambda n: post("/api/v1/dossiers", body, token, f"bench-{n}"),
        )
        codes = [payload["code"] for status, payload in results if status == 201]
        failures = len(results) - len(codes)
        action_rate, actions = timed(
            "HTTP action (forward)",
            len(codes),
            options.clients,
            lambda n: post(
                f"/api/v1/dossiers/{codes[n]}/actions",
                {"action": "forward", "expected_version": 1},
                token,
                f"f-{n}",
            ),
        )
        failures += sum(1 for status, _ in actions if status != 200)
    finally:
        server.terminate()
        server.wait(timeout=30)
    raw_rate = raw_inserts(options.requests, options.clients)
    print(f"failed requests: {failures}")
    print(f"ratio HTTP intake / raw SQL: {intake_rate / raw_rate:.3f}")
    print(f"ratio HTTP action / raw SQL: {action_rate / raw_rate:.3f}")


if __name__ == "__main__":
    main()
