"""Resident memory of one web worker, stage by stage, and while it serves a mixed load.

A gunicorn worker imports ``haicap.wsgi`` (``django.setup()``, the middleware), and its first
request resolves the URL configuration, which imports every view module and builds the API.
This script does the same in one process and prints VmRSS (and VmHWM, the peak) after each
stage, then the packages that hold the most memory allocated while importing, then warms the
process with Django's test client on a demo database and serves more requests to see it grow:
officers receiving and acting over the API, desk homes and lists, the province dashboard,
citizens looking dossiers up on the portal.

    PYTHONPATH=$PWD HAICAP_VAR_DIR=/tmp/var-bench python bench/worker_memory.py --prepare
    PYTHONPATH=$PWD HAICAP_VAR_DIR=/tmp/var-bench python bench/worker_memory.py

``--prepare`` migrates the SQLite database in HAICAP_VAR_DIR and loads the demo province (no
history) once; later runs reuse it. ``--imports-only`` stops after the import stages.
``--by-package`` prints only the breakdown by package (its own run: tracemalloc inflates the
process it runs in, and takes minutes).
"""

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
OFFICERS = ("tiepnhan.doluong", "chuyenvien.doluong", "lanhdao.doluong")
SUPERVISORS = ("giamsat", "lanhdao.tinh")
INTAKE = {
    "procedure_code": "X.HT.007",
    "receiving_agency_code": "17662.05.H40",
    "applicant": {"name": "Nguyễn Văn Thử", "id_number": "040195012345"},
}


def status_kb() -> tuple[int, int]:
    """VmRSS and VmHWM of this process, in kB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields["VmRSS"], fields["VmHWM"]


QUIET = "--by-package" in sys.argv  # the breakdown run prints no stages


def report(stage: str) -> None:
    if QUIET:
        return
    rss, hwm = status_kb()
    print(f"{stage:<44} VmRSS {rss / 1024:7.1f} MB   VmHWM {hwm / 1024:7.1f} MB", flush=True)


def load_like_a_worker() -> None:
    """What a gunicorn worker does before and at its first request."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
    django.setup()
    report("django.setup()")
    import haicap.wsgi  # noqa: F401  (the middleware chain, gc.freeze)

    report("import haicap.wsgi")
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018  (imports the URL modules, the views and the API)
    report("URLconf resolved")
    resolver.reverse_dict  # noqa: B018  (the first reverse() builds the lookup tables)
    report("URLconf reverse tables")


def by_package(limit: int = 15) -> None:
    """Memory allocated while importing, grouped by the top-level package that allocated it."""
    import tracemalloc

    tracemalloc.start(12)
    load_like_a_worker()
    snapshot = tracemalloc.take_snapshot()
    tracemalloc.stop()
    sizes: Counter[str] = Counter()
    for trace in snapshot.traces:
        # Code objects are unmarshalled by importlib's frozen frames: counted against the
        # module whose import statement asked for them.
        frames = [f.filename for f in trace.traceback if not f.filename.startswith("<")]
        name = frames[-1] if frames else "<frozen importlib>"
        if "site-packages/" in name:
            package = name.split("site-packages/", 1)[1].split("/", 1)[0]
        elif str(PROJECT) in name:
            package = "/".join(Path(name).relative_to(PROJECT).parts[:2])
        else:
            package = "(stdlib) " + Path(name).parent.name
        sizes[package.removesuffix(".py")] += trace.size
    print("\nallocated at import by package (tracemalloc; heavier than RSS counts):")
    for package, size in sizes.most_common(limit):
        print(f"  {size / 1024 / 1024:7.1f} MB  {package}")
    heavy = sorted(
        name
        for name in (
            "pyhanko",
            "highspy",
            "pikepdf",
            "img2pdf",
            "docx",
            "openpyxl",
            "reportlab",
            "pygal",
            "numpy",
            "PIL",
            "lxml",
            "cryptography",
        )
        if name in sys.modules
    )
    print(f"heavy packages loaded at rest: {', '.join(heavy) or 'none'}")


def prepare() -> None:
    manage = [sys.executable, str(PROJECT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], check=True)
    subprocess.run([*manage, "load_demo_province", "--no-history"], check=True)
    subprocess.run([*manage, "collectstatic", "--no-input", "-v", "0"], check=True)


def serve(rounds: int) -> None:
    """Sign in the demo accounts and serve the mixed pages; then `rounds` more requests."""
    from io import StringIO

    from django.core.management import call_command
    from django.test import Client

    from haicap.accounts.demo import DEMO_PASSWORD

    out = StringIO()
    call_command("issue_api_token", OFFICERS[0], f"memory-{time.time_ns()}", stdout=out)
    bearer = {"Authorization": f"Bearer {out.getvalue().strip()}"}
    api = Client(headers=bearer)
    citizen = Client()
    officers = []
    for username in OFFICERS + SUPERVISORS:
        client = Client()
        if not client.login(username=username, password=DEMO_PASSWORD):
            raise SystemExit(f"cannot sign in as {username}")
        officers.append((username, client))
    report("signed in 5 accounts")
    received: list[dict] = []
    sequence = [0]

    def one_round() -> int:
        sequence[0] += 1
        number = sequence[0]
        done = 0
        response = api.post(
            "/api/v1/dossiers",
            INTAKE,
            content_type="application/json",
            headers={"Idempotency-Key": f"memory-{time.time_ns()}-{number}"},
        )
        assert response.status_code == 201, response.content[:300]
        received.append(response.json())
        done += 1
        code = received[-1]["code"]
        response = api.post(
            f"/api/v1/dossiers/{code}/actions",
            {"action": "forward", "expected_version": 1},
            content_type="application/json",
            headers={"Idempotency-Key": f"memory-f-{time.time_ns()}-{number}"},
        )
        assert response.status_code == 200, response.content[:300]
        assert api.get("/api/v1/dossiers").status_code == 200
        done += 2
        username, client = officers[number % len(officers)]
        for path in ("/desk/", "/desk/ho-so/", f"/desk/ho-so/{code}/"):
            assert client.get(path).status_code == 200, (username, path)
            done += 1
        supervisor = officers[-1 - number % len(SUPERVISORS)][1]
        assert supervisor.get("/desk/chi-so/").status_code == 200
        assert citizen.get("/").status_code == 200
        looked_up = received[number % len(received)]
        response = citizen.post(
            "/tra-cuu-ho-so/", {"code": looked_up["code"], "pin": looked_up["pin"]}
        )
        assert response.status_code == 200
        return done + 3

    requests = sum(one_round() for _ in range(5))
    report(f"warm ({requests} requests)")
    started, requests = time.monotonic(), 0
    while requests < rounds:
        requests += one_round()
    report(f"after {requests} more requests ({time.monotonic() - started:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--prepare", action="store_true", help="migrate and load the demo first")
    parser.add_argument("--imports-only", action="store_true")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--by-package",
        action="store_true",
        help="only the import-time breakdown by package (tracemalloc: takes minutes)",
    )
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
    if options.by_package:
        by_package()
        return
    if "HAICAP_VAR_DIR" not in os.environ:
        raise SystemExit("set HAICAP_VAR_DIR to a scratch directory")
    if options.prepare:
        prepare()
    report("interpreter")
    load_like_a_worker()
    if not options.imports_only:
        serve(options.requests)


if __name__ == "__main__":
    main()
