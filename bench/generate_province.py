"""Load a realistic province into a scratch database: the data for the figures' speed benchmark.

Run from the project root (PostgreSQL must be running):

    .venv/bin/python bench/generate_province.py --dossiers 10000000

It drops and makes anew the database ``haicap_kpi_bench``, migrates it, loads the demo province
(130 communes and wards with their agencies, the provincial departments and the service centre,
71 procedures, the demo accounts) and then writes, with PostgreSQL ``COPY``:

- ``dossiers_dossier``: N dossiers received over the five years ending yesterday (``--end`` to
  choose the last day), each a consistent row: a code ``<desk code>-YYMMDD-NNNN`` numbered per
  receiving desk and day, the published one-stop-standard template, the receiving desk (the
  commune's centre, or the provincial centre), the competent agency (the commune's agency of the
  procedure's kind, or the procedure's department), the legal time as the procedure states it,
  the clock and due moments computed on the national working calendar, and the state the
  dossier is in now: returned, refused or withdrawn (terminal), a result waiting at the desk
  (done), or still open (received, processing, approval, or waiting for a supplement or a
  payment with its clock paused), some of them overdue;
- ``dossiers_dossierevent``: the receipt event of each dossier (only that one: the later actions
  would be five times as many rows; ``version`` still counts the actions the dossier went
  through, so replaying a dossier from its events gives its receipt state, not its current one);
- ``dossiers_dossieraccess``: the receiving desk and the competent agency of each dossier (the
  rows the scoping rule joins on), and ``dossiers_dailysequence``: each desk's last number of
  each day, so intakes made later continue the numbering;
- ``kpi_dailyfigures`` and ``kpi_monthlyfigures``: the sums of ``haicap.kpi.figures.contribution``
  over the dossiers, each dossier's ``Facts`` built as ``haicap.kpi.services.facts_of`` builds
  them (days on Vietnam's calendar). The figures are added up while the dossiers are made, in
  receipt order: every counter of a dossier falls on or after its day of receipt, so the rows of
  the days before the day being made are final and are written then (streaming). The figures of
  the provincial departments, which dossiers of every desk reach, are kept until the end and
  merged with ``haicap.kpi.figures.total``.

Not written: the audit log, outbox messages, notifications and papers.

How the load is made fast, and what that changes (nothing, once it is over):

- the generator runs in ``--workers`` processes (default: the number of cores), each making the
  dossiers of its share of the desks in receipt order and handing batches to a thread that
  copies them in over its own connection, so generating and copying overlap;
- the non-unique indexes and the foreign keys of the loaded tables are dropped before the load
  and made again after it, by their definitions as the migrations left them (read from the
  catalogue, so nothing is retyped): each index is built once from sorted data instead of being
  updated row by row, and each foreign key is checked by one join when it is added back,
  instead of by a trigger per row. Unique indexes and primary keys stay in place throughout;
- the loaded tables are vacuumed (the visibility map, as autovacuum would leave it) and analysed.

A progress bar goes to stderr; the phases and their times go to stdout.
"""

import argparse
import datetime as dt
import multiprocessing as mp
import os
import queue
import random
import subprocess
import sys
import threading
import time
from bisect import bisect
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from haicap.dossiers.demo_mix import (  # noqa: E402 (the project root is on the path from here)
    COMMUNE_WEIGHTS,
    FAMILY,
    FIELD_RATES,
    GIVEN,
    LATE_TREND,
    MIDDLE,
    NEVER_BACK,
    ONLINE_LEVEL,
    ONLINE_SHARE,
    OTHER_FIELD_RATES,
    PROVINCE_AT_COMMUNE_DESKS,
    PROVINCE_SHARE,
    PROVINCE_WEIGHTS,
    STUCK,
)

ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DB = "haicap_kpi_bench"
BENCH_URL = ADMIN_URL.rsplit("/", 1)[0] + f"/{BENCH_DB}"

LOADED_TABLES = (
    "dossiers_dossier",
    "dossiers_dossierevent",
    "dossiers_dossieraccess",
    "dossiers_dailysequence",
    "kpi_dailyfigures",
    "kpi_monthlyfigures",
)
# Added up in the database after the copy (``derive_figures``), before the indexes are made.
DERIVED_TABLES = (
    "kpi_dekadfigures",
    "kpi_fielddailyfigures",
    "kpi_fielddekadfigures",
    "kpi_fieldmonthlyfigures",
    "kpi_yearlyfigures",
    "kpi_fieldyearlyfigures",
    "kpi_balance",
    "kpi_fieldbalance",
)
BUILT_TABLES = LOADED_TABLES + DERIVED_TABLES  # loaded without their indexes and foreign keys
DOSSIER_COLUMNS = (
    "id, code, pin_hash, procedure_id, template_id, receiving_agency_id, competent_agency_id,"
    " legal_amount, legal_unit, cutoff, channel, assignee_id, applicant_name, applicant_search,"
    " applicant_id_number, applicant_phone, applicant_email, applicant_address, business_code,"
    " step, step_kind, received_at, clock_started_at, due_at, step_started_at, step_due_at,"
    " paused_at, appointment_at, finished_at, worked_days, outcome, timeliness, warned_at,"
    " overdue_since, late_agency_id, version, authorised_name, authorised_id_number"
)
EVENT_COLUMNS = (
    "id, dossier_id, seq, at, actor_id, actor_label, action, from_step, to_step, clock, note,"
    " agency_id, data, idempotency_key"
)
PIN_HASH = "bench$no-pin"  # no applicant can look these dossiers up

DAY = 86_400
WORKDAY = 28_800  # seconds of office time in a working day: 07:30–11:30 and 13:30–17:30
MORNING_OPENS, MORNING_CLOSES = 27_000, 41_400
AFTERNOON_OPENS, AFTERNOON_CLOSES = 48_600, 63_000

# Shares of the steps of the one-stop-standard template (received, processing, approval).
STEP_SHARES = (Decimal("0.1"), Decimal("0.6"), Decimal("0.3"))

# --- the mix: haicap.dossiers.demo_mix (shared with the demo history) ---------------------


# --- the working calendar, in seconds ----------------------------------------------------------
# A moment is an int: seconds since midnight (Vietnam time) of the calendar's first day. A
# position in working time is an int too: working seconds since that first day. ``FastCalendar``
# does what ``haicap.calendar.workdays.WorkCalendar`` does for the standard sessions, with tables
# instead of loops; ``check_against`` compares the two on random cases before anything is made.


class FastCalendar:
    def __init__(self, calendar, first: dt.date, last: dt.date) -> None:
        self.first = first
        days = (last - first).days + 1
        self.working = [calendar.is_working_day(first + dt.timedelta(d)) for d in range(days)]
        self.cum = [0] * (days + 1)  # working days before each day
        for d in range(days):
            self.cum[d + 1] = self.cum[d] + self.working[d]
        self.working_days = [d for d in range(days) if self.working[d]]
        self.next_working = [0] * days  # the first working day strictly after each day
        following = None
        for d in range(days - 1, -1, -1):
            self.next_working[d] = following if following is not None else days
            if self.working[d]:
                following = d
        self.dates = [first + dt.timedelta(d) for d in range(days)]

    def position(self, moment: int) -> int:
        """Working seconds from the first day to ``moment``."""
        d, s = divmod(moment, DAY)
        if not self.working[d]:
            return self.cum[d] * WORKDAY
        if s <= MORNING_OPENS:
            offset = 0
        elif s < MORNING_CLOSES:
            offset = s - MORNING_OPENS
        elif s <= AFTERNOON_OPENS:
            offset = 14_400
        elif s < AFTERNOON_CLOSES:
            offset = s - AFTERNOON_OPENS + 14_400
        else:
            offset = WORKDAY
        return self.cum[d] * WORKDAY + offset

    def moment(self, position: int) -> int:
        """The earliest moment at which ``position`` working seconds have passed."""
        k, o = divmod(position, WORKDAY)
        if o == 0 and k > 0:
            return self.working_days[k - 1] * DAY + AFTERNOON_CLOSES
        if o <= 14_400:
            return self.working_days[k] * DAY + MORNING_OPENS + o
        return self.working_days[k] * DAY + AFTERNOON_OPENS + o - 14_400

    def clock_start(self, moment: int, cutoff: int | None) -> int:
        d, s = divmod(moment, DAY)
        if self.working[d]:
            if cutoff is not None and s > cutoff:
                return self.next_working[d] * DAY + MORNING_OPENS
            if s < MORNING_CLOSES:
                return d * DAY + max(s, MORNING_OPENS)
            if s < AFTERNOON_CLOSES:
                return d * DAY + max(s, AFTERNOON_OPENS)
        return self.next_working[d] * DAY + MORNING_OPENS

    def close_of(self, day: int) -> int:
        """The close of office on ``day``, or on the next working day if it is not one."""
        if not self.working[day]:
            day = self.next_working[day]
        return day * DAY + AFTERNOON_CLOSES

    def office_moment(self, day: int, u: float) -> int:
        """A moment of office time on ``day`` (or the next working day), ``u`` of the way in."""
        if not self.working[day]:
            day = self.next_working[day]
        offset = int(u * WORKDAY)
        if offset < 14_400:
            return day * DAY + MORNING_OPENS + offset
        return day * DAY + AFTERNOON_OPENS + offset - 14_400

    def to_datetime(self, moment: int, zone) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time(0), tzinfo=zone) + dt.timedelta(
            seconds=moment
        )


def check_against(fast: FastCalendar, calendar, zone, cases: int = 3000) -> None:
    """Compare the fast calendar with the project's on random moments; stop on a difference."""
    rnd = random.Random(7)
    span = (len(fast.working) - 400) * DAY
    for _ in range(cases):
        moment = rnd.randrange(DAY, span)
        if rnd.random() < 0.3:  # often exactly on a session's bound
            moment = moment // DAY * DAY + rnd.choice(
                [MORNING_OPENS, MORNING_CLOSES, AFTERNOON_OPENS, AFTERNOON_CLOSES, 54_000]
            )
        real = fast.to_datetime(moment, zone)
        cutoff = rnd.choice([None, dt.time(15, 0)])
        cutoff_s = None if cutoff is None else 54_000
        got = fast.to_datetime(fast.clock_start(moment, cutoff_s), zone)
        assert got == calendar.clock_start(real, cutoff), ("clock_start", real)
        amount = rnd.choice([1, 2, 3, 5, 7, 10, 15, 20, 30])
        start = fast.clock_start(moment, cutoff_s)
        got = fast.to_datetime(fast.moment(fast.position(start) + amount * WORKDAY), zone)
        assert got == calendar.add(real, Decimal(amount), "working_days", cutoff), ("add", real)
        days = rnd.choice([30, 105])
        got = fast.to_datetime(fast.close_of(moment // DAY + days), zone)
        assert got == calendar.add(real, Decimal(days), "calendar_days"), ("calendar", real)
        later = moment + rnd.randrange(0, 40 * DAY)
        worked = fast.position(later) - fast.position(moment)
        assert Decimal(worked) / WORKDAY == calendar.elapsed(real, fast.to_datetime(later, zone))
        pause = rnd.randrange(1, 10 * WORKDAY)
        got = fast.to_datetime(fast.moment(fast.position(moment) + pause), zone)
        assert got == calendar.advance(real, pause * 1_000_000), ("advance", real)


# --- the province as the generator sees it ------------------------------------------------------


@dataclass
class Proc:
    index: int
    id: int
    code: str
    field: str
    tier: str
    agency_kind: str
    provincial_agency_id: int | None
    legal: Decimal
    unit: str
    cutoff: int | None
    online_base: float
    late: float
    supplement: float
    payment: float
    refused: float
    withdrawn: float
    legal_seconds: int  # working seconds of legal time (0 for calendar days)
    calendar_days: int
    step_seconds: tuple[int, int, int]  # each work step's budget in working seconds
    step_days: tuple[int, int, int]  # or in calendar days
    prefix_static: str  # procedure, template and legal columns of the COPY line
    business: bool
    full_online: bool  # offered fully online (the figures count it apart)


@dataclass
class Desk:
    agency_id: int
    code: str
    unit_id: int | None  # the commune (None: the provincial centre)
    weight: float
    agencies_by_kind: dict[str, int]
    addresses: list[str]
    actor: tuple[str, str]  # actor_id (or \\N) and actor_label for the receipt event
    specialists: dict[int, int]  # competent agency id -> user id, where a demo specialist works
    procs: list[Proc] = field(default_factory=list)
    cumulative: list[float] = field(default_factory=list)


@dataclass
class World:
    procs: list[Proc]
    desks: list[Desk]
    template_id: int
    departments: frozenset[int]
    calendar: FastCalendar
    first_day: int  # day indexes (of the calendar) of the first and last day of receipt
    last_day: int
    now: int  # the moment the dossiers' states are taken at
    online_by_month: list[float]
    names: list[str]
    identities: list[str]
    emails: list[str]
    businesses: list[str]
    seed: int


def build_world(dossiers: int, end: dt.date, seed: int) -> World:
    """Read the demo province and catalogue (Django is set up) into plain picklable objects."""
    from haicap.accounts.models import Membership
    from haicap.calendar.selectors import calendar_for
    from haicap.calendar.workdays import STANDARD_SESSIONS, VIETNAM
    from haicap.catalog.models import Procedure, ProcessTemplate
    from haicap.core import clock
    from haicap.core.text import search_key
    from haicap.units.kinds import UNIT_KIND_PREFIX
    from haicap.units.models import Agency

    rnd = random.Random(seed)
    calendar = calendar_for(None)
    if tuple(calendar.sessions) != tuple(STANDARD_SESSIONS):
        raise SystemExit("the generator knows only the standard office sessions")
    start = end.replace(year=end.year - 5) + dt.timedelta(days=1)
    first = start - dt.timedelta(days=7)
    fast = FastCalendar(calendar, first, end + dt.timedelta(days=900))
    check_against(fast, calendar, VIETNAM)
    # The states are those of now; when the five years end before yesterday, of their end.
    as_of = clock.now().astimezone(VIETNAM)
    if end < as_of.date() - dt.timedelta(days=1):
        as_of = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), VIETNAM)
    now = int((as_of - fast.to_datetime(0, VIETNAM)).total_seconds())

    templates = {}
    for template in ProcessTemplate.objects.order_by("code", "-version"):
        templates.setdefault(template.code, template.pk)
    if set(templates) != {"one-stop-standard"}:
        raise SystemExit("the generator follows the one-stop-standard template only")
    template_id = templates["one-stop-standard"]

    procs: list[Proc] = []
    for p in Procedure.objects.select_related("field").filter(is_active=True).order_by("pk"):
        rates = FIELD_RATES.get(p.field.code, OTHER_FIELD_RATES)
        payment = rates[2] if p.national_code in {"X.DD.001", "X.DD.003", "T.DD.001"} else 0.0
        legal_seconds = int(p.legal_amount * WORKDAY) if p.legal_unit == "working_days" else 0
        if p.legal_unit == "working_hours":
            legal_seconds = int(p.legal_amount * 3600)
        days = int(p.legal_amount) if p.legal_unit == "calendar_days" else 0
        cutoff = p.cutoff.hour * 3600 + p.cutoff.minute * 60 if p.cutoff else None
        procs.append(
            Proc(
                index=len(procs),
                id=p.pk,
                code=p.national_code,
                field=p.field.code,
                tier=p.tier,
                agency_kind=p.agency_kind,
                provincial_agency_id=p.provincial_agency_id,
                legal=p.legal_amount,
                unit=p.legal_unit,
                cutoff=cutoff,
                online_base=ONLINE_LEVEL[p.online_level],
                full_online=p.online_level == "full",
                late=rates[0],
                supplement=rates[1],
                payment=payment,
                refused=rates[3],
                withdrawn=rates[4],
                legal_seconds=legal_seconds,
                calendar_days=days,
                step_seconds=tuple(int(p.legal_amount * s * WORKDAY) for s in STEP_SHARES),
                step_days=tuple(int((p.legal_amount * s).to_integral_value()) for s in STEP_SHARES),
                prefix_static=(
                    f"{p.pk}\t{template_id}\t{{desk}}\t{{competent}}\t{p.legal_amount}\t"
                    f"{p.legal_unit}\t{p.cutoff.isoformat() if p.cutoff else chr(92) + 'N'}\t"
                ),
                business=p.field.code in {"DKDN", "HKD"},
            )
        )
    by_code = {p.code: p for p in procs}

    intake: dict[int, tuple[int, str]] = {}
    specialist_units: dict[int, int] = {}
    specialist_agencies: dict[int, int] = {}
    for user_id, username, role, agency_id, unit_id, tier in Membership.objects.values_list(
        "user_id", "user__username", "role", "agency_id", "agency__unit_id", "agency__unit__tier"
    ):
        if role == "intake_officer":
            intake.setdefault(agency_id, (user_id, username))
        elif role == "specialist":
            if tier == "commune":
                specialist_units.setdefault(unit_id, user_id)
            else:
                specialist_agencies.setdefault(agency_id, user_id)

    agencies = list(
        Agency.objects.select_related("unit").filter(unit__valid_to=None).order_by("code")
    )
    departments = frozenset(a.pk for a in agencies if a.kind == "department")
    communes: dict[int, dict[str, int]] = {}
    units = {}
    for agency in agencies:
        if agency.unit.tier == "commune":
            communes.setdefault(agency.unit_id, {})[agency.kind] = agency.pk
            units[agency.unit_id] = agency.unit
    desks: list[Desk] = []
    commune_weights = {}
    for unit_id, unit in sorted(units.items()):
        local = random.Random(f"{seed}:{unit.code}")
        commune_weights[unit_id] = (2.2 if unit.kind == "ward" else 1.0) * local.lognormvariate(
            0, 0.4
        )
    total_weight = sum(commune_weights.values())
    province_procs = [by_code[c] for c in PROVINCE_WEIGHTS if c in by_code]
    commune_procs = [by_code[c] for c in COMMUNE_WEIGHTS if c in by_code]
    unlisted = [p for p in procs if p.code not in {**PROVINCE_WEIGHTS, **COMMUNE_WEIGHTS}]
    for p in unlisted:  # a procedure added to the demo since: a small share of its tier
        (province_procs if p.tier == "province" else commune_procs).append(p)
    weight_of = {**COMMUNE_WEIGHTS, **PROVINCE_WEIGHTS}
    province_total = sum(weight_of.get(p.code, 2) for p in province_procs)
    commune_total = sum(weight_of.get(p.code, 2) for p in commune_procs)

    def mixture(parts: list[tuple[list[Proc], float, float]]) -> tuple[list[Proc], list[float]]:
        chosen, cumulative, running = [], [], 0.0
        for group, share, group_total in parts:
            for p in group:
                running += share * weight_of.get(p.code, 2) / group_total
                chosen.append(p)
                cumulative.append(running)
        return chosen, [c / running for c in cumulative]

    centre = next(a for a in agencies if a.kind == "provincial_service_center")
    centre_share = PROVINCE_SHARE * (1 - PROVINCE_AT_COMMUNE_DESKS)
    user, label = intake.get(centre.pk, (None, f"tiepnhan.{centre.code}"))
    desk = Desk(
        agency_id=centre.pk,
        code=centre.code,
        unit_id=None,
        weight=centre_share,
        agencies_by_kind={},
        addresses=[f"Số {n} đường Lê Lợi, phường Thành Vinh" for n in range(1, 200)],
        actor=(str(user) if user else "\\N", label),
        specialists=dict(specialist_agencies),
    )
    desk.procs, desk.cumulative = mixture([(province_procs, 1.0, province_total)])
    desks.append(desk)
    commune_desk_share = 1 - PROVINCE_SHARE + PROVINCE_SHARE * PROVINCE_AT_COMMUNE_DESKS
    province_at_desk = PROVINCE_SHARE * PROVINCE_AT_COMMUNE_DESKS / commune_desk_share
    for unit_id, kinds in sorted(communes.items()):
        unit = units[unit_id]
        desk_id = kinds["commune_service_center"]
        word = "Khối" if unit.kind == "ward" else "Xóm"
        place = f"{UNIT_KIND_PREFIX[unit.kind]} {unit.name}"
        user, label = intake.get(desk_id, (None, f"tiepnhan.{unit.code}"))
        specialists = {}
        if unit_id in specialist_units:
            specialists = {a: specialist_units[unit_id] for a in kinds.values()}
        desk = Desk(
            agency_id=desk_id,
            code=next(a.code for a in agencies if a.pk == desk_id),
            unit_id=unit_id,
            weight=commune_desk_share * commune_weights[unit_id] / total_weight,
            agencies_by_kind=kinds,
            addresses=[f"{word} {n}, {place}" for n in range(1, 25)],
            actor=(str(user) if user else "\\N", label),
            specialists={**specialists, **specialist_agencies},
        )
        desk.procs, desk.cumulative = mixture(
            [
                (commune_procs, 1 - province_at_desk, commune_total),
                (province_procs, province_at_desk, province_total),
            ]
        )
        desks.append(desk)

    # The online share rises over the five years: find, month by month, the multiplier of each
    # procedure's online propensity that gives the target share over the whole mix.
    volume = Counter()
    for desk in desks:
        previous = 0.0
        for p, c in zip(desk.procs, desk.cumulative, strict=True):
            volume[p.index] += desk.weight * (c - previous)
            previous = c
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    online_by_month = []
    for m in range(months):
        target = ONLINE_SHARE[0] + (ONLINE_SHARE[1] - ONLINE_SHARE[0]) * m / max(months - 1, 1)
        low, high = 0.0, 10.0
        for _ in range(40):
            g = (low + high) / 2
            share = sum(v * min(0.97, procs[i].online_base * g) for i, v in volume.items())
            low, high = (g, high) if share < target else (low, g)
        online_by_month.append(low)

    names = []
    for _ in range(30_000):
        name = f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
        names.append(f"{name}\t{search_key(name)}")
    identities = [
        f"040{rnd.choice('0123')}{rnd.randrange(100):02d}{rnd.randrange(10**6):06d}"
        f"\t0{rnd.choice('3589')}{rnd.randrange(10**8):08d}"
        for _ in range(50_000)
    ]
    emails = [
        f"{search_key(n.split(chr(9))[0]).replace(' ', '')}{rnd.randrange(1000)}@gmail.com"
        for n in names[:5000]
    ]
    businesses = [f"29{rnd.randrange(10**8):08d}" for _ in range(20_000)]
    first_day = (start - first).days
    last_day = (end - first).days
    total = sum(d.weight for d in desks)
    for desk in desks:
        desk.weight /= total
    del dossiers  # the count is split among the desks by their weight, in the workers
    return World(
        procs=procs,
        desks=desks,
        template_id=template_id,
        departments=departments,
        calendar=fast,
        first_day=first_day,
        last_day=last_day,
        now=now,
        online_by_month=online_by_month,
        names=names,
        identities=identities,
        emails=emails,
        businesses=businesses,
        seed=seed,
    )


def daily_counts(world: World, dossiers: int) -> list[list[int]]:
    """How many dossiers each desk receives on each day: the total split by weight, with noise.

    A desk's total is fixed by largest remainders over the desks; its days share it by the day's
    weight (working days; weekends and holidays get online filings only), a slow growth, the
    season (fewer around Tết) and noise, rounded so the desk's total is kept exactly.
    """
    fast = world.calendar
    shares = [d.weight * dossiers for d in world.desks]
    totals = [int(s) for s in shares]
    rest = sorted(range(len(shares)), key=lambda i: totals[i] - shares[i])
    for i in rest[: dossiers - sum(totals)]:
        totals[i] += 1
    season = (1.15, 0.75, 1.05, 1.0, 1.0, 0.95, 0.95, 1.0, 1.05, 1.05, 1.05, 1.1)
    days = range(world.first_day, world.last_day + 1)
    base = []
    for d in days:
        date = fast.dates[d]
        w = 1.0 if fast.working[d] else 0.06 if date.weekday() >= 5 else 0.05
        years = (d - world.first_day) / 365.25
        base.append(w * (1 + 0.08 * years) * season[date.month - 1])
    counts = []
    for desk, total in zip(world.desks, totals, strict=True):
        rnd = random.Random(f"{world.seed}:days:{desk.code}")
        weights = [b * (0.7 + 0.6 * rnd.random()) for b in base]
        scale = total / sum(weights)
        carry, row = 0.0, []
        for w in weights:
            exact = w * scale + carry
            n = int(exact + 0.5)
            carry = exact - n
            row.append(n)
        row[-1] += total - sum(row)
        if row[-1] < 0:  # rounding left the last day short: take it from the busiest day
            busiest = max(range(len(row)), key=row.__getitem__)
            row[busiest] += row[-1]
            row[-1] = 0
        counts.append(row)
    return counts


# --- the generator (one worker process) --------------------------------------------------------


class Writer(threading.Thread):
    """Copies batches in over its own connection while the generator makes the next one."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.batches: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with psycopg.connect(BENCH_URL) as conn:
                conn.execute("SET synchronous_commit = off")
                while (batch := self.batches.get()) is not None:
                    with conn.cursor() as cursor:
                        for statement, text in batch:
                            if text:
                                with cursor.copy(statement) as copy:
                                    copy.write(text)
                    conn.commit()
        except BaseException as error:  # handed to the generator on its next put
            self.error = error
            while self.batches.get() is not None:
                pass

    def put(self, batch: list[tuple[str, str]]) -> None:
        if self.error:
            raise self.error
        self.batches.put(batch)

    def close(self) -> None:
        self.batches.put(None)
        self.join()
        if self.error:
            raise self.error


COPY_DOSSIERS = f"COPY dossiers_dossier ({DOSSIER_COLUMNS}) FROM STDIN"
COPY_EVENTS = f"COPY dossiers_dossierevent ({EVENT_COLUMNS}) FROM STDIN"
COPY_ACCESS = "COPY dossiers_dossieraccess (id, dossier_id, agency_id) FROM STDIN"
COPY_SEQUENCES = "COPY dossiers_dailysequence (agency_id, day, last) FROM STDIN"
FIGURE_COLUMNS = (
    "period, agency_id, procedure_id, channel, received, received_online, received_full_online,"
    " online_of_full_online, resolved, early, on_time, late, refused, withdrawn, returned,"
    " closed, overdue_from, overdue_until, worked_days"
)  # in the order of ``figures.COUNTERS`` (``figure_lines`` writes them so)
COPY_DAILY = f"COPY kpi_dailyfigures ({FIGURE_COLUMNS}) FROM STDIN"
COPY_MONTHLY = f"COPY kpi_monthlyfigures ({FIGURE_COLUMNS}) FROM STDIN"


def figure_lines(rows: dict) -> str:
    """COPY lines of figure rows: the key's columns, then each counter (0 when absent)."""
    from haicap.kpi.figures import COUNTERS, WORKED

    names = (*COUNTERS, WORKED)
    assert FIGURE_COLUMNS.split(", ")[4:] == list(names), "FIGURE_COLUMNS out of step"
    zeros = (0,) * len(names)
    out = []
    for key, counts in rows.items():
        values = "\t".join(map(str, map(counts.get, names, zeros)))
        out.append(f"{key.period}\t{key.agency_id}\t{key.procedure_id}\t{key.channel}\t{values}\n")
    return "".join(out)


def generate(
    world: World,
    worker: int,
    workers: int,
    desk_indexes: list[int],
    counts: list[list[int]],
    progress,
    results,
    batch_size: int,
) -> None:
    """Make the dossiers of the given desks, day by day, and copy them in. Runs in a process."""
    from haicap.kpi.figures import Facts, contribution

    rnd = random.Random(f"{world.seed}:worker:{worker}")
    rand = rnd.random
    expo = rnd.expovariate
    fast = world.calendar
    position, moment, clock_start, close_of = (
        fast.position,
        fast.moment,
        fast.clock_start,
        fast.close_of,
    )
    office_moment, dates, working = fast.office_moment, fast.dates, fast.working
    now = world.now
    now_position = position(now)
    departments = world.departments
    names, identities, emails, businesses = (
        world.names,
        world.identities,
        world.emails,
        world.businesses,
    )
    n_names, n_ids, n_emails, n_biz = len(names), len(identities), len(emails), len(businesses)
    day_text = [f"{d.isoformat()} " for d in dates]
    yymmdd = [d.strftime("%y%m%d") for d in dates]
    time_text = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+07" for s in range(DAY)]
    numbers = [f"{n:04d}" for n in range(10_000)]
    months_first = world.first_day
    first_month = dates[months_first].year * 12 + dates[months_first].month
    online_by_month = world.online_by_month
    span_days = max(world.last_day - world.first_day, 1)

    def ts(m: int) -> str:
        d, s = divmod(m, DAY)
        return day_text[d] + time_text[s]

    def step_due_of(p: Proc, step: int, started: int) -> int:
        """A work step's own budget from when it started (``services.step_due``)."""
        if p.legal_seconds:
            return moment(position(started) + p.step_seconds[step])
        return close_of(started // DAY + p.step_days[step])

    desks = [world.desks[i] for i in desk_indexes]
    prefixes = {}
    competent_of = {}
    for desk in desks:
        for p in desk.procs:
            if p.tier == "province":
                competent = p.provincial_agency_id
            else:
                competent = desk.agencies_by_kind[p.agency_kind]
            competent_of[desk.agency_id, p.index] = competent
            prefixes[desk.agency_id, p.index] = p.prefix_static.format(
                desk=desk.agency_id, competent=competent
            )

    pending_days: dict[dt.date, dict] = {}  # figures of commune agencies, by period
    pending_months: dict[dt.date, dict] = {}
    kept: dict = {}  # figures of the provincial departments: kept to the end
    dossier_lines: list[str] = []
    event_lines: list[str] = []
    access_lines: list[str] = []
    sequence_lines: list[str] = []
    daily_out: list[str] = []
    monthly_out: list[str] = []
    stats = Counter()
    made = 0
    writer = Writer()
    writer.start()

    def add_figures(added: dict) -> None:
        for key, counts_ in added.items():
            if key.agency_id in departments:
                into = kept
            elif key.granularity == "day":
                into = pending_days.get(key.period)
                if into is None:
                    into = pending_days[key.period] = {}
            else:
                into = pending_months.get(key.period)
                if into is None:
                    into = pending_months[key.period] = {}
            existing = into.get(key)
            if existing is None:
                into[key] = counts_
            else:
                existing.update(counts_)

    def flush(final: bool = False) -> None:
        batch = [
            (COPY_DOSSIERS, "".join(dossier_lines)),
            (COPY_EVENTS, "".join(event_lines)),
            (COPY_ACCESS, "".join(access_lines)),
            (COPY_SEQUENCES, "".join(sequence_lines)),
            (COPY_DAILY, "".join(daily_out)),
            (COPY_MONTHLY, "".join(monthly_out)),
        ]
        for part in (
            dossier_lines,
            event_lines,
            access_lines,
            sequence_lines,
            daily_out,
            monthly_out,
        ):
            part.clear()
        writer.put(batch)

    local_id = 0
    for day in range(world.first_day, world.last_day + 1):
        works = working[day]
        date = dates[day]
        month = date.year * 12 + date.month - first_month
        online_g = online_by_month[min(month, len(online_by_month) - 1)]
        trend = LATE_TREND[0] + (LATE_TREND[1] - LATE_TREND[0]) * (
            (day - world.first_day) / span_days
        )
        day_start = day * DAY
        code_day = yymmdd[day]
        for desk_index, desk in zip(desk_indexes, desks, strict=True):
            n = counts[desk_index][day - world.first_day]
            if not n:
                continue
            procs, cumulative = desk.procs, desk.cumulative
            arrivals = []
            for _ in range(n):
                p = procs[bisect(cumulative, rand())]
                while not works and not p.online_base:  # a closed desk: online filings only
                    p = procs[bisect(cumulative, rand())]
                if not works or rand() < min(0.97, p.online_base * online_g):
                    channel = "online"  # mostly in the daytime, some at night
                    second = 25_200 + int(rand() * 54_000) if rand() < 0.8 else int(rand() * DAY)
                else:
                    channel = "post" if rand() < 0.01 else "desk"
                    offset = int(rand() * WORKDAY)
                    second = (
                        MORNING_OPENS + offset
                        if offset < 14_400
                        else AFTERNOON_OPENS + offset - 14_400
                    )
                arrivals.append((day_start + second, p, channel))
            arrivals.sort(key=lambda a: a[0])
            desk_id, desk_code = desk.agency_id, desk.code
            actor_id, actor_label = desk.actor
            specialists = desk.specialists
            addresses = desk.addresses
            n_addresses = len(addresses)
            for number, (received, p, channel) in enumerate(arrivals, 1):
                local_id += 1
                did = local_id * workers + worker + 1
                pi = p.index
                competent = competent_of[desk_id, pi]
                cutoff = p.cutoff
                # --- the dossier's life, in working time ---------------------------------
                start = clock_start(received, cutoff)
                start_w = position(start)
                if p.legal_seconds:
                    due_w = start_w + p.legal_seconds
                    due = moment(due_w)
                else:
                    due = close_of(received // DAY + p.calendar_days)
                    due_w = position(due)
                version = 1
                forward_w = start_w + 60 + int(rand() * 0.1 * (due_w - start_w))
                work_start_w = forward_w  # when processing began (or began again)
                asked = back = withdrawn_at = None
                first_start, first_due = start, due
                stuck = rand() < STUCK
                if not stuck and rand() < p.supplement:
                    within = min(3 * WORKDAY, (due_w - start_w) // 2)  # within 3 working days
                    asked_w = forward_w + 60 + int(rand() * within)
                    asked = moment(asked_w)
                    gap = 1 + min(int(expo(1 / 7)), 60)
                    if rand() < NEVER_BACK:
                        withdrawn_at = office_moment(asked // DAY + gap + 30, rand())
                    else:
                        back = office_moment(asked // DAY + gap, rand())
                        start = clock_start(back, cutoff)
                        start_w = position(start)
                        if p.legal_seconds:
                            due_w = start_w + p.legal_seconds
                            due = moment(due_w)
                        else:
                            due = close_of(back // DAY + p.calendar_days)
                            due_w = position(due)
                        work_start_w = position(back)
                timeliness = outcome = ""
                decided_w = None
                paused_w = 0
                payment_at = resumed = None
                refused = False
                if withdrawn_at is not None:
                    decided = withdrawn_at
                    outcome = "withdrawn"
                elif stuck:
                    decided = None
                elif rand() < p.withdrawn:
                    decided_w = work_start_w + 60 + int(rand() * (due_w - work_start_w))
                    decided = moment(decided_w)
                    outcome = "withdrawn"
                else:
                    if rand() < p.late * trend:
                        decided_w = due_w + 600 + int(expo(1 / (2.5 * WORKDAY)))
                    else:
                        fraction = 0.01 + 0.99 * rand() ** 1.6
                        decided_w = max(
                            work_start_w + 300, start_w + int(fraction * (due_w - start_w))
                        )
                    if p.payment and rand() < p.payment:
                        paused_from_w = work_start_w + int(
                            (0.3 + 0.4 * rand()) * (decided_w - work_start_w)
                        )
                        payment_at = moment(paused_from_w)
                        resumed = office_moment(payment_at // DAY + 1 + int(expo(1 / 10)), rand())
                        paused_w = max(position(resumed) - paused_from_w, 0)
                        if paused_w:
                            decided_w += paused_w
                    refused = rand() < p.refused
                    outcome = "refused" if refused else "returned"
                    decided = moment(decided_w)
                # --- the state it is in now -------------------------------------------
                assignee = "\\N"
                paused = "\\N"
                step_due = "\\N"
                finished = "\\N"
                worked = "\\N"
                late_agency = "\\N"
                overdue_since = "\\N"
                appointment = "\\N"
                facts_worked = None
                is_paused = False
                due_now = due
                if paused_w and now >= resumed:
                    due_now = moment(due_w + paused_w)
                if decided is not None and decided <= now:
                    finished_at = decided
                    finished = ts(decided)
                    if outcome == "withdrawn":
                        step, kind = "withdrawn", "terminal"
                        step_started = decided
                        version += 2 if asked is not None else 1
                        if withdrawn_at is not None:
                            start, due_now = first_start, first_due
                    else:
                        final_due_w = due_w + paused_w
                        due_now = moment(final_due_w)
                        if decided_w > final_due_w:
                            timeliness = "late"
                            late_agency = str(competent)
                            overdue_since = ts(due_now + 3600)
                            if rand() < 0.3:
                                appointment = ts(moment(decided_w + 3600))
                                version += 1
                        elif decided // DAY < due_now // DAY:
                            timeliness = "early"
                        else:
                            timeliness = "on_time"
                        if p.legal_seconds:
                            used = Decimal(p.legal_seconds - final_due_w + decided_w) / WORKDAY
                        else:
                            used = Decimal(decided_w - start_w) / WORKDAY
                        facts_worked = max(used, Decimal(0)).quantize(Decimal("0.001"))
                        worked = str(facts_worked)
                        version += 4 + (2 if asked is not None else 0) + (2 if paused_w else 0)
                        if refused:
                            step, kind, step_started = "refused", "terminal", decided
                        else:
                            if channel == "online" and rand() < 0.7:
                                handed = decided + 60 + int(rand() * 3600)
                            elif rand() < 0.35:
                                handed = decided + 60 + int(rand() * 7200)
                            else:
                                handed = office_moment(
                                    decided // DAY + 1 + int(expo(1 / 1.5)), rand()
                                )
                            if handed <= now:
                                step, kind, step_started = "returned", "terminal", handed
                                version += 1
                            else:
                                step, kind, step_started = "result_ready", "done", decided
                                outcome = ""
                else:
                    finished_at = None
                    outcome = ""  # what it will come to is not known yet
                    if (
                        asked is not None
                        and asked <= now
                        and (
                            (back is not None and now < back)
                            or (withdrawn_at is not None and now < withdrawn_at)
                        )
                    ):
                        step, kind = "awaiting_supplement", "waiting"
                        paused = ts(asked)
                        is_paused = True
                        start, due_now = first_start, first_due
                        step_started = moment(forward_w)
                        step_due = ts(step_due_of(p, 1, step_started))
                        version += 2
                    elif payment_at is not None and payment_at <= now < resumed:
                        step, kind = "awaiting_payment", "waiting"
                        paused = ts(payment_at)
                        is_paused = True
                        step_started = moment(work_start_w)
                        step_due = ts(step_due_of(p, 1, step_started))
                        version += 3
                    elif now < moment(forward_w) and (asked is None or now < asked):
                        if asked is not None:
                            start, due_now = first_start, first_due
                        step, kind, step_started = "received", "work", start
                        step_due = ts(step_due_of(p, 0, start))
                    else:
                        end_w = decided_w if decided_w is not None else now_position + WORKDAY
                        submit_w = end_w - int(0.25 * (end_w - work_start_w))
                        if resumed is not None:
                            submit_w = max(submit_w, position(resumed) + 60)
                        if stuck:
                            submit_w = now_position - 1 if rand() < 0.4 else now_position + 1
                        if asked is not None and now < asked:  # before the supplement asked
                            start, due_now = first_start, first_due
                            step, step_started, budget = "processing", moment(forward_w), 1
                            version += 1
                        elif now_position < submit_w:
                            step, step_started, budget = "processing", moment(work_start_w), 1
                            version += 2
                        else:
                            step, step_started, budget = "approval", moment(submit_w), 2
                            version += 3
                        kind = "work"
                        step_due = ts(step_due_of(p, budget, step_started))
                        if competent in specialists and rand() < 0.75:
                            assignee = str(specialists[competent])
                    if not is_paused and due_now < now:
                        overdue_since = ts(due_now + 3600)
                        stats["overdue"] += 1
                    stats["open"] += 1
                # --- the rows ---------------------------------------------------------
                name = names[int(rand() * n_names)]
                identity = identities[int(rand() * n_ids)]
                email = ""
                if channel == "online" and rand() < 0.3:
                    email = emails[int(rand() * n_emails)]
                business = businesses[int(rand() * n_biz)] if p.business else ""
                received_text = ts(received)
                code = f"{desk_code}-{code_day}-{numbers[number] if number < 10_000 else number}"
                dossier_lines.append(
                    f"{did}\t{code}\t{PIN_HASH}\t{prefixes[desk_id, pi]}{channel}\t{assignee}\t"
                    f"{name}\t{identity}\t{email}\t{addresses[int(rand() * n_addresses)]}\t"
                    f"{business}\t{step}\t{kind}\t{received_text}\t{ts(start)}\t{ts(due_now)}\t"
                    f"{ts(step_started)}\t{step_due}\t{paused}\t{appointment}\t{finished}\t"
                    f"{worked}\t{outcome}\t{timeliness}\t\\N\t{overdue_since}\t{late_agency}\t"
                    f"{version}\t\t\n"  # nobody authorised to collect the result
                )
                event_lines.append(
                    f"{did}\t{did}\t1\t{received_text}\t{actor_id}\t{actor_label}\treceive\t\t"
                    f"received\tkeep\t\t\\N\t{{}}\t\n"
                )
                access_lines.append(
                    f"{2 * did - 1}\t{did}\t{desk_id}\n{2 * did}\t{did}\t{competent}\n"
                )
                add_figures(
                    contribution(
                        Facts(
                            agency_id=competent,
                            procedure_id=p.id,
                            channel=channel,
                            received_on=dates[received // DAY],
                            due_on=dates[due_now // DAY],
                            finished_on=dates[finished_at // DAY] if finished_at else None,
                            outcome=outcome,
                            timeliness=timeliness,
                            worked_days=facts_worked,
                            paused=is_paused,
                            full_online=p.full_online,
                        )
                    )
                )
                stats[channel] += 1
                stats[outcome or step] += 1
                if timeliness:
                    stats[timeliness] += 1
            sequence_lines.append(f"{desk_id}\t{date.isoformat()}\t{n}\n")
            made += n
        # Every counter falls on or after its dossier's day of receipt: the periods before the
        # next day are final once this day's dossiers are made.
        next_date = dates[day + 1]
        for period in [p for p in pending_days if p < next_date]:
            daily_out.append(figure_lines(pending_days.pop(period)))
        this_month = next_date.replace(day=1)
        for period in [p for p in pending_months if p < this_month]:
            monthly_out.append(figure_lines(pending_months.pop(period)))
        progress[worker] = made
        if len(dossier_lines) >= batch_size:
            flush()
    for period in sorted(pending_days):
        daily_out.append(figure_lines(pending_days.pop(period)))
    for period in sorted(pending_months):
        monthly_out.append(figure_lines(pending_months.pop(period)))
    flush()
    writer.close()
    progress[worker] = made
    results.put((worker, kept, stats, local_id))


# --- the load ----------------------------------------------------------------------------------


def manage(*args: str) -> None:
    env = {**os.environ, "DATABASE_URL": BENCH_URL, "DJANGO_SETTINGS_MODULE": "haicap.settings"}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def fresh_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    manage("migrate", "--no-input", "-v", "0")
    manage("load_demo_province", "--quiet-accounts", "--no-history")


def drop_for_load(conn: psycopg.Connection) -> tuple[list[str], list[str]]:
    """Drop the built tables' non-unique indexes and foreign keys; return how to make them."""
    indexes = conn.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid),"
        " pg_relation_size(i.indrelid) FROM pg_index i"
        " WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisunique",
        (list(BUILT_TABLES),),
    ).fetchall()
    keys = conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
        (list(BUILT_TABLES),),
    ).fetchall()
    for name, _definition, _size in indexes:
        conn.execute(f"DROP INDEX {name}")
    for table, name, _definition in keys:
        conn.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    conn.commit()
    creates = [definition for _name, definition, _size in indexes]
    adds = [f"ALTER TABLE {t} ADD CONSTRAINT {n} {d}" for t, n, d in keys]
    return creates, adds


def run_in_parallel(statements: list[str], connections: int, label: str, settings=()) -> None:
    """Run statements on ``connections`` connections at once, largest tables first."""
    pending = list(statements)
    lock = threading.Lock()
    done = [0]
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with psycopg.connect(BENCH_URL, autocommit=True) as conn:
                for setting in settings:
                    conn.execute(setting)
                while True:
                    with lock:
                        if not pending or errors:
                            return
                        statement = pending.pop(0)
                    conn.execute(statement)
                    with lock:
                        done[0] += 1
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(connections)]
    for thread in threads:
        thread.start()
    total = len(statements)
    while any(t.is_alive() for t in threads):
        bar(label, done[0], total, unit="")
        time.sleep(0.5)
    bar(label, done[0], total, unit="", end=True)
    if errors:
        raise errors[0]


_bar_started = {}


def bar(label: str, done: int, total: int, unit: str = " dossiers", end: bool = False) -> None:
    """A progress bar on stderr: where a phase stands, its rate and the time left."""
    started = _bar_started.setdefault(label, time.monotonic())
    elapsed = time.monotonic() - started
    fraction = done / total if total else 1.0
    width = 30
    filled = int(width * fraction)
    rate = done / elapsed if elapsed > 0 else 0.0
    left = (total - done) / rate if rate > 0 else 0.0
    text = (
        f"\r{label:<22} [{'#' * filled}{'.' * (width - filled)}] {fraction:6.1%}"
        f" {done:,}/{total:,}{unit}"
    )
    if unit == " dossiers":
        text += f" {rate:,.0f}/s"
    text += f" {elapsed:5.0f}s"
    if not end and done:
        text += f" (about {left:.0f}s left)"
    sys.stderr.write(text.ljust(110) + ("\n" if end else ""))
    sys.stderr.flush()


def main() -> None:
    global BENCH_DB, BENCH_URL
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=10_000_000)
    parser.add_argument(
        "--end",
        type=dt.date.fromisoformat,
        default=None,
        help="last day of receipt (default: yesterday); the five years end on it",
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--batch", type=int, default=20_000, help="dossiers per COPY batch")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--database", default=BENCH_DB, help="the scratch database (dropped and made anew)"
    )
    parser.add_argument(
        "--verify",
        action="store_true",
        help="after the load, check the rows and compare the figures with rebuild() (slow)",
    )
    options = parser.parse_args()

    BENCH_DB = options.database
    BENCH_URL = ADMIN_URL.rsplit("/", 1)[0] + f"/{BENCH_DB}"
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
    timings: list[tuple[str, float]] = []
    began = time.monotonic()

    def phase(name: str, since: float) -> float:
        now = time.monotonic()
        timings.append((name, now - since))
        print(f"{name}: {now - since:.1f} s", flush=True)
        return now

    print(f"making {BENCH_DB}: migrate and the demo province…", flush=True)
    fresh_database()
    mark = phase("database, migrations, demo province", began)

    import django

    django.setup()
    from django.db import connections

    from haicap.calendar.workdays import VIETNAM
    from haicap.core import clock
    from haicap.kpi import figures

    end = options.end or (clock.now().astimezone(VIETNAM).date() - dt.timedelta(days=1))
    world = build_world(options.dossiers, end, options.seed)
    counts = daily_counts(world, options.dossiers)
    connections.close_all()
    first, last = world.calendar.dates[world.first_day], world.calendar.dates[world.last_day]
    print(
        f"{options.dossiers:,} dossiers received {first}..{last} at {len(world.desks)} desks,"
        f" states as of {world.calendar.to_datetime(world.now, VIETNAM):%Y-%m-%d %H:%M} (Vietnam)",
        flush=True,
    )
    mark = phase("province read, calendar checked", mark)

    with psycopg.connect(BENCH_URL) as conn:
        creates, adds = drop_for_load(conn)
    print(f"dropped {len(creates)} non-unique indexes and {len(adds)} foreign keys", flush=True)

    # Share the desks among the workers, busiest first, to the least loaded worker.
    loads = [0] * options.workers
    shares: list[list[int]] = [[] for _ in range(options.workers)]
    for index in sorted(range(len(world.desks)), key=lambda i: -sum(counts[i])):
        w = loads.index(min(loads))
        shares[w].append(index)
        loads[w] += sum(counts[index])
    context = mp.get_context("fork")
    progress = context.RawArray("q", options.workers)
    results = context.Queue()
    processes = [
        context.Process(
            target=generate,
            args=(world, w, options.workers, sorted(shares[w]), counts, progress, results),
            kwargs={"batch_size": options.batch},
        )
        for w in range(options.workers)
    ]
    bar("dossiers", 0, options.dossiers)
    for process in processes:
        process.start()
    outcomes = []
    while len(outcomes) < len(processes):
        try:
            outcomes.append(results.get(timeout=0.5))
        except queue.Empty:
            if any(p.exitcode not in (None, 0) for p in processes):
                for p in processes:
                    if p.is_alive():
                        p.terminate()
                raise SystemExit("a generator process failed") from None
        bar("dossiers", sum(progress), options.dossiers)
    for process in processes:
        process.join()
    bar("dossiers", sum(progress), options.dossiers, end=True)
    mark = phase("dossiers, events, access, figures generated and copied", mark)

    kept = figures.total(outcome[1] for outcome in outcomes)  # the departments' partial sums
    stats = sum((outcome[2] for outcome in outcomes), Counter())
    with psycopg.connect(BENCH_URL) as conn, conn.cursor() as cursor:
        for granularity, statement in (("day", COPY_DAILY), ("month", COPY_MONTHLY)):
            rows = {k: v for k, v in kept.items() if k.granularity == granularity}
            with cursor.copy(statement) as copy:
                copy.write(figure_lines(dict(sorted(rows.items()))))
        for table in ("dossiers_dossier", "dossiers_dossierevent", "dossiers_dossieraccess"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT coalesce(max(id), 1) FROM {table}))"
            )
    mark = phase("departments' figures merged and copied", mark)
    derived = derive_figures(end)
    mark = phase(f"figures by dekad, year and field, balances of {derived} month-ends", mark)

    run_in_parallel([f"VACUUM {t}" for t in BUILT_TABLES], 2, "vacuum")
    mark = phase("vacuum (visibility map)", mark)
    big_first = sorted(creates, key=lambda s: (BUILT_TABLES.index(_table_of(s)), s))
    run_in_parallel(
        big_first,
        2,
        "indexes",
        settings=("SET maintenance_work_mem = '1GB'", "SET max_parallel_maintenance_workers = 0"),
    )
    mark = phase(f"{len(creates)} non-unique indexes made", mark)
    run_in_parallel(adds, 2, "foreign keys", settings=("SET work_mem = '256MB'",))
    mark = phase(f"{len(adds)} foreign keys added (each checked)", mark)
    with psycopg.connect(BENCH_URL, autocommit=True) as conn:
        conn.execute("ANALYZE")  # every table, the small ones too (agencies, procedures)
    mark = phase("analyze", mark)
    total = time.monotonic() - began
    print(f"total: {total:.1f} s for {options.dossiers:,} dossiers", flush=True)
    print(f"rate: {options.dossiers / total:,.0f} dossiers/s over the whole load", flush=True)
    _report(stats, options.dossiers)
    if options.verify:
        verify()


CHECKS = {
    "open dossiers at an end step": "finished_at IS NULL AND step_kind IN ('terminal', 'done')",
    "finished dossiers at a working step": (
        "finished_at IS NOT NULL AND step_kind NOT IN ('terminal', 'done')"
    ),
    "terminal step without its outcome": "step_kind = 'terminal' AND outcome <> step",
    "paused but not waiting": "(paused_at IS NOT NULL) <> (step_kind = 'waiting')",
    "late not after the due moment": (
        "timeliness <> '' AND (timeliness = 'late') <> (finished_at > due_at)"
    ),
    "decided without timeliness": (
        "(outcome IN ('returned', 'refused') OR step = 'result_ready') AND timeliness = ''"
    ),
    "clock before receipt or due before clock": (
        "clock_started_at < received_at OR due_at <= clock_started_at"
    ),
    "code not the desk's and day's": (
        "code <> (SELECT a.code FROM units_agency a WHERE a.id = receiving_agency_id)"
        " || '-' || to_char(received_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-'"
        " || split_part(code, '-', 3)"
    ),
    "legal time not the procedure's": (
        "(legal_amount, legal_unit) <> (SELECT p.legal_amount, p.legal_unit"
        " FROM catalog_procedure p WHERE p.id = procedure_id)"
    ),
}


def verify() -> None:
    """Check the rows' consistency, and the figures against ``haicap.kpi.services.rebuild``.

    The rebuild runs in a transaction that is rolled back: the loaded figures stay as they are.
    Meant for small loads (the rebuild reads every dossier through the ORM).
    """
    from django.db import connection, transaction

    from haicap.kpi.services import rebuild

    with connection.cursor() as cursor:
        for label, condition in CHECKS.items():
            cursor.execute(f"SELECT count(*) FROM dossiers_dossier WHERE {condition}")
            print(f"check {label}: {cursor.fetchone()[0]} rows (want 0)")
        cursor.execute(
            "SELECT count(*) FROM (SELECT receiving_agency_id,"
            " (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day, count(*) AS n,"
            " max(split_part(code, '-', 3)::int) AS top FROM dossiers_dossier GROUP BY 1, 2) d"
            " FULL JOIN dossiers_dailysequence s ON s.agency_id = d.receiving_agency_id"
            " AND s.day = d.day WHERE s.last IS DISTINCT FROM d.n OR d.top IS DISTINCT FROM d.n"
        )
        print(f"check daily numbers against the dossiers: {cursor.fetchone()[0]} (want 0)")
    from haicap.kpi.derive import ALL_TABLES

    with transaction.atomic():
        with connection.cursor() as cursor:
            columns = {}
            for table in ALL_TABLES:
                cursor.execute(
                    "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position)"
                    " FROM information_schema.columns"
                    " WHERE table_name = %s AND column_name <> 'id'",
                    [table],
                )
                columns[table] = cursor.fetchone()[0]
                cursor.execute(
                    f"CREATE TEMP TABLE loaded_{table} AS SELECT {columns[table]} FROM {table}"
                )
        read = rebuild()
        with connection.cursor() as cursor:
            for table in ALL_TABLES:
                kept = columns[table]
                cursor.execute(
                    f"SELECT (SELECT count(*) FROM (SELECT {kept} FROM {table} EXCEPT"
                    f" SELECT {kept} FROM loaded_{table}) a), (SELECT count(*) FROM"
                    f" (SELECT {kept} FROM loaded_{table} EXCEPT SELECT {kept}"
                    f" FROM {table}) b), (SELECT count(*) FROM {table})"
                )
                missing, extra, rows = cursor.fetchone()
                print(
                    f"check {table} against rebuild() of {read:,} dossiers: {rows:,} rows,"
                    f" {missing} missing or different, {extra} extra (want 0, 0)"
                )
        transaction.set_rollback(True)


def derive_figures(end: dt.date) -> int:
    """What ``kpi.services.rebuild`` adds up after the daily and monthly rows: the dekads, the
    years, the fields and the balance of every month that has ended by ``end`` (the worker's
    close)."""
    from django.db import connection, transaction

    from haicap.kpi import derive
    from haicap.kpi.models import BalanceState
    from haicap.kpi.periods import previous_month

    last = previous_month(end + dt.timedelta(days=1))
    began = time.monotonic()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")
            # The tables as copied, for the planner of the month-ends' queries.
            cursor.execute("ANALYZE kpi_monthlyfigures")
        derive.derive_all(None)
        added = time.monotonic()
        months = len(derive.close_months(None, last))
        BalanceState.objects.update_or_create(pk=1, defaults={"balanced_through": last})
    connection.close()
    print(
        f"  (dekads, years and fields {added - began:.1f} s,"
        f" month-ends {time.monotonic() - added:.1f} s)",
        flush=True,
    )
    return months


def _table_of(statement: str) -> str:
    return statement.split(" ON ")[1].split()[0].removeprefix("public.")


def _report(stats: Counter, dossiers: int) -> None:
    resolved = stats["early"] + stats["on_time"] + stats["late"]
    print(
        "mix: online {:.1%}, post {:.1%}; open {:.2%} ({:,}, of them overdue {:,});"
        " returned {:,}, refused {:,}, withdrawn {:,}, result waiting {:,};"
        " late {:.1%} of {:,} decided".format(
            stats["online"] / dossiers,
            stats["post"] / dossiers,
            stats["open"] / dossiers,
            stats["open"],
            stats["overdue"],
            stats["returned"],
            stats["refused"],
            stats["withdrawn"],
            stats["result_ready"],
            stats["late"] / resolved if resolved else 0,
            resolved,
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
