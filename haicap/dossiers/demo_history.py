"""A year of illustrative history for the demo province, so its pages show a living province.

``make_history`` writes ``size`` dossiers received over the twelve months up to yesterday at the
desks of the 130 communes and wards and at the provincial centre: desk, post and online
filings (the online share rising over the year and differing by commune), in the volumes of
``demo_mix``, with supplement requests (the clock starts again), fee pauses, transfers to a
provincial department, refusals, withdrawals, late decisions and dossiers still open, some of
them overdue. Each dossier is walked through its process template by ``services.apply_move``,
the function ``act`` and ``rebuild_dossiers`` use, and every move is kept as its event (the
worker's overdue marking too): the row is what its events replay to. The figures are then
rebuilt from the dossiers (``kpi.services.rebuild``, as ``rebuild_kpi`` does) and the months
closed.

Rows are inserted with ``bulk_create`` in batches; not written: the audit log, outbox
messages, notifications and papers (the history is illustrative, not something that happened).
Applicants are invented and get no PIN (``NO_PIN``): nobody can look these dossiers up.
"""

import datetime as dt
import random
from bisect import bisect
from dataclasses import dataclass, field

from django.db import connection, models, transaction

from haicap.accounts.models import Membership, User
from haicap.calendar.selectors import calendars_for_units
from haicap.calendar.workdays import VIETNAM, WorkCalendar
from haicap.catalog.models import Procedure, ProcessTemplate
from haicap.core.text import search_key
from haicap.dossiers import demo_mix as mix
from haicap.dossiers.codes import dossier_code
from haicap.dossiers.models import DailySequence, Dossier, DossierAccess, DossierEvent
from haicap.dossiers.services import apply_move, step_due
from haicap.units.kinds import UNIT_KIND_PREFIX
from haicap.units.models import Agency
from haicap.workflow.definition import from_definition
from haicap.workflow.engine import Move, Template

NO_PIN = "demo$no-pin"  # not a digest of any PIN: no look-up matches it
HOUR = dt.timedelta(hours=1)
TRANSFERRED = 0.04  # of commune dossiers of a field a department also handles: sent up to it
ASSIGNED = 0.75  # of dossiers handled where a demo specialist works: assigned to them by name
ONLINE_RISE = (0.42, 0.58)  # the province's online share at the start and the end of the year
BATCH = 2000  # dossiers a bulk insert


@dataclass
class Desk:
    agency: Agency
    weight: float
    online: float  # this commune's propensity to file online, times the province's
    intake: User | None
    procedures: list[Procedure] = field(default_factory=list)
    cumulative: list[float] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)


@dataclass
class Province:
    """What the history is made of, read once."""

    template: ProcessTemplate
    flow: Template
    desks: list[Desk]
    handling: dict[tuple[int, int], Agency]  # (desk, procedure) -> competent agency
    department_of_field: dict[int, Agency]  # field -> the department that handles most of it
    calendars: dict[int | None, WorkCalendar]
    specialists: dict[int, User]  # competent agency -> a demo specialist who works on it
    leaders: dict[int, User]


def read_province(seed: int) -> Province:
    rnd = random.Random(seed)  # noqa: S311 (illustrative data, not security)
    template = ProcessTemplate.objects.filter(code="one-stop-standard").order_by("-version").first()
    if template is None:
        raise ValueError("the one-stop-standard process template is not loaded")
    flow = from_definition(template.code, template.name, template.definition)
    procedures = list(
        Procedure.objects.select_related("field", "provincial_agency__unit")
        .filter(is_active=True, template_code=template.code)
        .order_by("pk")
    )
    agencies = list(Agency.objects.select_related("unit").filter(unit__valid_to=None))
    by_unit: dict[int, dict[str, Agency]] = {}
    for agency in agencies:
        if agency.unit.tier == "commune":
            by_unit.setdefault(agency.unit_id, {})[agency.kind] = agency
    people: dict[tuple[int, str], User] = {}
    for membership in Membership.objects.select_related("user", "agency"):
        people.setdefault((membership.agency_id, membership.role), membership.user)
        if membership.agency.unit_id in by_unit:  # a commune's officers work on all its bodies
            for agency in by_unit[membership.agency.unit_id].values():
                people.setdefault((agency.pk, f"commune_{membership.role}"), membership.user)

    def person(agency: Agency, role: str) -> User | None:
        return people.get((agency.pk, role)) or people.get((agency.pk, f"commune_{role}"))

    weight_of = {**mix.COMMUNE_WEIGHTS, **mix.PROVINCE_WEIGHTS}
    commune_procedures = [p for p in procedures if p.tier == "commune"]
    province_procedures = [p for p in procedures if p.tier == "province"]
    department_of_field: dict[int, Agency] = {}
    for p in sorted(province_procedures, key=lambda p: -weight_of.get(p.national_code, 2)):
        if p.provincial_agency is not None:
            department_of_field.setdefault(p.field_id, p.provincial_agency)

    def mixture(parts: list[tuple[list[Procedure], float]]) -> tuple[list, list[float]]:
        chosen, cumulative, running = [], [], 0.0
        for group, share in parts:
            total = sum(weight_of.get(p.national_code, 2) for p in group)
            for p in group:
                running += share * weight_of.get(p.national_code, 2) / total
                chosen.append(p)
                cumulative.append(running)
        return chosen, [c / running for c in cumulative]

    handling: dict[tuple[int, int], Agency] = {}
    desks: list[Desk] = []
    centre = next(a for a in agencies if a.kind == "provincial_service_center")
    desk = Desk(centre, mix.PROVINCE_SHARE * (1 - mix.PROVINCE_AT_COMMUNE_DESKS), 1.0, None)
    desk.intake = person(centre, "intake_officer")
    desk.procedures, desk.cumulative = mixture([(province_procedures, 1.0)])
    desk.addresses = [f"Số {n} đường Lê Lợi, phường Thành Vinh" for n in range(1, 120)]
    desks.append(desk)
    at_commune = 1 - mix.PROVINCE_SHARE * (1 - mix.PROVINCE_AT_COMMUNE_DESKS)
    province_there = mix.PROVINCE_SHARE * mix.PROVINCE_AT_COMMUNE_DESKS / at_commune
    communes = sorted(by_unit.items(), key=lambda item: item[1]["commune_service_center"].code)
    weights = {
        unit_id: (2.2 if kinds["commune_service_center"].unit.kind == "ward" else 1.0)
        * rnd.lognormvariate(0, 0.4)
        for unit_id, kinds in communes
    }
    total = sum(weights.values())
    for unit_id, kinds in communes:
        agency = kinds["commune_service_center"]
        unit = agency.unit
        desk = Desk(agency, at_commune * weights[unit_id] / total, rnd.lognormvariate(0, 0.5), None)
        desk.intake = person(agency, "intake_officer")
        desk.procedures, desk.cumulative = mixture(
            [(commune_procedures, 1 - province_there), (province_procedures, province_there)]
        )
        word = "Khối" if unit.kind == "ward" else "Xóm"
        place = f"{UNIT_KIND_PREFIX[unit.kind]} {unit.name}"
        desk.addresses = [f"{word} {n}, {place}" for n in range(1, 25)]
        desks.append(desk)
        for p in commune_procedures:
            if p.agency_kind in kinds:
                handling[agency.pk, p.pk] = kinds[p.agency_kind]
    for desk in desks:
        for p in province_procedures:
            if p.provincial_agency is not None:
                handling[desk.agency.pk, p.pk] = p.provincial_agency
        desk.procedures = [p for p in desk.procedures if (desk.agency.pk, p.pk) in handling]
    unit_ids = {a.unit_id for a in agencies}
    specialists, leaders = {}, {}
    for agency in agencies:
        if found := person(agency, "specialist"):
            specialists[agency.pk] = found
        if found := person(agency, "leader"):
            leaders[agency.pk] = found
    return Province(
        template=template,
        flow=flow,
        desks=desks,
        handling=handling,
        department_of_field=department_of_field,
        calendars=calendars_for_units(unit_ids),
        specialists=specialists,
        leaders=leaders,
    )


def daily_counts(desks: list[Desk], days: list[dt.date], size: int, seed: int) -> list[list[int]]:
    """How many dossiers each desk receives each day: ``size`` split by weight, with noise.

    Working days take the work; weekends and holidays a few online filings (``walk`` makes them
    online). Each desk's total is kept exactly by carrying the rounding from day to day.
    """
    calendar = WorkCalendar.national()
    season = (1.15, 0.75, 1.05, 1.0, 1.0, 0.95, 0.95, 1.0, 1.05, 1.05, 1.05, 1.1)
    base = [(1.0 if calendar.is_working_day(day) else 0.06) * season[day.month - 1] for day in days]
    total_weight = sum(d.weight for d in desks)
    counts = []
    for index, desk in enumerate(desks):
        rnd = random.Random(f"{seed}:days:{index}")  # noqa: S311
        weights = [b * (0.7 + 0.6 * rnd.random()) for b in base]
        scale = size * desk.weight / total_weight / sum(weights)
        carry, row = 0.0, []
        for w in weights:
            exact = w * scale + carry
            n = max(int(exact + 0.5), 0)
            carry = exact - n
            row.append(n)
        counts.append(row)
    return counts


@dataclass(slots=True)
class Happened:
    """An event of the dossier being walked (a row of ``DossierEvent``, without a model's cost)."""

    at: dt.datetime
    action: str
    source: str
    target: str
    clock: str
    actor_id: int | None
    label: str
    agency_id: int | None = None
    data: dict = field(default_factory=dict)


@dataclass
class Walk:
    """One dossier's row and its events as ``apply_move`` leaves them, and where it has been."""

    dossier: Dossier
    events: list[Happened]
    agencies: set[int]


class Walker:
    """Takes a dossier through the template, move by move, up to ``now``."""

    def __init__(self, province: Province, now: dt.datetime, rnd: random.Random) -> None:
        self.province = province
        self.now = now
        self.rnd = rnd
        self.flow = province.flow

    def office_moment(self, calendar: WorkCalendar, day: dt.date) -> dt.datetime:
        """A moment of office time on ``day``, or on the next working day if it is not one."""
        if not calendar.is_working_day(day):
            day = calendar.next_working_day(day)
        start = dt.datetime.combine(day, dt.time(0), VIETNAM)
        return calendar.advance(start, int(self.rnd.random() * calendar.day_micros))

    def within(self, calendar: WorkCalendar, start: dt.datetime, end: dt.datetime, share: float):
        """The moment ``share`` of the working time from ``start`` to ``end`` has passed."""
        span = calendar.working_micros(start, end)
        return calendar.advance(start, max(int(span * share), 60_000_000))

    def walk(self, dossier: Dossier, desk: Desk) -> Walk:
        rnd, now, p = self.rnd, self.now, dossier.procedure
        province = self.province
        calendar = province.calendars.get(
            dossier.competent_agency.unit_id, province.calendars[None]
        )
        specialist = province.specialists.get(dossier.competent_agency_id)
        events = [
            self.event(dossier, dossier.received_at, "receive", "", dossier.step, "keep", desk)
        ]
        agencies = {dossier.receiving_agency_id, dossier.competent_agency_id}
        late, supplement, payment, refused, withdrawn = mix.FIELD_RATES.get(
            p.field.code, mix.OTHER_FIELD_RATES
        )
        if p.national_code not in {"X.DD.001", "X.DD.003", "T.DD.001"}:
            payment = 0.0
        # Late a little more often a year ago than now (the benchmark's five-year trend, tamed).
        age = min(max((now - dossier.received_at).days / 365, 0), 1)
        trend = mix.LATE_TREND[1] + 0.4 * (mix.LATE_TREND[0] - mix.LATE_TREND[1]) * age

        def take(action: str, at: dt.datetime, **kw) -> bool:
            """Take the action at ``at`` if that has happened by now (else the walk ends)."""
            if at > now:
                return False
            self.mark_overdue(dossier, events, at)
            moves = [a for a in self.flow.actions_from(dossier.step) if a.code == action]
            chosen = moves[0]
            target = self.flow.step(chosen.target)
            source = dossier.step
            data = apply_move(dossier, calendar, Move(chosen, target, chosen.clock), at, **kw)
            events.append(
                self.event(
                    dossier,
                    at,
                    action,
                    source,
                    target.code,
                    str(chosen.clock),
                    desk,
                    data,
                    kw.get("target_agency"),
                    chosen.roles,
                )
            )
            return True

        def walked() -> Walk:
            if dossier.finished_at is None:
                self.mark_overdue(dossier, events, now)
            return Walk(dossier, events, agencies)

        start = dossier.clock_started_at
        forward = self.within(calendar, start, dossier.due_at, 0.02 + 0.08 * rnd.random())
        if not take("forward", forward):
            return walked()
        work_from = forward
        if specialist is not None and rnd.random() < ASSIGNED:
            work_from = forward + dt.timedelta(minutes=5 + int(rnd.random() * 50))
            if not take("assign", work_from, assignee=specialist):
                return walked()
        department = province.department_of_field.get(p.field_id)
        if (
            p.tier == "commune"
            and department is not None
            and dossier.competent_agency.kind != "department"
            and rnd.random() < TRANSFERRED
        ):
            work_from = self.within(calendar, work_from, dossier.due_at, 0.1)
            if not take("transfer", work_from, target_agency=department):
                return walked()
            agencies.add(department.pk)
            calendar = province.calendars.get(department.unit_id, province.calendars[None])
        if rnd.random() < withdrawn:
            at = self.within(calendar, work_from, dossier.due_at, rnd.random())
            take("withdraw", at)
            return walked()
        if rnd.random() < supplement:
            asked = calendar.advance(work_from, int(rnd.random() * 2 * calendar.day_micros))
            if not take("request_supplement", asked):
                return walked()
            gap = 1 + min(int(rnd.expovariate(1 / 6)), 45)
            if rnd.random() < mix.NEVER_BACK:
                take(
                    "withdraw", self.office_moment(calendar, asked.date() + dt.timedelta(gap + 30))
                )
                return walked()
            back = self.office_moment(
                calendar, asked.astimezone(VIETNAM).date() + dt.timedelta(gap)
            )
            if not take("supplement_received", back):
                return walked()
            work_from = back
        if rnd.random() < late * trend:
            extra = int(rnd.expovariate(1 / (2.5 * calendar.day_micros)))
            decided = calendar.advance(dossier.due_at, 600_000_000 + extra)
        else:
            decided = self.within(calendar, work_from, dossier.due_at, 0.05 + 0.9 * rnd.random())
        if rnd.random() < payment:
            asked = self.within(calendar, work_from, decided, 0.3 + 0.3 * rnd.random())
            if not take("request_payment", asked):
                return walked()
            paid = self.office_moment(
                calendar,
                asked.astimezone(VIETNAM).date() + dt.timedelta(1 + int(rnd.expovariate(1 / 8))),
            )
            if not take("payment_received", paid):
                return walked()
            paused = calendar.working_micros(asked, paid)
            decided = calendar.advance(max(decided, paid), paused)
        submitted = self.within(calendar, work_from, decided, 0.75)
        if not take("submit", max(submitted, work_from + dt.timedelta(minutes=1))):
            return walked()
        if rnd.random() < refused:
            take("refuse", decided)
            return walked()
        if not take("approve", decided):
            return walked()
        if dossier.channel == Dossier.Channel.ONLINE and rnd.random() < 0.7:
            handed = decided + dt.timedelta(minutes=1 + int(rnd.random() * 60))
        else:
            after = int(rnd.expovariate(1 / 1.5))
            handed = self.office_moment(
                calendar, decided.astimezone(VIETNAM).date() + dt.timedelta(after)
            )
            handed = max(handed, decided + dt.timedelta(minutes=5))
        take("return_result", handed)
        return walked()

    def mark_overdue(self, dossier: Dossier, events: list[Happened], until: dt.datetime):
        """The worker's mark, where a running dossier passed its due moment before ``until``."""
        if dossier.finished_at or dossier.paused_at or dossier.overdue_since:
            return
        marked = max(dossier.due_at + dt.timedelta(minutes=10), events[-1].at)
        if marked >= until:
            return
        dossier.overdue_since = marked
        data = {"due_at": dossier.due_at.isoformat()}
        step = dossier.step
        events.append(
            Happened(marked, "marked_overdue", step, step, "keep", None, "worker", None, data)
        )

    def event(
        self,
        dossier: Dossier,
        at: dt.datetime,
        action: str,
        source: str,
        target: str,
        clock: str,
        desk: Desk,
        data: dict | None = None,
        agency: Agency | None = None,
        roles: frozenset[str] = frozenset({"intake_officer"}),
    ) -> Happened:
        if "intake_officer" in roles and action in {"receive", "forward", "return_result"}:
            actor = desk.intake
            label = f"tiepnhan.{desk.agency.code}"
        elif "leader" in roles and action not in {"assign", "withdraw"}:
            actor = self.province.leaders.get(dossier.competent_agency_id)
            label = f"lanhdao.{dossier.competent_agency.code}"
        else:
            actor = self.province.specialists.get(dossier.competent_agency_id)
            label = f"chuyenvien.{dossier.competent_agency.code}"
        label = actor.get_username() if actor else label
        return Happened(
            at,
            action,
            source,
            target,
            clock,
            actor.pk if actor else None,
            label,
            agency.pk if agency else None,
            data or {},
        )


def make_history(size: int, now: dt.datetime, seed: int = 2026) -> dict[str, int]:
    """Write about ``size`` dossiers received over the year before ``now``'s day; what was made.

    One transaction; the caller checks that the province has no dossiers yet.
    """
    province = read_province(seed)
    today = now.astimezone(VIETNAM).date()
    first = max(
        today - dt.timedelta(days=365),
        province.template.published_at.astimezone(VIETNAM).date() + dt.timedelta(days=1),
    )
    for desk in province.desks:
        since = desk.agency.unit.valid_from
        if since and since > first:
            first = since
    days = [first + dt.timedelta(n) for n in range((today - first).days)]
    counts = daily_counts(province.desks, days, size, seed)
    rnd = random.Random(seed)  # noqa: S311
    walker = Walker(province, now, rnd)
    names = [
        f"{rnd.choice(mix.FAMILY)} {rnd.choice(mix.MIDDLE)} {rnd.choice(mix.GIVEN)}"
        for _ in range(3000)
    ]
    made: dict[str, int] = {}
    walks: list[Walk] = []
    sequences: list[DailySequence] = []
    with transaction.atomic():
        for index, day in enumerate(days):
            online_share = ONLINE_RISE[0] + (ONLINE_RISE[1] - ONLINE_RISE[0]) * index / len(days)
            working = province.calendars[None].is_working_day(day)
            for desk, row in zip(province.desks, counts, strict=True):
                if not row[index]:
                    continue
                arrivals = []
                for _ in range(row[index]):
                    p = desk.procedures[bisect(desk.cumulative, rnd.random())]
                    if not working or rnd.random() < _online(p, desk, online_share):
                        while p.online_level == Procedure.OnlineLevel.NONE:
                            p = desk.procedures[bisect(desk.cumulative, rnd.random())]
                        channel = Dossier.Channel.ONLINE  # mostly in the daytime
                        daytime = rnd.random() < 0.8
                        second = (
                            25_200 + rnd.random() * 54_000 if daytime else rnd.random() * 86_400
                        )
                    else:  # in office hours: 07:30–11:30, 13:30–17:30
                        channel = "post" if rnd.random() < 0.01 else Dossier.Channel.DESK
                        offset = rnd.random() * 28_800
                        second = 27_000 + offset if offset < 14_400 else 34_200 + offset
                    received = dt.datetime.combine(day, dt.time(0), VIETNAM) + dt.timedelta(
                        seconds=int(second)
                    )
                    arrivals.append((received, p, channel))
                arrivals.sort(key=lambda a: a[0])
                for number, (received, p, channel) in enumerate(arrivals, 1):
                    dossier = _received(province, desk, p, channel, received, number, rnd, names)
                    walks.append(walker.walk(dossier, desk))
                sequences.append(DailySequence(agency=desk.agency, day=day, last=len(arrivals)))
            if len(walks) >= BATCH:
                _save(walks, made)
                walks = []
        _save(walks, made)
        DailySequence.objects.bulk_create(sequences, batch_size=BATCH)
    return made


def _online(p: Procedure, desk: Desk, share: float) -> float:
    level = mix.ONLINE_LEVEL[p.online_level]
    return min(0.97, level * share * 1.6 * desk.online)


def _received(
    province: Province,
    desk: Desk,
    p: Procedure,
    channel: str,
    received: dt.datetime,
    number: int,
    rnd: random.Random,
    names: list[str],
) -> Dossier:
    """The dossier as ``services.receive`` makes it (row and clock), not saved yet."""
    competent = province.handling[desk.agency.pk, p.pk]
    calendar = province.calendars.get(competent.unit_id, province.calendars[None])
    start_step = province.flow.step(province.flow.start)
    clock_start = calendar.clock_start(received, p.cutoff)
    name = names[int(rnd.random() * len(names))]
    business = p.field.code in {"DKDN", "HKD"}
    return Dossier(
        code=dossier_code(desk.agency.code, received.date(), number),
        pin_hash=NO_PIN,
        procedure=p,
        template=province.template,
        channel=channel,
        receiving_agency=desk.agency,
        competent_agency=competent,
        applicant_name=name,
        applicant_search=search_key(name),
        applicant_id_number=f"040{rnd.choice('0123')}{rnd.randrange(100):02d}"
        f"{rnd.randrange(10**6):06d}",
        applicant_phone=f"0{rnd.choice('3589')}{rnd.randrange(10**8):08d}",
        applicant_address=desk.addresses[int(rnd.random() * len(desk.addresses))],
        business_code=f"29{rnd.randrange(10**8):08d}" if business else "",
        legal_amount=p.legal_amount,
        legal_unit=p.legal_unit,
        cutoff=p.cutoff,
        step=start_step.code,
        step_kind=start_step.kind,
        received_at=received,
        clock_started_at=clock_start,
        due_at=calendar.add(received, p.legal_amount, p.legal_unit, p.cutoff),
        step_started_at=clock_start,
        step_due_at=step_due(calendar, start_step, clock_start, p.legal_amount, p.legal_unit),
    )


def _save(walks: list[Walk], made: dict[str, int]) -> None:
    """The dossiers with ``bulk_create`` (for their keys), their events and access rows with
    plain ``executemany``: five events a dossier, where a model each would cost most of the load.
    """
    dossiers = [w.dossier for w in walks]
    Dossier.objects.bulk_create(dossiers, batch_size=BATCH)
    ops = connection.ops
    events, access = [], []
    for w in walks:
        pk = w.dossier.pk
        for seq, e in enumerate(w.events, 1):
            at, data = ops.adapt_datetimefield_value(e.at), ops.adapt_json_value(e.data, None)
            who = (e.actor_id, e.label)
            move = (e.action, e.source, e.target, e.clock)
            events.append((pk, seq, at, *who, *move, "", e.agency_id, data, ""))
        access += [(pk, agency_id) for agency_id in sorted(w.agencies)]
        made[w.dossier.step] = made.get(w.dossier.step, 0) + 1
        made[w.dossier.channel] = made.get(w.dossier.channel, 0) + 1
    _insert(DossierEvent, EVENT_COLUMNS, events)
    _insert(DossierAccess, ("dossier_id", "agency_id"), access)
    made["dossiers"] = made.get("dossiers", 0) + len(dossiers)
    made["events"] = made.get("events", 0) + len(events)


EVENT_COLUMNS = (
    "dossier_id", "seq", "at", "actor_id", "actor_label", "action", "from_step", "to_step",
    "clock", "note", "agency_id", "data", "idempotency_key",
)  # fmt: skip


def _insert(model: type[models.Model], columns: tuple[str, ...], rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})",  # noqa: S608
            rows,
        )
