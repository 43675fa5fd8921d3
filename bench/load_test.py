"""A province's mixed day under load: locust against ``make run``'s stack on PostgreSQL.

Run from the project root (PostgreSQL must be running):

    .venv/bin/python bench/load_test.py --minutes 10 --users 60 --spawn-rate 5

It prepares the scratch database ``haicap_load`` with ``bench/generate_province.py`` (1 M
dossiers by default; ``--reuse`` keeps the one made by an earlier run), migrates it and collects
the static files as ``make run`` does (the generator has loaded the demo province already),
then adds what the load needs and the generator does not make: an intake officer with an API
token at each of ``--desks`` communes' one-stop desks (signing in with the demo password too),
and a pool of dossiers received over the API whose PINs citizens know.

It starts gunicorn and the worker with ``make run``'s command lines (``WEB_CONCURRENCY`` web
workers), runs ``bench/load/locustfile.py`` headless for ``--minutes`` at ``--users`` and
``--spawn-rate``, samples the resident memory (VmRSS) of every web worker, the gunicorn
master's children, every 5 s, and prints the requests, the failures, p50/p95/p99 per request
kind, the total rate and each worker's memory at 1 minute and at the end, with its growth after
the first minute and its maximum.

It exits non-zero if a request failed, a worker grew more than 10 % after the first minute or
went over 150 MB, or a worker was replaced during the run. Locust's CSV files, the memory
samples and the servers' logs stay in ``--out`` (default /tmp/haicap-load).
"""

import argparse
import csv
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SAMPLE_EVERY = 5.0  # seconds between memory samples
SETTLED_AFTER = 60.0  # the first minute is warm-up: imports, caches, connections
MAX_GROWTH = 0.10
MAX_RSS_KB = 150 * 1024


def database_url(name: str) -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def server_env(options: argparse.Namespace) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url(options.database),
        "DJANGO_SETTINGS_MODULE": "haicap.settings",
        "PYTHONPATH": str(ROOT),
        # Citizens come through 127.0.0.1 as through the province's proxy, each from its own
        # address, so the PIN throttle counts them apart as it would in production.
        "HAICAP_TRUSTED_PROXIES": "127.0.0.1",
    }


def manage(options: argparse.Namespace, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=server_env(options), check=True
    )


def prepare_database(options: argparse.Namespace) -> None:
    if not options.reuse:
        subprocess.run(
            [
                sys.executable,
                "bench/generate_province.py",
                "--dossiers",
                str(options.dossiers),
                "--database",
                options.database,
            ],
            cwd=ROOT,
            check=True,
        )
    # make run's first steps (load_demo_province is already done by the generator).
    manage(options, "migrate", "--no-input", "-v", "0")
    manage(options, "collectstatic", "--no-input", "-v", "0")


def make_desks(options: argparse.Namespace) -> dict:
    """An intake officer with a token at each of the first ``--desks`` communes' desks, and the
    procedures a commune desk receives. Made through the project's own services."""
    os.environ.update({k: v for k, v in server_env(options).items() if k != "PYTHONPATH"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from haicap.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
    from haicap.accounts.models import User
    from haicap.accounts.services import create_staff_user, grant_membership, issue_api_token
    from haicap.catalog.models import Procedure
    from haicap.core.context import acting_as
    from haicap.core.roles import Role
    from haicap.units.models import Agency

    procedures = list(
        Procedure.objects.filter(tier="commune")
        .order_by("national_code")
        .values_list("national_code", flat=True)
    )
    centres = Agency.objects.filter(kind="commune_service_center").order_by("code")[: options.desks]
    desks, officers = [], []
    with acting_as("load_test"):
        for number, agency in enumerate(centres, 1):
            username = f"tiepnhan.load{number:03d}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = create_staff_user(
                    None, username=username, full_name=f"Cán bộ {number}", password=DEMO_PASSWORD
                )
            grant_membership(None, user, agency, Role.INTAKE_OFFICER)
            _token, plaintext = issue_api_token(user, user, "load test")
            desks.append({"agency_code": agency.code, "token": plaintext, "procedures": procedures})
            officers.append(username)
    by_role = {a.username: a for a in DEMO_ACCOUNTS}
    province = [u for u, a in by_role.items() if a.role == Role.PROVINCE_SUPERVISOR]
    province += [u for u, a in by_role.items() if a.reads_province]
    demo_desk = ["tiepnhan.doluong", "chuyenvien.doluong", "lanhdao.doluong", "tiepnhan.vanhien"]
    from django.db import connections

    connections.close_all()
    return {
        "desks": desks,
        "desk_accounts": demo_desk + officers,
        "province_accounts": province,
        "password": DEMO_PASSWORD,
    }


def start_stack(options: argparse.Namespace, out: Path) -> tuple[subprocess.Popen, ...]:
    """gunicorn and the worker, with ``make run``'s command lines."""
    env = server_env(options)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker"],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # make run's setsid
        stdout=(out / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "haicap.wsgi",
            "--bind",
            f"127.0.0.1:{options.port}",
            "--workers",
            str(options.workers),
            "--access-logfile",
            "-",
        ],
        cwd=ROOT,
        env=env,
        stdout=(out / "access.log").open("w"),
        stderr=(out / "gunicorn.log").open("w"),
    )
    for _ in range(150):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", options.port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server, worker
        except OSError:
            pass  # not listening yet
        time.sleep(0.2)  # nor answering 200 yet: a 503 is asked again, not 150 times at once
    stop_stack(server, worker)
    raise SystemExit("the server did not start")


def stop_stack(server: subprocess.Popen, worker: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
    try:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=10)  # as make run: asked to stop, killed after 10 s
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def seed_lookups(options: argparse.Namespace, config: dict) -> list[tuple[str, str]]:
    """Dossiers received over the API before the load, so citizens have codes and PINs."""
    made = []
    connection = http.client.HTTPConnection("127.0.0.1", options.port, timeout=60)
    for number in range(options.seed_dossiers):
        desk = config["desks"][number % len(config["desks"])]
        body = {
            "procedure_code": desk["procedures"][number % len(desk["procedures"])],
            "receiving_agency_code": desk["agency_code"],
            "applicant": {"name": "Nguyễn Văn Thử", "id_number": f"0401950{number:05d}"},
        }
        connection.request(
            "POST",
            "/api/v1/dossiers",
            json.dumps(body),
            {
                "Authorization": f"Bearer {desk['token']}",
                "Content-Type": "application/json",
                "Idempotency-Key": str(uuid.uuid4()),
            },
        )
        response = connection.getresponse()
        payload = json.loads(response.read() or b"{}")
        if response.status != 201:
            raise SystemExit(f"seeding failed: {response.status} {payload}")
        made.append((payload["code"], payload["pin"]))
    return made


def children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def memory_kb(pid: int) -> tuple[int, int] | None:
    """A process's resident memory now (VmRSS) and its peak so far (VmHWM), in kB: the peak
    catches what comes and goes between two samples (a sign-in's Argon2 hash, for one)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    found = {
        line.split(":")[0]: int(line.split()[1])
        for line in lines
        if line.startswith(("VmRSS:", "VmHWM:"))
    }
    if len(found) < 2:
        return None
    return found["VmRSS"], found["VmHWM"]


@dataclass
class Sampler:
    """Samples the web workers' VmRSS every ``SAMPLE_EVERY`` s in a thread."""

    master: int
    path: Path
    samples: list[tuple[float, int, int, int]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        started = time.monotonic()
        with self.path.open("w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["seconds", "pid", "rss_kb", "peak_kb"])
            while not self.stop.is_set():
                at = time.monotonic() - started
                for pid in children_of(self.master):
                    found = memory_kb(pid)
                    if found is not None:
                        self.samples.append((at, pid, *found))
                        writer.writerow([f"{at:.1f}", pid, *found])
                out.flush()
                self.stop.wait(SAMPLE_EVERY)


@dataclass(frozen=True)
class WorkerMemory:
    pid: int
    at_one_minute_kb: int
    at_end_kb: int
    max_kb: int  # the peak (VmHWM), between samples too
    growth: float  # the largest RSS after the first minute over the RSS at one minute, less 1
    seen_from: float
    seen_until: float


def memory_by_worker(samples: list[tuple[float, int, int, int]]) -> list[WorkerMemory]:
    by_pid: dict[int, list[tuple[float, int]]] = {}
    peaks: dict[int, int] = {}
    for at, pid, kb, peak_kb in samples:
        by_pid.setdefault(pid, []).append((at, kb))
        peaks[pid] = max(peaks.get(pid, 0), peak_kb, kb)
    result = []
    for pid, series in sorted(by_pid.items()):
        settled = [kb for at, kb in series if at >= SETTLED_AFTER] or [series[-1][1]]
        base = settled[0]
        result.append(
            WorkerMemory(
                pid=pid,
                at_one_minute_kb=base,
                at_end_kb=series[-1][1],
                max_kb=peaks[pid],
                growth=max(settled) / base - 1,
                seen_from=series[0][0],
                seen_until=series[-1][0],
            )
        )
    return result


def read_stats(path: Path) -> list[dict]:
    with path.open(newline="") as source:
        return list(csv.DictReader(source))


def report(stats: list[dict], memory: list[WorkerMemory], expected_workers: int) -> list[str]:
    """Print the figures; return the reasons the run failed (none: it passed)."""
    problems = []
    rows = [r for r in stats if r["Name"] != "Aggregated"]
    total = next(r for r in stats if r["Name"] == "Aggregated")
    print(f"\n{'request kind':<42} {'count':>7} {'fail':>5}", end="")
    print(f" {'p50':>6} {'p95':>6} {'p99':>6} {'/s':>6}")
    for row in sorted(rows, key=lambda r: r["Name"]):
        print(
            f"{row['Type'] + ' ' + row['Name']:<42} {row['Request Count']:>7}"
            f" {row['Failure Count']:>5} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
            f" {float(row['Requests/s']):>6.1f}"
        )
    print(
        f"{'all':<42} {total['Request Count']:>7} {total['Failure Count']:>5}"
        f" {total['50%']:>6} {total['95%']:>6} {total['99%']:>6}"
        f" {float(total['Requests/s']):>6.1f}"
    )
    print("(times in ms)")
    failures = int(total["Failure Count"])
    print(f"\nrequests: {total['Request Count']}, failures: {failures}")
    if failures:
        problems.append(f"{failures} requests failed (see locust_failures.csv)")
    print(f"total rate: {float(total['Requests/s']):.1f} requests/s")

    print(f"\n{'web worker':<11} {'1 min MB':>9} {'end MB':>8} {'peak MB':>8} {'growth':>7}")
    for worker in memory:
        print(
            f"{worker.pid:<11} {worker.at_one_minute_kb / 1024:>9.1f}"
            f" {worker.at_end_kb / 1024:>8.1f} {worker.max_kb / 1024:>8.1f}"
            f" {worker.growth:>7.1%}"
        )
        if worker.growth > MAX_GROWTH:
            problems.append(f"worker {worker.pid} grew {worker.growth:.1%} after the first minute")
        if worker.max_kb > MAX_RSS_KB:
            problems.append(f"worker {worker.pid} reached {worker.max_kb / 1024:.1f} MB")
    if len(memory) != expected_workers:
        problems.append(
            f"{len(memory)} web workers were seen for {expected_workers}: some were replaced"
        )
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--database", default="haicap_load")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database an earlier run generated"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", "3")),
        help="gunicorn web workers (default: WEB_CONCURRENCY, or 3 as make run)",
    )
    parser.add_argument("--desks", type=int, default=40, help="communes' desks receiving")
    parser.add_argument(
        "--seed-dossiers", type=int, default=200, help="dossiers received before the load"
    )
    parser.add_argument("--prepare-only", action="store_true", help="make the database and stop")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8766")))
    parser.add_argument("--out", type=Path, default=Path("/tmp/haicap-load"))
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    # A SIGTERM (timeout, a CI job stopped) unwinds like Ctrl-C, so the worker, in its own
    # session, is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    prepare_database(options)
    if options.prepare_only:
        return
    config = make_desks(options)
    server, worker = start_stack(options, options.out)
    sampler = Sampler(server.pid, options.out / "memory.csv")
    try:
        config["lookups"] = seed_lookups(options, config)
        config_path = options.out / "config.json"
        config_path.write_text(json.dumps(config))
        thread = threading.Thread(target=sampler.run, daemon=True)
        thread.start()
        print(
            f"locust: {options.users} users (+{options.spawn_rate}/s) for {options.minutes} min"
            f" against {options.workers} web workers, {len(config['desks'])} desks",
            flush=True,
        )
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench/load/locustfile.py"),
                "--headless",
                "--host",
                f"http://127.0.0.1:{options.port}",
                "--users",
                str(options.users),
                "--spawn-rate",
                str(options.spawn_rate),
                "--run-time",
                f"{round(options.minutes * 60)}s",
                "--csv",
                str(options.out / "locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**os.environ, "HAICAP_LOAD_CONFIG": str(config_path)},
            check=False,  # its exit code says there were failures; the report says which
        )
        sampler.stop.set()
        thread.join()
    finally:
        sampler.stop.set()
        stop_stack(server, worker)
    problems = report(
        read_stats(options.out / "locust_stats.csv"),
        memory_by_worker(sampler.samples),
        options.workers,
    )
    print(f"\nCSV and memory samples in {options.out}")
    if problems:
        print("FAILED: " + "; ".join(problems))
        raise SystemExit(1)
    print("passed: no failures, memory flat")


if __name__ == "__main__":
    main()
