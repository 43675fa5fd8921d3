"""The exchange under faults at full size, and the delivery loop's throughput.

Run from the project root (PostgreSQL must be running):

    .venv/bin/python bench/exchange_faults.py                  # 25,000 dossiers × 4 events
    .venv/bin/python bench/exchange_faults.py --streams 2500   # a tenth, for a quick look

It creates a scratch database ``haicap_exchange_bench`` (dropped and made anew each run),
migrates it and loads the demo province (with its code mappings), then:

1. **Faults.** Bulk-inserts ``streams × positions`` outbox messages (plausible dossier status
   payloads, events spread over five working days) and delivers them to the national-portal
   simulator (its own process) answering 30 % of requests with a 500, leaving 10 % hanging
   past the client's timeout (half of those applied anyway), dropping the answer of 10 %
   (applied, no acknowledgement) and acknowledging 10 % as duplicates. Two
   ``deliver_outbox`` processes run at once; each is killed with SIGKILL and restarted
   several times mid-run. At the end it checks, against the simulator's list and summary
   endpoints: every message applied exactly once, in order per dossier, no order violation,
   and per day the simulator's count and digest equal the outbox's; then
   ``manage.py reconcile`` runs for each day and must report zero differences.
2. **Throughput.** A fresh set of messages against a healthy simulator (no faults), with one
   and with two delivery processes: messages per second from start to the last one sent.

It prints the figures; it is not a test, but it exits non-zero when a check fails.
"""

import argparse
import datetime as dt
import http.client
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from haicap.exchange.comparison import digest  # noqa: E402 (pure modules, no Django)
from haicap.exchange.messages import NATIONAL_PORTAL, dossier_status  # noqa: E402
from haicap.exchange.wire import day_of  # noqa: E402

ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DB = "haicap_exchange_bench"
BENCH_URL = ADMIN_URL.rsplit("/", 1)[0] + f"/{BENCH_DB}"
PORT = int(os.environ.get("BENCH_PORT", "8911"))
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DAYS = [dt.date(2026, 3, d) for d in (2, 3, 4, 5, 6)]
STEPS = [  # (kind, step) of a dossier's first events
    ("dossier.receive", "received"),
    ("dossier.forward", "processing"),
    ("dossier.submit", "approval"),
    ("dossier.approve", "result_ready"),
    ("dossier.return_result", "returned"),
]
TMP = Path(os.environ.get("BENCH_TMP", "/tmp/haicap-exchange-bench"))


def env() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": BENCH_URL,
        "DJANGO_SETTINGS_MODULE": "haicap.settings",
        "HAICAP_LOG_LEVEL": "WARNING",
        "HAICAP_NATIONAL_PORTAL_URL": f"http://127.0.0.1:{PORT}",
    }


def manage(*args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env(),
        check=True,
        text=True,
        capture_output=True,
    ).stdout


def fresh_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    manage("migrate", "--no-input", "-v", "0")
    manage("load_demo_province", "--quiet-accounts", "--no-history")


# --- the outbox ------------------------------------------------------------------------------


def insert_outbox(streams: int, positions: int, tag: str, seed: int) -> int:
    """``streams × positions`` pending messages, written with COPY; returns how many."""
    rng = random.Random(seed)
    with psycopg.connect(BENCH_URL) as conn:
        procedures = [
            r[0] for r in conn.execute("SELECT national_code FROM catalog_procedure").fetchall()
        ]
        agencies = [r[0] for r in conn.execute("SELECT code FROM units_agency").fetchall()]
        rows = io.StringIO()
        for n in range(streams):
            day = DAYS[n % len(DAYS)]
            desk = rng.choice(agencies)
            code = f"{desk}-{day:%y%m%d}-{tag}{n:06}"
            received = dt.datetime.combine(day, dt.time(7, 30), VIETNAM) + dt.timedelta(
                minutes=rng.randrange(0, 9 * 60)
            )
            due = received + dt.timedelta(days=3)
            procedure, competent = rng.choice(procedures), rng.choice(agencies)
            for position in range(1, positions + 1):
                kind, step = STEPS[(position - 1) % len(STEPS)]
                at = received + dt.timedelta(minutes=7 * (position - 1))
                payload = dossier_status(
                    code=code,
                    procedure_code=procedure,
                    receiving_agency=desk,
                    competent_agency=competent,
                    applicant_name="Nguyễn Văn An",
                    applicant_id_number=f"040{rng.randrange(10**9):09d}",
                    business_code="",
                    channel="desk",
                    event_seq=position,
                    action=kind.split(".", 1)[1],
                    step=step,
                    outcome="returned" if step == "returned" else "",
                    received_at=received,
                    due_at=due,
                    finished_at=at if step in ("result_ready", "returned") else None,
                    happened_at=at,
                )
                fields = [
                    NATIONAL_PORTAL,
                    kind,
                    code,
                    str(position),
                    json.dumps(payload, ensure_ascii=False),
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "pending",
                    "0",
                    "",
                    at.isoformat(),
                ]
                rows.write("\t".join(f.replace("\\", "\\\\") for f in fields) + "\n")
        with conn.cursor() as cursor:
            copy_sql = (
                "COPY exchange_outboxmessage (target, kind, stream, position, payload,"
                " idempotency_key, status, attempts, last_error, created_at) FROM STDIN"
            )
            with cursor.copy(copy_sql) as copy:
                copy.write(rows.getvalue())
        conn.execute("ANALYZE exchange_outboxmessage")
    return streams * positions


def outbox_counts() -> dict[str, int]:
    with psycopg.connect(BENCH_URL) as conn:
        return dict(
            conn.execute("SELECT status, COUNT(*) FROM exchange_outboxmessage GROUP BY status")
        )


def unsent() -> int:
    with psycopg.connect(BENCH_URL) as conn:
        return conn.execute(
            "SELECT COUNT(*) FROM exchange_outboxmessage WHERE status <> 'sent'"
        ).fetchone()[0]


# --- processes -------------------------------------------------------------------------------


def start(args: list[str], log: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env(),
        stdout=open(TMP / log, "ab"),  # the child keeps it open
        stderr=subprocess.STDOUT,
    )


def get(path: str) -> dict:
    client = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    client.request("GET", path)
    return json.loads(client.getresponse().read())


def simulator(state: Path, faults: list[str]) -> subprocess.Popen:
    process = start(
        ["simulate_national_portal", "--port", str(PORT), "--state", str(state), *faults],
        "simulator.log",
    )
    for _ in range(200):
        try:
            get("/api/v1/health")
            return process
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the simulator did not start")


def deliverer(number: int, options: list[str]) -> subprocess.Popen:
    return start(["deliver_outbox", *options], f"deliver-{number}.log")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- 1. faults -------------------------------------------------------------------------------

FAULTS = [
    "--error-rate", "0.3",
    "--timeout-rate", "0.1",
    "--hang-ms", "1500",
    "--duplicate-ack-rate", "0.1",
    "--lost-ack-rate", "0.1",
    "--seed", "2026",
]  # fmt: skip
FAULTY_DELIVERY = [
    "--timeout", "1",
    "--lease-seconds", "5",
    "--backoff-base", "0.2",
    "--backoff-cap", "5",
    "--max-attempts", "60",
    "--poll-seconds", "0.5",
    "--concurrency", "32",
]  # fmt: skip


def fault_run(args: argparse.Namespace) -> bool:
    total = insert_outbox(args.streams, args.positions, "F", seed=1)
    print(f"outbox: {total:,} messages in {args.streams:,} dossier streams")
    portal = simulator(TMP / "portal-faults.sqlite3", FAULTS)
    workers = [deliverer(n, FAULTY_DELIVERY) for n in range(args.workers)]
    kills = 0
    began = time.monotonic()
    next_kill = began + args.kill_every
    last_report = began
    try:
        while unsent():
            time.sleep(0.5)
            now = time.monotonic()
            if kills < args.kills * args.workers and now >= next_kill:
                victim = kills % args.workers
                workers[victim].send_signal(signal.SIGKILL)
                workers[victim].wait()
                workers[victim] = deliverer(victim, FAULTY_DELIVERY)
                kills += 1
                next_kill = now + args.kill_every
                print(f"  {now - began:6.0f} s: killed worker {victim} (kill {kills})")
            if now - last_report >= 30:
                print(f"  {now - began:6.0f} s: {outbox_counts()}")
                last_report = now
            if any(w.poll() is not None for w in workers):
                raise SystemExit("a delivery process died on its own: see its log")
            if now - began > args.time_limit:
                raise SystemExit(f"not done after {args.time_limit} s: {outbox_counts()}")
        elapsed = time.monotonic() - began
        if kills < args.kills * args.workers:
            print(f"  note: only {kills} kills happened before the end")
        for worker in workers:
            stop(worker)
        print(f"all sent after {elapsed:,.0f} s with {kills} SIGKILLs; {outbox_counts()}")
        return verify(total, elapsed)
    finally:
        for worker in workers:
            stop(worker)
        stop(portal)


def verify(total: int, elapsed: float) -> bool:
    remote = get("/api/v1/messages")["messages"]
    summary = get("/api/v1/summary")
    with psycopg.connect(BENCH_URL) as conn:
        local = conn.execute(
            "SELECT idempotency_key::text, stream, position, kind, payload->'event'->>'at',"
            " attempts FROM exchange_outboxmessage"
        ).fetchall()
    keys_here = sorted(row[0] for row in local)
    keys_there = sorted(m["idempotency_key"] for m in remote)
    order: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for m in remote:
        order[m["stream"]].append((m["applied_at"], m["position"]))
    out_of_order = sum(
        1
        for applied in order.values()
        if [p for _, p in sorted(applied)] != sorted(p for _, p in applied)
    )
    by_day: dict[dt.date, list] = defaultdict(list)
    for _key, stream, position, kind, at, _attempts in local:
        by_day[day_of(at)].append((stream, position, kind))
    day_differences = 0
    for day, entries in sorted(by_day.items()):
        there = get(f"/api/v1/summary?day={day:%Y-%m-%d}")
        same = (there["count"], there["digest"]) == (len(entries), digest(entries))
        day_differences += not same
        print(f"  {day}: outbox {len(entries):,}, simulator {there['count']:,}, same digest {same}")
    attempts = sum(row[5] for row in local)
    deliveries = sum(m["deliveries"] for m in remote)
    checks = {
        "every message applied exactly once (same keys, no extra)": keys_here == keys_there,
        "as many applied as in the outbox": summary["count"] == total == len(remote),
        "no order violation at the simulator": summary["order_violations"] == 0,
        "no position applied twice": summary["repeated_positions"] == 0,
        "in order per dossier (by time applied)": out_of_order == 0,
        "per day: same count and digest": day_differences == 0,
    }
    print(
        f"attempts recorded {attempts:,} for {total:,} messages; requests carrying a key "
        f"that reached the ledger {deliveries:,}"
    )
    reconciled = []
    for day in sorted(by_day):
        line = manage("reconcile", "--day", day.isoformat()).strip()
        reconciled.append(", 0 differences, 0 sent again" in line)
        print(f"  reconcile: {line}")
    checks["reconcile: zero differences every day"] = all(reconciled)
    for name, ok in checks.items():
        print(f"  {'ok ' if ok else 'FAIL'} {name}")
    print(f"fault run: {total:,} messages in {elapsed:,.0f} s ({total / elapsed:,.0f}/s)")
    return all(checks.values())


# --- 2. throughput ---------------------------------------------------------------------------


def throughput(args: argparse.Namespace, workers: int, run: int) -> float:
    with psycopg.connect(BENCH_URL) as conn:
        conn.execute("TRUNCATE exchange_outboxmessage")
    streams = args.throughput_messages // args.positions
    total = insert_outbox(streams, args.positions, f"T{run}", seed=100 + run)
    state = TMP / f"portal-healthy-{run}.sqlite3"
    portal = simulator(state, [])
    options = ["--concurrency", str(args.concurrency), "--poll-seconds", "0.2"]
    began = time.monotonic()
    processes = [deliverer(100 + n, options) for n in range(workers)]
    try:
        while unsent():
            time.sleep(0.2)
            if time.monotonic() - began > args.time_limit:
                raise SystemExit(f"throughput run not done: {outbox_counts()}")
        elapsed = time.monotonic() - began
    finally:
        for process in processes:
            stop(process)
        stop(portal)
    with psycopg.connect(BENCH_URL) as conn:
        first, last = conn.execute(
            "SELECT MIN(sent_at), MAX(sent_at) FROM exchange_outboxmessage"
        ).fetchone()
    steady = (total - 1) / max((last - first).total_seconds(), 1e-9)
    rate = total / elapsed
    print(
        f"throughput, {workers} worker(s) × {args.concurrency} in flight: {total:,} messages in "
        f"{elapsed:.1f} s = {rate:,.0f}/s from process start; {steady:,.0f}/s first to last sent"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--streams", type=int, default=25_000)
    parser.add_argument("--positions", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kills", type=int, default=3, help="SIGKILLs per worker")
    parser.add_argument("--kill-every", type=float, default=45.0, help="seconds between kills")
    parser.add_argument("--time-limit", type=float, default=3 * 3600)
    parser.add_argument("--throughput-messages", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--skip-faults", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args()

    TMP.mkdir(parents=True, exist_ok=True)
    for old in TMP.glob("*"):
        old.unlink()
    started = time.monotonic()
    fresh_database()
    print(f"database ready in {time.monotonic() - started:.0f} s; logs in {TMP}")
    ok = True
    if not args.skip_faults:
        ok = fault_run(args)
    if not args.skip_throughput:
        for run, workers in enumerate((1, 2)):
            throughput(args, workers, run)
    print(f"total {time.monotonic() - started:,.0f} s")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
