"""What-if: the changes proposed for the figures' reads and the desk's queues, measured on
``haicap_kpi_bench`` without touching ``haicap/``.

Run from the project root, after ``bench/generate_province.py``:

    .venv/bin/python bench/kpi_whatif.py indexes create   # the proposed indexes, made by hand
    .venv/bin/python bench/kpi_whatif.py indexes drop     # back to the migrations' indexes
    .venv/bin/python bench/kpi_whatif.py balance create   # the proposed month-end stock table
    .venv/bin/python bench/kpi_whatif.py balance drop
    .venv/bin/python bench/kpi_whatif.py yearly create    # the proposed yearly figures
    .venv/bin/python bench/kpi_whatif.py yearly drop
    .venv/bin/python bench/kpi_whatif.py coarse create    # figures by agency and field only
    .venv/bin/python bench/kpi_whatif.py coarse time      # the same flow reads, fine and coarse
    .venv/bin/python bench/kpi_whatif.py coarse drop
    .venv/bin/python bench/kpi_whatif.py check            # the reshaped reads give what
                                                          # haicap's give, case by case
    .venv/bin/python bench/kpi_speed.py --what-if         # times with the reshaped reads

The reshaped reads (``indicators_v2``, ``fast_working_micros``) are prototypes of the proposed
changes to ``haicap/kpi/selectors.py`` and ``haicap/calendar/workdays.py``; ``--what-if`` swaps
them in for the process that measures, and ``check`` compares their answers with the code in
``haicap/`` on every case of ``kpi_speed.py``. They reuse the selectors' own helpers, so they
follow the code as it stands.

Proposed, and what each prototype does differently from ``haicap.kpi.selectors.indicators``
(since fd75672 haicap itself filters the fully-online procedures by a subquery, skips empty daily
ranges, sums only the four stock counters and reads no stock to a bound that is now):

1. stocks: one pass over the monthly rows for both bounds (``received - closed`` before the
   start's month, ``overdue_from - overdue_until`` to the end's), the days of each bound's own
   month in a small query of their own;
2. flows: a range that reaches today reads its last month whole from the monthly figures (no
   flow counter can be dated after today, so the month so far is the month);
3. the desk's remaining time: ``WorkCalendar.working_micros`` counts the whole days between the
   first and the last by a cumulative table instead of walking them one by one;
4. with the balance table (``balance create``): stocks from the month-end balances
   (``kpi_monthlybalance``: per month, agency, procedure and channel, what was open and overdue
   at the month's end, the rows that are not zero), plus the days of the bound's month, instead
   of every figure row since the first dossier;
5. with the yearly figures (``yearly create``): whole calendar years from ``kpi_yearlyfigures``
   (the figures per year, kept like the monthly ones), whole months monthly, the rest daily.

The prototype also reads the fully-online procedures by a subquery and skips empty daily ranges,
as haicap now does. ``coarse`` measures, on SQL alone, figures kept by agency and field only.
"""

import datetime as dt
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault(
    "DATABASE_URL",
    os.environ.get("BENCH_URL", "postgres://postgres@127.0.0.1:5432/haicap_kpi_bench"),
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import F, Q, Subquery, Sum  # noqa: E402
from django.db.models.functions import TruncMonth  # noqa: E402

from haicap.calendar.workdays import VIETNAM, WorkCalendar  # noqa: E402
from haicap.catalog.models import Procedure  # noqa: E402
from haicap.core import clock  # noqa: E402
from haicap.kpi import selectors  # noqa: E402
from haicap.kpi.figures import month_of  # noqa: E402
from haicap.kpi.models import DailyFigures, MonthlyFigures  # noqa: E402

# --- indexes ------------------------------------------------------------------------------------

INDEXES = {
    # The desk's queues: open dossiers by handling agency and by receiving desk, soonest due
    # first (a few tens of thousands of rows instead of every dossier since the first).
    "dossier_open_by_competent": (
        "CREATE INDEX dossier_open_by_competent ON dossiers_dossier"
        " (competent_agency_id, due_at) WHERE outcome = ''"
    ),
    "dossier_open_by_desk": (
        "CREATE INDEX dossier_open_by_desk ON dossiers_dossier"
        " (receiving_agency_id, due_at) WHERE outcome = ''"
    ),
    # The indicators' "now" counts (paused now, overdue now) over the unfinished dossiers, read
    # from the index alone.
    "dossier_unfinished_now": (
        "CREATE INDEX dossier_unfinished_now ON dossiers_dossier"
        " (competent_agency_id, procedure_id, channel) INCLUDE (due_at, paused_at, id)"
        " WHERE finished_at IS NULL"
    ),
    # A commune's slice of one field: the figure rows of one agency and procedure.
    "monthly_figures_agency_procedure": (
        "CREATE INDEX monthly_figures_agency_procedure ON kpi_monthlyfigures"
        " (agency_id, procedure_id, period)"
    ),
    "daily_figures_agency_procedure": (
        "CREATE INDEX daily_figures_agency_procedure ON kpi_dailyfigures"
        " (agency_id, procedure_id, period)"
    ),
}


def indexes(action: str) -> None:
    with connection.cursor() as cursor:
        for name, sql in INDEXES.items():
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
            if action == "create":
                cursor.execute(sql)
                print(f"made {name}")
        for table in ("dossiers_dossier", "kpi_monthlyfigures", "kpi_dailyfigures"):
            cursor.execute(f"ANALYZE {table}")
    print("indexes", action, "done")


# --- the month-end balances ----------------------------------------------------------------------

BALANCE = "kpi_monthlybalance"


def balance(action: str) -> None:
    """The open and overdue stock at the end of each month before this one, per key (not 0).

    Made here from the monthly figures by a running sum; in haicap it would be kept by
    ``kpi.services`` (see the README's proposal).
    """
    this_month = clock.now().astimezone(VIETNAM).date().replace(day=1)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BALANCE}")
        if action != "create":
            print("balance dropped")
            return
        cursor.execute(
            f"CREATE TABLE {BALANCE} AS"
            " WITH months AS (SELECT generate_series(min(period), %s::date - 1,"
            " interval '1 month')::date AS period FROM kpi_monthlyfigures),"
            " keys AS (SELECT DISTINCT agency_id, procedure_id, channel FROM kpi_monthlyfigures),"
            " flows AS (SELECT m.period, k.agency_id, k.procedure_id, k.channel,"
            " coalesce(f.received - f.closed, 0) AS open_flow,"
            " coalesce(f.overdue_from - f.overdue_until, 0) AS overdue_flow"
            " FROM months m CROSS JOIN keys k LEFT JOIN kpi_monthlyfigures f"
            " ON f.period = m.period AND f.agency_id = k.agency_id"
            " AND f.procedure_id = k.procedure_id AND f.channel = k.channel),"
            " running AS (SELECT period, agency_id, procedure_id, channel,"
            " sum(open_flow) OVER w AS open, sum(overdue_flow) OVER w AS overdue FROM flows"
            " WINDOW w AS (PARTITION BY agency_id, procedure_id, channel ORDER BY period))"
            " SELECT period, agency_id, procedure_id, channel, open::int, overdue::int"
            " FROM running WHERE open <> 0 OR overdue <> 0",
            [this_month],
        )
        cursor.execute(
            f"CREATE UNIQUE INDEX {BALANCE}_key ON {BALANCE}"
            " (period, agency_id, procedure_id, channel)"
        )
        cursor.execute(f"VACUUM ANALYZE {BALANCE}")
        cursor.execute(f"SELECT count(*), count(DISTINCT period) FROM {BALANCE}")
        rows, months = cursor.fetchone()
    print(f"{BALANCE}: {rows:,} rows over {months} month-ends")


def _balance_exists() -> bool:
    return _table_exists(BALANCE)


def _table_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        return cursor.fetchone()[0]


# --- the yearly figures ------------------------------------------------------------------------

YEARLY = "kpi_yearlyfigures"


def yearly(action: str) -> None:
    """The figures per calendar year: the monthly ones added up (in haicap, kept like them)."""
    from haicap.kpi.figures import COUNTERS, WORKED

    counters = ", ".join(f"sum({c})::{'numeric(14,3)' if c == WORKED else 'int'} AS {c}"
                         for c in (*COUNTERS, WORKED))  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {YEARLY}")
        if action != "create":
            print("yearly figures dropped")
            return
        cursor.execute(
            f"CREATE TABLE {YEARLY} AS SELECT row_number() OVER () AS id,"
            " date_trunc('year', period)::date AS period, agency_id, procedure_id, channel,"
            f" {counters} FROM kpi_monthlyfigures GROUP BY 2, 3, 4, 5 ORDER BY 2"
        )
        cursor.execute(
            f"CREATE UNIQUE INDEX {YEARLY}_key ON {YEARLY}"
            " (period, agency_id, procedure_id, channel)"
        )
        cursor.execute(f"CREATE INDEX {YEARLY}_agency ON {YEARLY} (agency_id, period)")
        cursor.execute(f"VACUUM ANALYZE {YEARLY}")
        cursor.execute(f"SELECT count(*), count(DISTINCT period) FROM {YEARLY}")
        rows, years = cursor.fetchone()
    print(f"{YEARLY}: {rows:,} rows over {years} years")


_YearlyModel = None


def _yearly_rows():
    global _YearlyModel
    if _YearlyModel is None:
        from haicap.kpi.models import Figures

        class KpiYearlyFigures(Figures):
            class Meta:
                app_label = "kpi"
                db_table = YEARLY
                managed = False

            def __str__(self) -> str:
                return f"{self.period:%Y} {self.agency_id}/{self.procedure_id}/{self.channel}"

        _YearlyModel = KpiYearlyFigures
    return _YearlyModel.objects.all()


# --- the reshaped reads ---------------------------------------------------------------------

FULL_IDS = Procedure.objects.filter(online_level=Procedure.OnlineLevel.FULL).values("id")


def _flow_sums() -> dict:
    """``selectors.SUMS`` with the online-level filters on procedure ids (no join)."""
    full = Q(procedure_id__in=Subquery(FULL_IDS))
    sums = dict(selectors.SUMS)
    sums["total_received_full_online"] = Sum("received", filter=full)
    sums["total_online_of_full_online"] = Sum("received", filter=full & Q(channel="online"))
    return sums


STOCK_SUMS = {
    "open": lambda before: Sum(F("received") - F("closed"), filter=before),
    "overdue": lambda to_end: Sum(F("overdue_from") - F("overdue_until"), filter=to_end),
}


EVERYTHING = selectors.Slice()


def indicators_v2(user, start, end, group=None, where=EVERYTHING):
    """``selectors.indicators`` with the proposed query shapes (same answers)."""
    scoped = selectors.visible_agencies_filter(user) & where.filter()
    now = clock.now()
    today = now.astimezone(VIETNAM).date()
    reaches_now = end >= today
    flows = _summed_v2(_between_v2(start, end, reaches_now, group), scoped, group, _flow_sums())
    if group == "month":
        return {key: selectors._totals(row) for key, row in sorted(flows.items())}
    stocks = _stocks(start, end, scoped, group, need_overdue=not reaches_now)
    paused = (
        selectors._counted_now(user, where, group, Q(paused_at__isnull=False))
        if reaches_now
        else {}
    )
    overdue_now = (
        selectors._counted_now(user, where, group, Q(paused_at__isnull=True, due_at__lt=now))
        if reaches_now
        else None
    )
    return {
        key: selectors._totals(
            flows.get(key, {}),
            carried_over=stocks.get(key, {}).get("open") or 0,
            overdue_at_end=overdue_now.get(key, 0)
            if overdue_now is not None
            else stocks.get(key, {}).get("overdue") or 0,
            paused_now=paused.get(key, 0),
        )
        for key in flows.keys() | {k for k, row in stocks.items() if row.get("open")}
    }


def _month_end(day: dt.date) -> dt.date:
    return selectors._next_month(day) - dt.timedelta(days=1)


def _between_v2(start, end, reaches_now, group=None):
    if reaches_now:  # nothing is received or decided after today: the month so far is the month
        end = max(end, _month_end(end))
    months = selectors._months_within(start, end)
    if months is None:
        return [DailyFigures.objects.filter(period__gte=start, period__lte=end)]
    first, last_exclusive = months
    parts = _months_or_years(first, last_exclusive, group)
    if start < first:
        parts.append(DailyFigures.objects.filter(period__gte=start, period__lt=first))
    if last_exclusive <= end:
        parts.append(DailyFigures.objects.filter(period__gte=last_exclusive, period__lte=end))
    return parts


def _months_or_years(first, last_exclusive, group):
    """Whole months monthly, or, with the yearly table, whole years yearly."""
    whole_from = first if first.month == 1 else dt.date(first.year + 1, 1, 1)
    whole_to = dt.date(last_exclusive.year, 1, 1)
    if group == "month" or whole_from >= whole_to or not _table_exists(YEARLY):
        return [MonthlyFigures.objects.filter(period__gte=first, period__lt=last_exclusive)]
    parts = [_yearly_rows().filter(period__gte=whole_from, period__lt=whole_to)]
    if first < whole_from:
        parts.append(MonthlyFigures.objects.filter(period__gte=first, period__lt=whole_from))
    if whole_to < last_exclusive:
        parts.append(MonthlyFigures.objects.filter(period__gte=whole_to, period__lt=last_exclusive))
    return parts


def _summed_v2(parts, scoped, group, sums):
    totals: dict = {}
    for rows in parts:
        rows = rows.filter(scoped)
        if group == "month":
            rows = rows.annotate(month=TruncMonth("period"))
        if group:
            columns = [selectors.GROUPS[name] for name in group.split(",")]
            items = (
                selectors._keyed(row, columns)
                for row in rows.values(*columns).annotate(**sums).order_by()
            )
        else:
            items = [(None, rows.aggregate(**sums))]
        for key, row in items:
            if isinstance(key, dt.datetime):
                key = key.date()
            into = totals.setdefault(key, {})
            for name, value in row.items():
                name = name.removeprefix("total_")
                into[name] = (into.get(name) or 0) + (value or 0)
    return totals


def _stocks(start, end, scoped, group, need_overdue):
    """Open at the end of the day before ``start``; overdue at the end of ``end`` if needed.

    One pass over the monthly rows for both bounds; the days of each bound's month apart.
    """
    if _balance_exists():
        return _stocks_from_balance(start, end, scoped, group, need_overdue)
    open_sum = STOCK_SUMS["open"]
    overdue_sum = STOCK_SUMS["overdue"]
    last_before = start - dt.timedelta(days=1)
    open_whole = month_of(start)  # monthly rows before it, daily rows from it to last_before
    parts = []
    if need_overdue:
        end_whole = month_of(end + dt.timedelta(days=1))
        monthly = MonthlyFigures.objects.filter(period__lt=max(open_whole, end_whole))
        parts.append(
            (monthly, {"open": open_sum(Q(period__lt=open_whole)), "overdue": overdue_sum(None)})
        )
        if end_whole <= end:
            days = DailyFigures.objects.filter(period__gte=end_whole, period__lte=end)
            parts.append((days, {"overdue": overdue_sum(None)}))
    else:
        monthly = MonthlyFigures.objects.filter(period__lt=open_whole)
        parts.append((monthly, {"open": open_sum(None)}))
    if open_whole <= last_before:
        days = DailyFigures.objects.filter(period__gte=open_whole, period__lte=last_before)
        parts.append((days, {"open": open_sum(None)}))
    return _summed_stocks(parts, scoped, group)


def _summed_stocks(parts, scoped, group):
    totals: dict = {}
    for rows, sums in parts:
        rows = rows.filter(scoped)
        if group:
            columns = [selectors.GROUPS[name] for name in group.split(",")]
            items = (
                selectors._keyed(row, columns)
                for row in rows.values(*columns).annotate(**sums).order_by()
            )
        else:
            items = [(None, rows.aggregate(**sums))]
        for key, row in items:
            into = totals.setdefault(key, {})
            for name, value in row.items():
                into[name] = (into.get(name) or 0) + (value or 0)
    return totals


def _stocks_from_balance(start, end, scoped, group, need_overdue):
    """The stocks from the month-end balances and the days of the bound's month."""
    bounds = [("open", start - dt.timedelta(days=1))]
    if need_overdue:
        bounds.append(("overdue", end))
    totals: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(period) FROM {BALANCE}")
        last_balance = cursor.fetchone()[0]
    for name, day in bounds:
        counter = (
            F("received") - F("closed")
            if name == "open"
            else F("overdue_from") - F("overdue_until")
        )
        column = name
        month = month_of(day)
        previous = month_of(month - dt.timedelta(days=1))
        parts = []
        if day == _month_end(day) and month <= last_balance:
            parts.append((_balance_rows(month), column))
        elif previous <= last_balance:
            parts.append((_balance_rows(previous), column))
            days = DailyFigures.objects.filter(period__gte=month, period__lte=day)
            parts.append((days.annotate(stock=counter), "stock"))
        else:  # no balance yet for the month before: sum from the last balance onwards
            parts.append((_balance_rows(last_balance), column))
            after = selectors._next_month(last_balance)
            parts.append(
                (
                    MonthlyFigures.objects.filter(period__gte=after, period__lt=month).annotate(
                        stock=counter
                    ),
                    "stock",
                )
            )
            days = DailyFigures.objects.filter(period__gte=month, period__lte=day)
            parts.append((days.annotate(stock=counter), "stock"))
        for rows, field in parts:
            rows = rows.filter(scoped)
            if group:
                columns = [selectors.GROUPS[g] for g in group.split(",")]
                grouped = rows.values(*columns).annotate(total=Sum(field)).order_by()
                items = (selectors._keyed(row, columns) for row in grouped)
            else:
                items = [(None, rows.aggregate(total=Sum(field)))]
            for key, row in items:
                into = totals.setdefault(key, {})
                into[name] = (into.get(name) or 0) + (row["total"] or 0)
    return totals


def _balance_rows(month):
    """The balance rows of ``month`` as a queryset filterable like the figures (raw table)."""
    from django.db import models

    global _BalanceModel
    if _BalanceModel is None:

        class KpiMonthlyBalance(models.Model):
            period = models.DateField()
            agency = models.ForeignKey(
                "units.Agency", on_delete=models.DO_NOTHING, related_name="+"
            )
            procedure = models.ForeignKey(
                "catalog.Procedure", on_delete=models.DO_NOTHING, related_name="+"
            )
            channel = models.CharField(max_length=8)
            open = models.IntegerField()
            overdue = models.IntegerField()

            class Meta:
                app_label = "kpi"
                db_table = BALANCE
                managed = False

            def __str__(self) -> str:
                return f"{self.period} {self.agency_id}/{self.procedure_id}/{self.channel}"

        _BalanceModel = KpiMonthlyBalance
    return _BalanceModel.objects.filter(period=month)


_BalanceModel = None


# --- the calendar's working time in bulk -----------------------------------------------------

_original_working_micros = WorkCalendar.working_micros


def fast_working_micros(self, start, end):
    """``WorkCalendar.working_micros`` counting the whole days between by a cached table."""
    start, end = self._local(start), self._local(end)
    if (end.date() - start.date()).days < 3:
        return _original_working_micros(self, start, end)
    table = self.__dict__.get("_bench_days")
    first_year, last_year = start.year, end.year
    if table is None or table[0] > first_year or table[1] < last_year:
        first_year = min(first_year, table[0]) if table else first_year
        last_year = max(last_year, table[1]) if table else last_year
        origin = dt.date(first_year, 1, 1)
        days = (dt.date(last_year + 1, 1, 1) - origin).days
        cumulative = [0] * (days + 1)
        for d in range(days):
            cumulative[d + 1] = cumulative[d] + self.is_working_day(origin + dt.timedelta(d))
        table = self.__dict__["_bench_days"] = (first_year, last_year, origin, cumulative)
    _first, _last, origin, cumulative = table
    first_day, last_day = start.date(), end.date()
    head = _original_working_micros(
        self, start, dt.datetime.combine(first_day + dt.timedelta(days=1), dt.time(0), self.zone)
    )
    tail = _original_working_micros(self, dt.datetime.combine(last_day, dt.time(0), self.zone), end)
    between = (
        cumulative[(last_day - origin).days] - cumulative[(first_day - origin).days + 1]
    ) * self.day_micros
    return head + between + tail


# --- applying and checking -----------------------------------------------------------------------


def apply(module=None) -> None:
    """Swap the prototypes in for this process (and in ``module``, which imported names)."""
    selectors.indicators = indicators_v2
    if module is not None:
        module.indicators = indicators_v2
    WorkCalendar.working_micros = fast_working_micros


def check() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import kpi_speed

    from haicap.accounts.models import User
    from haicap.calendar.selectors import calendar_for

    today = clock.now().astimezone(VIETNAM).date()
    different = 0
    cases = kpi_speed.dashboard_cases(today, "17662", "HOTICH")
    for group in ("agency", "unit,field", "procedure", "channel"):  # the other groups, too
        for label in ("month", "month-to-date"):
            start, end = kpi_speed.periods(today)[label]
            call = kpi_speed.reading(start, end, group, selectors.Slice())
            cases.append(kpi_speed.Case(f"{label} by {group}", "giamsat", call, 20))
    online = selectors.Slice(channel="online")
    start, end = kpi_speed.periods(today)["quarter"]
    cases.append(
        kpi_speed.Case("quarter online", "giamsat", kpi_speed.reading(start, end, None, online), 20)
    )
    for case in cases:
        if case.name.startswith("dashboard page"):
            continue
        user = User.objects.get(username=case.user)
        expected = case.call(user)
        selectors.indicators, saved = indicators_v2, selectors.indicators
        kpi_speed.indicators = indicators_v2
        try:
            got = case.call(User.objects.get(username=case.user))
        finally:
            selectors.indicators = saved
            kpi_speed.indicators = saved
        same = got == expected
        different += not same
        print(f"{'same' if same else 'DIFFERENT'}: {case.name} ({case.user}), {len(got)} keys")
    calendar = calendar_for(None)
    rnd = random.Random(1)
    base = dt.datetime(2021, 6, 1, tzinfo=VIETNAM)
    for _ in range(2000):
        a = base + dt.timedelta(seconds=rnd.randrange(0, 6 * 365 * 86400))
        b = a + dt.timedelta(seconds=rnd.randrange(-400 * 86400, 1900 * 86400))
        if _original_working_micros(calendar, a, b) != fast_working_micros(calendar, a, b):
            different += 1
            print(f"DIFFERENT working time {a} .. {b}")
    print(f"{different} differences (working time checked on 2000 random spans)")


# --- a coarser rollup: agency and field, the online counts folded in ----------------------------

COARSE_COUNTERS = (
    "sum(received)::int AS received,"
    " (sum(received) FILTER (WHERE channel = 'online'))::int AS received_online,"
    " (sum(received) FILTER (WHERE p.online_level = 'full'))::int AS received_full_online,"
    " (sum(received) FILTER (WHERE p.online_level = 'full' AND channel = 'online'))::int"
    " AS online_of_full_online, sum(resolved)::int AS resolved, sum(early)::int AS early,"
    " sum(on_time)::int AS on_time, sum(late)::int AS late, sum(refused)::int AS refused,"
    " sum(withdrawn)::int AS withdrawn, sum(returned)::int AS returned,"
    " sum(closed)::int AS closed, sum(overdue_from)::int AS overdue_from,"
    " sum(overdue_until)::int AS overdue_until, sum(worked_days)::numeric(14, 3) AS worked_days"
)
FINE_SUMS = (
    "sum(received), sum(received) FILTER (WHERE channel = 'online'),"
    " sum(received) FILTER (WHERE procedure_id IN (SELECT id FROM catalog_procedure"
    " WHERE online_level = 'full')), sum(received) FILTER (WHERE channel = 'online' AND"
    " procedure_id IN (SELECT id FROM catalog_procedure WHERE online_level = 'full')),"
    " sum(resolved), sum(early), sum(on_time), sum(late), sum(refused), sum(withdrawn),"
    " sum(returned), sum(closed), sum(worked_days)"
)
COARSE_SUMS = (
    "sum(received), sum(received_online), sum(received_full_online),"
    " sum(online_of_full_online), sum(resolved), sum(early), sum(on_time), sum(late),"
    " sum(refused), sum(withdrawn), sum(returned), sum(closed), sum(worked_days)"
)


def coarse(action: str) -> None:
    """Figures per day and month by agency and field only (the online counts as counters),
    made from the fine ones; ``coarse time`` compares the same flow reads on both."""
    tables = {"day": ("kpi_dailyfigures", "bench_daily_field"),
              "month": ("kpi_monthlyfigures", "bench_monthly_field")}  # fmt: skip
    with connection.cursor() as cursor:
        if action in ("create", "drop"):
            for fine, rollup in tables.values():
                cursor.execute(f"DROP TABLE IF EXISTS {rollup}")
                if action == "create":
                    cursor.execute(
                        f"CREATE TABLE {rollup} AS SELECT f.period, f.agency_id, p.field_id,"
                        f" {COARSE_COUNTERS} FROM {fine} f JOIN catalog_procedure p"
                        " ON p.id = f.procedure_id GROUP BY 1, 2, 3 ORDER BY 1"
                    )
                    cursor.execute(f"CREATE UNIQUE INDEX ON {rollup} (period, agency_id, field_id)")
                    cursor.execute(f"VACUUM ANALYZE {rollup}")
            print("coarse figures", action)
            return
    reads = {
        "year 2025 by month, province": (
            "month", "period", "period >= '2025-01-01' AND period < '2026-01-01'"
        ),
        "2025-03-17..31 (days) by unit, province": (
            "day", "a.unit_id", "period >= '2025-03-17' AND period <= '2025-03-31'"
        ),
        "quarter 2026-Q3 (months) by unit, province": (
            "month", "a.unit_id", "period >= '2026-07-01' AND period < '2026-10-01'"
        ),
    }  # fmt: skip
    import statistics
    import time

    for label, (granularity, key, where) in reads.items():
        for name, table, sums in (
            ("fine", tables[granularity][0], FINE_SUMS),
            ("coarse", tables[granularity][1], COARSE_SUMS),
        ):
            sql = (
                f"SELECT {key}, {sums} FROM {table} f JOIN units_agency a ON a.id = f.agency_id"
                f" WHERE {where} GROUP BY 1"
            )
            times = []
            with connection.cursor() as cursor:
                for _ in range(20):
                    started = time.perf_counter()
                    cursor.execute(sql)
                    rows = cursor.fetchall()
                    times.append((time.perf_counter() - started) * 1000)
            print(f"{label}: {name} {statistics.median(times):.1f} ms ({len(rows)} groups)")


if __name__ == "__main__":
    command = sys.argv[1:] or ["check"]
    if command[0] == "indexes":
        indexes(command[1])
    elif command[0] == "balance":
        balance(command[1])
    elif command[0] == "yearly":
        yearly(command[1])
    elif command[0] == "coarse":
        coarse(command[1])
    else:
        check()
