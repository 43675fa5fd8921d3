"""What one request costs haicap's web stack with nothing else to do: the ceiling an intake's
throughput is measured against.

    .venv/bin/python bench/request_ceiling.py --database haicap_bench

Starts gunicorn (``--workers``, as ``make run`` does) on an existing haicap database, then
``--clients`` threads each make ``--requests`` GETs, one address after the other:
``/healthz/live`` (a Django view that reads nothing) and ``/healthz`` (three small reads:
``SELECT 1``, the worker's heartbeat, the oldest undelivered outbox message; it answers 503
without a worker, which costs the same). Prints requests per second for each. Asserts nothing.
"""

import argparse
import http.client
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATHS = ("/healthz/live", "/healthz")


def hammer(port: int, path: str, requests: int, statuses: list[int]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for _ in range(requests):
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)


def wait_for(port: int) -> None:
    for _ in range(150):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz/live")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.2)  # nor answering 200 yet: a 503 is asked again, not 150 times at once
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="haicap_bench")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=250, help="per client and address")
    parser.add_argument("--port", type=int, default=8799)
    options = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{options.database}",
        "HAICAP_VAR_DIR": os.environ.get("HAICAP_VAR_DIR", "/tmp/haicap-ceiling"),
    }
    command = [sys.executable, "-m", "gunicorn", "haicap.wsgi", "--log-level", "error"]
    command += ["--bind", f"127.0.0.1:{options.port}", "--workers", str(options.workers)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        wait_for(options.port)
        print(f"gunicorn, {options.workers} workers, {options.clients} clients")
        for path in PATHS:
            statuses: list[int] = []
            threads = [
                threading.Thread(
                    target=hammer, args=(options.port, path, options.requests, statuses)
                )
                for _ in range(options.clients)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seconds = time.perf_counter() - started
            answered = sorted(set(statuses))
            print(
                f"{path:<15} {len(statuses)} in {seconds:.1f} s = {len(statuses) / seconds:,.0f}/s "
                f"(status {answered})"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
