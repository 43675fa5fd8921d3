"""Audited writes per second with one and with several writer threads, on PostgreSQL.

Run from the project root (PostgreSQL must be running):

    .venv/bin/python bench/audit_chain.py                 # 1 and 8 threads, 5 s each
    .venv/bin/python bench/audit_chain.py --seconds 10 --work-ms 2

It creates a scratch database ``haicap_bench_audit`` (dropped and made anew each run) and
migrates it. Each thread has its own connection and, for the given time, writes one audited
record per transaction about a target of its own (``bench.target``, a new id each time), as a
service does; ``--work-ms`` keeps each transaction open that much longer after recording, as the
rest of a service's work would. It prints records per second per thread count, then checks the
log with ``verify_audit_chain``. It is not a test.
"""

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DB = "haicap_bench_audit"
BENCH_URL = ADMIN_URL.rsplit("/", 1)[0] + f"/{BENCH_DB}"


def fresh_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {BENCH_DB}")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": BENCH_URL, "PYTHONPATH": str(ROOT)},
        check=True,
    )


def drop_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def run(threads: int, seconds: float, work_ms: float) -> float:
    """Records per second written by ``threads`` writers for ``seconds``."""
    from django.db import connections, transaction

    from haicap.core.audit import record_change

    counts = [0] * threads
    errors: list[BaseException] = []
    start = threading.Barrier(threads + 1)
    stop_at = [0.0]

    def writer(number: int) -> None:
        try:
            start.wait()
            i = 0
            while time.perf_counter() < stop_at[0]:
                with transaction.atomic():
                    record_change("bench.write", ("bench.target", f"{number}-{i}"), after={"i": i})
                    if work_ms:
                        time.sleep(work_ms / 1000)
                i += 1
            counts[number] = i
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    start.wait()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise errors[0]
    return sum(counts) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--work-ms", type=float, default=0.0)
    parser.add_argument("--rounds", type=int, default=1, help="repeat each thread count")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    fresh_database()
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    try:
        for _ in range(args.rounds):
            for threads in args.threads:
                rate = run(threads, args.seconds, args.work_ms)
                print(f"{threads} thread(s), work {args.work_ms} ms: {rate:,.0f} records/s")
        call_command("verify_audit_chain")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database()


if __name__ == "__main__":
    main()
