"""Server time of the dashboard's figures and of the officer's work queue, on a large province.

Run from the project root after ``bench/generate_province.py`` has filled ``haicap_kpi_bench``:

    .venv/bin/python bench/kpi_speed.py --runs 50
    .venv/bin/python bench/kpi_speed.py --runs 50 --database haicap_kpi_bench_small  # another

Everything runs in this process, with Django set up on ``haicap_kpi_bench`` through
``haicap.wsgi``, as the server sets it up: a case is one call
of the code the pages call, timed from the call to its last row (Python and SQL alike, templates
not included). Each case runs once to count its SQL queries (``CaptureQueriesContext``) and warm
the caches, then ``--runs`` times (fewer if a case uses up ``--budget`` seconds) for p50 and p95.
The user object is read afresh before each run (untimed), so each run computes the user's scope
with its one query, as a request does.

(a) ``haicap.kpi.selectors.indicators`` for the province supervisor (``giamsat``) and a commune
    leader (``lanhdao.doluong``): the whole province (or the leader's commune, as the scoping
    rule allows) for a month, a quarter, a year, an arbitrary range and the month to date (a
    range reaching today also counts the dossiers paused and overdue now); grouped by unit, by
    field and by month; one commune, one field and the online channel (which reads the figures
    by procedure and channel, the others those by field); and the reads of the whole dashboard
    page (``indicators_by`` for its total and tables, the series by month, the backlog by age).
(b) the desk's home for ``tiepnhan.doluong`` and ``chuyenvien.doluong``:
    ``counted_work_queues`` (the five queues' counts in two queries), each queue's first
    ``QUEUE_ROWS`` rows with their remaining time (``timed_lists``: one calendar read for all),
    and the count of pending online submissions (``haicap.desk.views.home`` without the
    template).
(c) for reference, the province-month aggregate as one plain scan of ``dossiers_dossier``
    (``COUNT(*) FILTER (...)``), whole and grouped by commune.

``--explain PATTERN`` prints ``EXPLAIN (ANALYZE, BUFFERS)`` of every query of the cases whose
name contains PATTERN, instead of timing them. ``--cases PATTERN`` times only those cases.
"""

import argparse
import datetime as dt
import hashlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The database is chosen before Django is set up: ``--database`` names it on the local server,
# ``BENCH_URL`` (a whole URL) overrides both.
_database = argparse.ArgumentParser(add_help=False)
_database.add_argument("--database", default="haicap_kpi_bench")
DATABASE = _database.parse_known_args()[0].database
BENCH_URL = os.environ.get("BENCH_URL", f"postgres://postgres@127.0.0.1:5432/{DATABASE}")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
os.environ.setdefault("HAICAP_LOG_LEVEL", "WARNING")

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

# Django set up as the production server sets it up (what is loaded by then is kept out of the
# garbage collector's full passes).
import haicap.wsgi  # noqa: E402, F401
from haicap.accounts.models import User  # noqa: E402
from haicap.calendar.workdays import VIETNAM  # noqa: E402
from haicap.core import clock  # noqa: E402
from haicap.desk import views as desk_views  # noqa: E402
from haicap.desk.selectors import approaching_until, home_queues  # noqa: E402
from haicap.desk.timing import timed  # noqa: E402
from haicap.dossiers import selectors as dossier_selectors  # noqa: E402
from haicap.kpi.periods import months_back  # noqa: E402
from haicap.kpi.selectors import Slice, backlog_ageing, indicators, indicators_by  # noqa: E402
from haicap.kpi.views import SERIES_MONTHS, dashboard_groups  # noqa: E402

QUEUES = [name for name, _title in desk_views.QUEUES]


@dataclass
class Case:
    name: str
    user: str | None
    call: Callable[[User | None], object]
    target_ms: float


@dataclass
class Result:
    case: Case
    runs: list[float]
    queries: int
    size: int

    @property
    def p50(self) -> float:
        return statistics.median(self.runs)

    @property
    def p95(self) -> float:
        ordered = sorted(self.runs)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def periods(today: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    """The periods the cases read: whole ones before today, and the month to date."""
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    quarter_start = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    previous_quarter = (quarter_start - dt.timedelta(days=1)).replace(day=1)
    previous_quarter = previous_quarter.replace(month=(previous_quarter.month - 1) // 3 * 3 + 1)
    return {
        "month": (last_month, this_month - dt.timedelta(days=1)),
        "quarter": (previous_quarter, quarter_start - dt.timedelta(days=1)),
        "year": (dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)),
        "range": (dt.date(2025, 3, 17), dt.date(2025, 5, 9)),
        "month-to-date": (this_month, today),
    }


# The users the dashboard cases read as, and the slice the dashboard adds for each: a commune's
# staff always read their own commune (``haicap.kpi.views.own_slice``).
READERS = {"giamsat": {}, "lanhdao.doluong": {"unit_code": "17662"}}


def reading(start: dt.date, end: dt.date, group: str | None, where: Slice) -> Callable:
    return lambda user: indicators(user, start, end, group, where)


def dashboard_cases(today: dt.date, commune: str, field: str) -> list[Case]:
    cases = []
    for username, own in READERS.items():
        for label, (start, end) in periods(today).items():
            for group in (None, "unit", "field", "month"):
                cases.append(
                    Case(
                        f"indicators {label} {start}..{end} by {group or 'total'}",
                        username,
                        reading(start, end, group, Slice(**own)),
                        20,
                    )
                )
        for label in ("month", "year"):
            start, end = periods(today)[label]
            for what, where in (
                (f"commune {commune}", Slice(**{"unit_code": commune, **own})),
                (f"field {field}", Slice(**{"field_code": field, **own})),
                ("channel online", Slice(**{"channel": "online", **own})),
            ):
                cases.append(
                    Case(
                        f"indicators {label} {start}..{end} {what}",
                        username,
                        reading(start, end, None, where),
                        20,
                    )
                )
        for label in ("month", "month-to-date"):
            start, end = periods(today)[label]
            cases.append(
                Case(
                    f"dashboard page reads, {label} {start}..{end}",
                    username,
                    lambda user, s=start, e=end, w=own: dashboard_reads(user, s, e, Slice(**w)),
                    20 * (4 if own else 7),  # 20 ms a call
                )
            )
    return cases


def dashboard_reads(user: User, start: dt.date, end: dt.date, where: Slice) -> list:
    """The figures ``haicap.kpi.views.dashboard`` reads for a period."""
    months = months_back(end, SERIES_MONTHS)
    return [
        indicators_by(user, start, end, dashboard_groups(not where.unit_code), where),
        indicators(user, months.start, months.end, "month", where),
        backlog_ageing(user, where),
    ]


def home(user: User) -> tuple:
    """What ``haicap.desk.views.home`` reads for its page, without rendering it."""
    return home_queues(user, clock.now())


def queue_cases() -> list[Case]:
    cases = []
    for username in ("tiepnhan.doluong", "chuyenvien.doluong"):
        cases.append(Case("desk home: 5 queues, count + 10 rows each", username, home, 50))
        for name in QUEUES:
            cases.append(
                Case(
                    f"queue {name}: count + 10 rows",
                    username,
                    lambda user, n=name: _one_queue(user, n),
                    50,
                )
            )
    return cases


def _one_queue(user: User, name: str) -> tuple[int, list]:
    now = clock.now()
    queue = dossier_selectors.work_queues(user, now, approaching_until(now))[name]
    return queue.count(), timed(queue[: dossier_selectors.QUEUE_ROWS], now)


PLAIN_MONTH = """
SELECT {group}
  count(*) FILTER (WHERE received_at >= %(start)s AND received_at < %(end)s) AS received,
  count(*) FILTER (WHERE received_at >= %(start)s AND received_at < %(end)s
                   AND channel = 'online') AS received_online,
  count(*) FILTER (WHERE finished_at >= %(start)s AND finished_at < %(end)s) AS closed,
  count(*) FILTER (WHERE finished_at >= %(start)s AND finished_at < %(end)s
                   AND timeliness <> '') AS resolved,
  count(*) FILTER (WHERE finished_at >= %(start)s AND finished_at < %(end)s
                   AND timeliness = 'early') AS early,
  count(*) FILTER (WHERE finished_at >= %(start)s AND finished_at < %(end)s
                   AND timeliness = 'on_time') AS on_time,
  count(*) FILTER (WHERE finished_at >= %(start)s AND finished_at < %(end)s
                   AND timeliness = 'late') AS late,
  count(*) FILTER (WHERE finished_at >= %(start)s AND finished_at < %(end)s
                   AND outcome = 'refused') AS refused,
  count(*) FILTER (WHERE finished_at >= %(start)s AND finished_at < %(end)s
                   AND outcome = 'withdrawn') AS withdrawn,
  sum(worked_days) FILTER (WHERE finished_at >= %(start)s AND finished_at < %(end)s)
    AS worked_days
FROM dossiers_dossier d {join}
WHERE (received_at >= %(start)s AND received_at < %(end)s)
   OR (finished_at >= %(start)s AND finished_at < %(end)s)
{group_by}
"""


def plain_cases(today: dt.date) -> list[Case]:
    start, end = periods(today)["month"]
    bounds = {
        "start": dt.datetime.combine(start, dt.time(0), VIETNAM),
        "end": dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), VIETNAM),
    }
    whole = PLAIN_MONTH.format(group="", join="", group_by="")
    by_unit = PLAIN_MONTH.format(
        group="a.unit_id,",
        join="JOIN units_agency a ON a.id = d.competent_agency_id",
        group_by="GROUP BY a.unit_id",
    )

    def run(sql: str) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, bounds)
            return cursor.fetchall()

    return [
        Case(f"plain scan {start}..{end} total", None, lambda _u: run(whole), 20),
        Case(f"plain scan {start}..{end} by unit", None, lambda _u: run(by_unit), 20),
    ]


def measure(case: Case, runs: int, budget: float) -> Result:
    def fresh_user() -> User | None:
        return User.objects.get(username=case.user) if case.user else None

    user = fresh_user()
    with CaptureQueriesContext(connection) as captured:
        answer = case.call(user)
    queries = len(captured.captured_queries)
    times = []
    began = time.perf_counter()
    for _ in range(runs):
        user = fresh_user()
        started = time.perf_counter()
        case.call(user)
        times.append((time.perf_counter() - started) * 1000)
        if time.perf_counter() - began > budget and len(times) >= 5:
            break
    size = len(answer) if hasattr(answer, "__len__") else 1
    return Result(case, times, queries, size)


def explain(case: Case) -> None:
    user = User.objects.get(username=case.user) if case.user else None
    with CaptureQueriesContext(connection) as captured:
        case.call(user)
    print(f"\n## {case.name} ({case.user}): {len(captured.captured_queries)} queries")
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"\n-- {query['time']} s: {sql[:2000]}\n{plan}")


def describe() -> None:
    """Where the figures come from: the database's size, the code's version."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        print(f"# {version}, database {connection.settings_dict['NAME']}")
        cursor.execute(
            "SELECT relname, n_live_tup, pg_size_pretty(pg_total_relation_size(relid))"
            " FROM pg_stat_user_tables WHERE relname IN ('dossiers_dossier',"
            " 'dossiers_dossieraccess') OR relname LIKE 'kpi_%%' ORDER BY relname"
        )
        for name, rows, size in cursor.fetchall():
            print(f"#   {name}: {rows:,} rows, {size}")
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    digests = []
    for path in ("haicap/kpi/selectors.py", "haicap/dossiers/selectors.py"):
        digest = hashlib.sha256((ROOT / path).read_bytes()).hexdigest()[:12]
        digests.append(f"{path} sha256 {digest}")
    print(f"# code: HEAD {head}; {'; '.join(digests)} (the working tree as measured)")
    now = clock.now().astimezone(VIETNAM)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"# now: {now:%Y-%m-%d %H:%M} Vietnam time, {os.cpu_count()} cores, load average {load}")
    from haicap.kpi.selectors import balanced_through

    print(f"# month-end balances written through: {balanced_through() or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds at most per case")
    parser.add_argument("--cases", default="", help="only the cases whose name contains this")
    parser.add_argument("--explain", default="", help="EXPLAIN ANALYZE the cases matching this")
    parser.add_argument("--commune", default="17662", help="unit code of the commune slice")
    parser.add_argument("--field", default="HOTICH", help="field code of the field slice")
    parser.add_argument(
        "--database", default="haicap_kpi_bench", help="the scratch database on the local server"
    )
    options = parser.parse_args()

    today = clock.now().astimezone(VIETNAM).date()
    cases = [
        *dashboard_cases(today, options.commune, options.field),
        *queue_cases(),
        *plain_cases(today),
    ]
    if options.explain:
        for case in cases:
            if options.explain in f"{case.name} {case.user}":
                explain(case)
        return
    describe()
    print("\n| case | user | p50 ms | p95 ms | target p95 | SQL queries | runs | keys/rows |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    results = []
    for case in cases:
        if options.cases not in f"{case.name} {case.user}":
            continue
        result = measure(case, options.runs, options.budget)
        results.append(result)
        mark = "" if result.p95 <= case.target_ms else " ✗"
        print(
            f"| {case.name} | {case.user or '—'} | {result.p50:.1f} | {result.p95:.1f}{mark} |"
            f" {case.target_ms:.0f} | {result.queries} | {len(result.runs)} | {result.size} |",
            flush=True,
        )
    met = sum(1 for r in results if r.p95 <= r.case.target_ms)
    print(f"\n{met} of {len(results)} cases within their p95 target")
    print(f"# load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
