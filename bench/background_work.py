"""Background work at scale: the deadline sweep, the month close and outbox delivery.

Run from the project root (PostgreSQL must be running), on a province the generator made:

    .venv/bin/python bench/generate_province.py --dossiers 100000 --database haicap_bench_bg
    .venv/bin/python bench/background_work.py --database haicap_bench_bg --open 1000000

It adds ``--open`` running dossiers (copies of the generator's open ones, with new codes): due
moments spread over the coming 5 to 55 days, and a tenth over the past week, those already
marked overdue (as earlier sweeps would have left them). Then it times, in this process:

1. the deadline sweep with nothing changed (run twice: the first works out when to look at
   each dossier again, the second is timed), then after ``--changed`` dossiers became due (their
   due moment set a minute ago: each is marked overdue, escalated, audited) and after as many
   came within a day of it (warned and an apology drafted), with the time per changed dossier;
2. the month close with nothing to close, then closing the last month again;
3. outbox delivery to the national-portal simulator (``manage.py simulate_national_portal``
   in its own process, as ``bench/exchange_faults.py`` starts it): messages per second with
   the code mappings read once per claimed batch and, interleaved, once per message (as
   delivery did before).

It prints the figures; it is not a test.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# Columns the copies do not take from the dossier they copy.
OWN_COLUMNS = {
    "id",
    "code",
    "due_at",
    "warned_at",
    "overdue_since",
    "look_again_at",
    "looked_for_due_at",
    "log_number",
    "log_year",
    "assignee_id",
}


def add_open_dossiers(url: str, count: int, seed: float) -> None:
    """``count`` running dossiers copied from the generator's open ones, with their own codes
    and due moments; 10 % past due (already marked), the others 5 to 55 days ahead."""
    with psycopg.connect(url) as conn:
        columns = [
            name
            for (name,) in conn.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = 'dossiers_dossier' ORDER BY ordinal_position"
            )
            if name not in OWN_COLUMNS
        ]
        copied = ", ".join(columns)
        from_sample = ", ".join(f"s.{c}" for c in columns)
        conn.execute(f"SELECT setseed({seed})")
        conn.execute(
            "CREATE TEMP TABLE sample AS SELECT row_number() OVER (ORDER BY id) - 1 AS i, *"
            " FROM dossiers_dossier WHERE finished_at IS NULL AND paused_at IS NULL LIMIT 5000"
        )
        (size,) = conn.execute("SELECT count(*) FROM sample").fetchone()
        if not size:
            raise SystemExit("no running dossier to copy: generate a province first")
        conn.execute(
            f"""
            INSERT INTO dossiers_dossier (code, due_at, warned_at, overdue_since, {copied})
            SELECT 'OPEN-' || g, due, CASE WHEN due < now() THEN due - interval '1 day' END,
                   CASE WHEN due < now() THEN due END, {from_sample}
            FROM (
                SELECT g, CASE WHEN random() < 0.1
                               THEN now() - random() * interval '7 days'
                               ELSE now() + interval '5 days' + random() * interval '50 days'
                          END AS due
                FROM generate_series(1, {count}) g
            ) d
            JOIN sample s ON s.i = d.g % {size}
            """
        )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE dossiers_dossier")


def timed(label: str, work, per: int | None = None):
    began = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - began
    each = f", {elapsed / per * 1000:.2f} ms per changed dossier" if per else ""
    print(f"{label}: {elapsed:.2f} s{each} ({result})", flush=True)
    return elapsed


def sweep_figures(changed: list[int]) -> None:
    from django.db import connection

    from haicap.core.context import acting_as
    from haicap.dossiers.deadlines import sweep

    def run():
        with acting_as("worker"):
            return sweep()

    (open_now,) = _one(
        "SELECT count(*) FROM dossiers_dossier WHERE finished_at IS NULL AND paused_at IS NULL"
    )
    print(f"{open_now:,} running dossiers", flush=True)
    timed("sweep, first run (works out when to look again at each)", run)
    timed("sweep, nothing changed (second run)", run)
    timed("sweep, nothing changed (third run)", run)
    for k in changed:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE dossiers_dossier SET due_at = now() - interval '1 minute' WHERE id IN ("
                " SELECT id FROM dossiers_dossier WHERE finished_at IS NULL AND paused_at IS NULL"
                " AND overdue_since IS NULL AND due_at > now() + interval '5 days'"
                " ORDER BY random() LIMIT %s)",
                [k],
            )
        timed(f"sweep, {k:,} dossiers became due (marked overdue)", run, per=k)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE dossiers_dossier SET due_at = now() + interval '3 hours' WHERE id IN ("
                " SELECT id FROM dossiers_dossier WHERE finished_at IS NULL AND paused_at IS NULL"
                " AND overdue_since IS NULL AND due_at > now() + interval '5 days'"
                " ORDER BY random() LIMIT %s)",
                [k],
            )
        timed(f"sweep, {k:,} dossiers came within their warning (warned, drafted)", run, per=k)
        timed("sweep, nothing changed again", run)


def old_sweep_figures(path: Path, sample: int) -> None:
    """The former sweep, which locked and examined every running dossier due within 14 days
    not yet both warned and drafted, on every run: timed with its first ``sample`` dossiers
    examined for real, the rest counted and estimated at their mean time."""
    import importlib.util

    from haicap.core.context import acting_as

    spec = importlib.util.spec_from_file_location("former_deadlines", path)
    former = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(former)
    real = former._look_ahead
    looked: list[float] = []
    skipped = [0]

    def look_ahead(pk, now):
        if len(looked) >= sample:
            skipped[0] += 1
            return 0, 0
        began = time.perf_counter()
        try:
            return real(pk, now)
        finally:
            looked.append(time.perf_counter() - began)

    former._look_ahead = look_ahead
    began = time.perf_counter()
    with acting_as("worker"):
        former.sweep()
    elapsed = time.perf_counter() - began
    mean = statistics.fmean(looked) if looked else 0.0
    print(
        f"former sweep, nothing changed: {len(looked) + skipped[0]:,} dossiers locked and"
        f" examined; {elapsed:.2f} s with {len(looked):,} of them examined"
        f" ({mean * 1000:.2f} ms each), about {elapsed + skipped[0] * mean:.0f} s in all",
        flush=True,
    )


def _one(sql: str, params: tuple = ()) -> tuple:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def close_figures() -> None:
    from haicap.kpi.models import Balance, BalanceState, FieldBalance
    from haicap.kpi.services import close_months

    timed("month close, nothing to close", close_months)
    state = BalanceState.objects.first()
    if state is None or state.balanced_through is None:
        print("month close: no month closed yet", flush=True)
        timed("month close, every month from the first", close_months)
        return
    through = state.balanced_through
    # The last month closed as if it never had been: its balances go, the state moves back.
    Balance.objects.filter(period=through).delete()
    FieldBalance.objects.filter(period=through).delete()
    state.balanced_through = (through.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    state.save(update_fields=["balanced_through"])
    timed(f"month close, one month again (through {through})", close_months)


def delivery_figures(url: str, messages: int, rounds: int) -> None:
    """Messages per second through ``deliver`` against the simulator, per batch and per
    message in turn."""
    from bench import exchange_faults as faults
    from haicap.exchange import delivery
    from haicap.exchange.connector import connector_for
    from haicap.exchange.mapping import prepare_all
    from haicap.exchange.messages import NATIONAL_PORTAL

    faults.BENCH_URL = url
    faults.TMP.mkdir(parents=True, exist_ok=True)
    os.environ["HAICAP_NATIONAL_PORTAL_URL"] = f"http://127.0.0.1:{faults.PORT}"
    state = faults.TMP / f"portal-background-{os.getpid()}.sqlite3"
    portal = faults.start(
        ["simulate_national_portal", "--port", str(faults.PORT), "--state", str(state)],
        "simulator.log",
    )
    for _ in range(1200):  # a busy machine may take a while to start it
        try:
            faults.get("/api/v1/health")
            break
        except OSError:
            time.sleep(0.1)
    else:
        faults.stop(portal)
        raise SystemExit("the simulator did not start")
    per_batch = delivery._batch_preparer

    def per_message():  # what delivery did before: one read of the mappings per message
        return lambda batch: [prepare_all([message])[0] for message in batch]

    rates: dict[str, list[float]] = {"per batch": [], "per message": []}
    try:
        for run in range(rounds):
            modes = (("per batch", per_batch), ("per message", per_message))
            for number, (mode, preparer) in enumerate(modes):
                with psycopg.connect(url) as conn:
                    conn.execute("TRUNCATE exchange_outboxmessage")
                # its own seed: the simulator refuses an idempotency key it saw with another message
                seed = 1000 + 2 * run + number
                total = faults.insert_outbox(messages // 4, 4, f"B{run}{mode[4]}", seed=seed)
                delivery._batch_preparer = preparer
                config = delivery.config_from_settings(concurrency=16, poll_seconds=0.2)
                began = time.perf_counter()
                report = delivery.deliver(NATIONAL_PORTAL, connector_for(NATIONAL_PORTAL), config)
                elapsed = time.perf_counter() - began
                rates[mode].append(total / elapsed)
                print(
                    f"delivery, mappings read {mode}: {report.sent:,} of {total:,} sent in "
                    f"{elapsed:.1f} s = {total / elapsed:,.0f} messages/s",
                    flush=True,
                )
    finally:
        delivery._batch_preparer = per_batch
        faults.stop(portal)
    for mode, values in rates.items():
        print(f"delivery, mappings read {mode}: median {statistics.median(values):,.0f}/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="haicap_bench_bg")
    parser.add_argument("--open", type=int, default=1_000_000, help="running dossiers to add")
    parser.add_argument("--changed", default="1000,10000", help="dossiers made due, per run")
    parser.add_argument("--messages", type=int, default=8000, help="outbox messages per run")
    parser.add_argument("--rounds", type=int, default=3, help="delivery runs of each kind")
    parser.add_argument(
        "--old-sweep",
        type=Path,
        help="a former haicap/dossiers/deadlines.py (git show <commit>:<path> > file) to time"
        " with nothing changed, from its first --old-sample dossiers looked at",
    )
    parser.add_argument("--old-sample", type=int, default=2000)
    parser.add_argument("--skip", default="", help="comma-separated: open,sweep,close,delivery")
    options = parser.parse_args()
    skip = set(filter(None, options.skip.split(",")))
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{options.database}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
    os.environ.setdefault("HAICAP_LOG_LEVEL", "WARNING")
    if "open" not in skip and options.open:
        timed(
            f"{options.open:,} running dossiers added",
            lambda: add_open_dossiers(url, options.open, 0.5),
        )
    import django

    django.setup()
    if options.old_sweep:
        old_sweep_figures(options.old_sweep, options.old_sample)
    if "sweep" not in skip:
        sweep_figures([int(k) for k in options.changed.split(",") if k])
    if "close" not in skip:
        close_figures()
    if "delivery" not in skip:
        delivery_figures(url, options.messages, options.rounds)


if __name__ == "__main__":
    main()
