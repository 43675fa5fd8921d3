"""Reads of the figures: the indicators of any slice, scoped to what the reader may see.

A slice is a range of days (inclusive) and any of: unit, agency, field, procedure, channel.
``kpi.plan`` says which rows answer it (years, months, dekads and days for the flows, a month-end
balance for each stock); each table's rows are read in one query per stretch of periods, every
quantity a filtered sum of it, so the number of queries depends on the shape of the question,
never on how many dossiers there are. Slices that name no procedure and no channel read the
figures by field, eight times fewer rows.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from operator import add

from django.db.models import Count, Model, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from haicap.accounts.models import User
from haicap.accounts.selectors import scope_for
from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.dossiers.models import Dossier
from haicap.kpi import models, plan
from haicap.kpi.indicators import Totals
from haicap.kpi.periods import next_dekad, next_month
from haicap.units.models import Agency

# The counters a slice's flows add up (the stocks are read apart).
FLOW_COUNTERS = tuple(
    f.name
    for f in fields(Totals)
    if f.name not in {"carried_over", "overdue_at_end", "paused_now", "extra"}
)
# A stock's flows: what adds to it, what takes from it.
STOCK_OF_FLOWS = {
    plan.OPEN: ("received", "closed"),
    plan.OVERDUE: ("overdue_from", "overdue_until"),
}
# A group's counts are kept as a list (thousands of groups add up fast that way): what the
# rows give, the flows then the two stocks; and what a group's totals hold, in ``Totals``' order.
READ = (*FLOW_COUNTERS, plan.OPEN, plan.OVERDUE)
COUNTED = (*FLOW_COUNTERS, "carried_over", "overdue_at_end", "paused_now")
FLOWS_READ, OPEN_AT, OVERDUE_AT = (
    len(FLOW_COUNTERS),
    READ.index(plan.OPEN),
    READ.index(plan.OVERDUE),
)


@dataclass(frozen=True)
class Grain:
    tables: dict[str, type[Model]]
    groups: dict[str, str]  # a group's name → its column; "unit,field" pairs two (keys are pairs)
    field_code: str  # the lookup of the field's code


FINE = Grain(
    tables={
        plan.DAY: models.DailyFigures,
        plan.DEKAD: models.DekadFigures,
        plan.MONTH: models.MonthlyFigures,
        plan.YEAR: models.YearlyFigures,
        plan.BALANCE: models.Balance,
    },
    groups={
        "unit": "agency__unit_id",
        "agency": "agency_id",
        "field": "procedure__field_id",
        "procedure": "procedure_id",
        "channel": "channel",
        "month": "month",
    },
    field_code="procedure__field__code",
)
BY_FIELD = Grain(
    tables={
        plan.DAY: models.FieldDailyFigures,
        plan.DEKAD: models.FieldDekadFigures,
        plan.MONTH: models.FieldMonthlyFigures,
        plan.YEAR: models.FieldYearlyFigures,
        plan.BALANCE: models.FieldBalance,
    },
    groups={
        "unit": "agency__unit_id",
        "agency": "agency_id",
        "field": "field_id",
        "month": "month",
    },
    field_code="field__code",
)
WITHIN_MONTHS = (plan.DAY, plan.DEKAD)  # tables whose rows' month is not their period
DOSSIER_COLUMNS = {
    "unit": "competent_agency__unit_id",
    "agency": "competent_agency_id",
    "field": "procedure__field_id",
    "procedure": "procedure_id",
    "channel": "channel",
}


@dataclass(frozen=True)
class Slice:
    unit_code: str | None = None
    agency_code: str | None = None
    field_code: str | None = None
    procedure_code: str | None = None
    channel: str | None = None

    def filter(self, grain: Grain = FINE) -> Q:
        lookups = {
            "agency__unit__code": self.unit_code,
            "agency__code": self.agency_code,
            grain.field_code: self.field_code,
            "procedure__national_code": self.procedure_code,
            "channel": self.channel,
        }
        return Q(**{k: v for k, v in lookups.items() if v})

    @property
    def names_procedure_or_channel(self) -> bool:
        return bool(self.procedure_code or self.channel)


def visible_agencies_filter(user: User | None, prefix: str = "agency") -> Q:
    """The figures a user may read: the dossiers' rule, by handling agency.

    ``None`` is the public, who read the province's totals (they hold nothing personal).
    """
    visible = _visibility(user)
    if visible is None:
        return Q()
    communes, agencies = visible
    if not communes and not agencies:
        return Q(pk__in=[])
    return Q(**{f"{prefix}__unit_id__in": communes}) | Q(**{f"{prefix}_id__in": agencies})


def _visibility(user: User | None) -> tuple[set[int], set[int]] | None:
    """The communes all of whose agencies, and the other agencies, the user may read;
    ``None``: every agency."""
    if user is None:
        return None
    scope = scope_for(user)
    if scope.province_wide:
        return None
    if scope.user_id is None or not scope.memberships:
        return set(), set()
    communes = {m.unit_id for m in scope.memberships if m.unit_tier == "commune"}
    agencies = {m.agency_id for m in scope.memberships if m.unit_tier != "commune"}
    return communes, agencies


def indicators(
    user: User | None,
    start: dt.date,
    end: dt.date,
    group: str | None = None,
    where: Slice = Slice(),
) -> dict[object, Totals]:
    """The totals of the slice from ``start`` to ``end`` (inclusive), by ``group``.

    By month, the totals are the month's flows only (a time series); by anything else they
    carry the stocks too: what was open at the start, what is overdue at the end, what waits
    for the applicant now (when the range reaches today). A group appears when any of its
    figures is not zero; without a group the one key is ``None``.
    """
    counted = _counted(user, start, end, group, where)
    totals = {key: _totals(row) for key, row in counted.items()}
    if group is None:
        totals.setdefault(None, Totals())
    return totals


def indicators_by(
    user: User | None,
    start: dt.date,
    end: dt.date,
    groups: Sequence[str | None],
    where: Slice = Slice(),
) -> dict[str | None, dict[object, Totals]]:
    """``indicators`` of one slice and range by each of ``groups`` (none of them ``month``),
    its rows read once by the finest of the groups and added up into each: a page that shows
    the same figures by total, unit, agency and field reads them once, not once a table."""
    names = {name for group in groups if group for name in group.split(",")}
    if "month" in names:
        raise ValueError("a series by month is read on its own (indicators(..., 'month'))")
    if "agency" in names:
        names.discard("unit")  # an agency's unit is known: its figures add up into it
    finest = sorted(names)
    counted = _counted(user, start, end, ",".join(finest) or None, where)
    unit_of = (
        dict(Agency.objects.order_by().values_list("pk", "unit_id")) if "agency" in names else {}
    )
    found = {}
    for group in groups:
        rolled = _rolled_up(counted, finest, group.split(",") if group else [], unit_of)
        found[group] = {key: _totals(row) for key, row in rolled.items()}
        if group is None:
            found[group].setdefault(None, Totals())
    return found


def _rolled_up(
    counted: dict[object, list], finest: list[str], wanted: list[str], unit_of: dict
) -> dict[object, list]:
    """The counts by the names ``finest`` added up by the names ``wanted``, each among them (or
    the unit, known by its agency)."""
    if wanted == finest:
        return counted
    by_agency = "unit" not in finest
    parts = [
        (finest.index("agency"), unit_of)
        if name == "unit" and by_agency
        else (finest.index(name), None)
        for name in wanted
    ]
    rolled: dict[object, list] = {}
    for key, row in counted.items():
        values = key if len(finest) > 1 else (key,)
        projected = tuple(
            values[index] if through is None else through[values[index]] for index, through in parts
        )
        into = projected[0] if len(projected) == 1 else (projected or None)
        have = rolled.get(into)
        rolled[into] = row if have is None else list(map(add, have, row))
    return rolled


def _counted(
    user: User | None, start: dt.date, end: dt.date, group: str | None, where: Slice
) -> dict[object, list]:
    """Each group's counts, in the order of ``COUNTED``; groups with none left out."""
    grain = _grain_for(group, where)
    scoped = visible_agencies_filter(user) & where.filter(grain)
    now = clock.now()
    today = now.astimezone(VIETNAM).date()
    series = group == "month"
    closed = None if series else balanced_through()
    # Dekads pay off where a day has many rows (the province's); a commune's or an agency's
    # days are a few rows each, where fewer queries count more than fewer rows.
    dekads = not (where.unit_code or where.agency_code) and _visibility(user) is None
    terms = plan.plan(start, end, today, closed, stocks=not series, years=not series, dekads=dekads)
    found = _read(terms, grain, scoped, group)
    if series:
        return {key: [*row[:FLOWS_READ], 0, 0, 0] for key, row in sorted(found.items())}
    reaches_now = end >= today
    # A period that reaches today ends now: what is overdue is what is past due this moment.
    paused, overdue_now = _counted_now(user, where, group, now) if reaches_now else ({}, {})
    counted = {}
    waiting = {key for counts in (paused, overdue_now) for key, n in counts.items() if n}
    nothing = [0] * len(READ)
    for key in found.keys() | waiting:
        row = found.get(key, nothing)
        overdue = overdue_now.get(key, 0) if reaches_now else row[OVERDUE_AT]
        counted[key] = [*row[:FLOWS_READ], row[OPEN_AT], overdue, paused.get(key, 0)]
    return {key: row for key, row in counted.items() if any(row)}


def balanced_through() -> dt.date | None:
    """The last month whose end balances are written, if any."""
    return (
        models.BalanceState.objects.filter(pk=1).values_list("balanced_through", flat=True).first()
    )


def _grain_for(group: str | None, where: Slice) -> Grain:
    names = set((group or "").split(",")) - {""}
    if where.names_procedure_or_channel or not names <= BY_FIELD.groups.keys():
        return FINE
    return BY_FIELD


def _totals(row: list) -> Totals:
    return Totals(**dict(zip(COUNTED, row, strict=True)))


def _read(terms: list[plan.Term], grain: Grain, scoped: Q, group: str | None) -> dict:
    """Each group's flows and stocks, in the order of ``READ``."""
    keying = _Keying(group, grain.groups)
    found: dict[object, list] = {}
    for table, batch in _batches(terms):
        rows = grain.tables[table].objects.filter(scoped, _periods(batch, table))
        spans = _spans(batch, table)  # each distinct range of periods, its sums computed once
        firsts = [first for first, _ in spans]
        whole = (None if None in firsts else min(firsts), max(last for _, last in spans))
        columns = keying.columns(table)
        sums, position = {}, {}  # a sum's name → its aggregate; (span, counter) → its column
        for index, (span, names) in enumerate(spans.items()):
            only = None if span == whole else _periods([plan.Term(table, *span, "")], table)
            for name in sorted(names):
                position[(span, name)] = len(columns) + len(sums)
                sums[f"s{index}_{name}"] = Sum(name, filter=only)
        if "month" in keying.names and table in WITHIN_MONTHS:
            rows = rows.annotate(month=TruncMonth("period"))
        if columns:
            grouped = rows.values(*columns).annotate(**sums).order_by()
            items = grouped.values_list(*columns, *sums)
        else:
            summed = rows.aggregate(**sums)
            items = [tuple(summed[name] for name in sums)]
        adds = _contributions(batch, table, position)
        key_of = keying.key_of(table)
        for row in items:
            key = key_of(row)
            into = found.get(key) or found.setdefault(key, [0] * len(READ))
            for target, source, sign in adds:
                if row[source]:
                    into[target] += sign * row[source]
    return {key: row for key, row in found.items() if any(row) or group is None}


def _contributions(
    batch: list[plan.Term], table: str, position: dict[tuple, int]
) -> list[tuple[int, int, int]]:
    """What each term adds to a group's counts: (place in ``READ``, column of the row, sign)."""
    adds = []
    for term in batch:
        span = (term.first, term.last)
        if term.role == plan.FLOWS:
            for target, name in enumerate(FLOW_COUNTERS):
                adds.append((target, position[(span, name)], term.sign))
            continue
        target = READ.index(term.role)
        if table == plan.BALANCE:
            adds.append((target, position[(span, term.role)], term.sign))
        else:
            more, less = STOCK_OF_FLOWS[term.role]
            adds.append((target, position[(span, more)], term.sign))
            adds.append((target, position[(span, less)], -term.sign))
    return adds


def _spans(batch: list[plan.Term], table: str) -> dict[tuple, set[str]]:
    """The columns each distinct range of the batch needs summed."""
    spans: dict[tuple, set[str]] = {}
    for term in batch:
        if term.role == plan.FLOWS:
            names = set(FLOW_COUNTERS)
        elif table == plan.BALANCE:
            names = {term.role}  # the balance's columns are named as the roles
        else:
            names = set(STOCK_OF_FLOWS[term.role])
        spans.setdefault((term.first, term.last), set()).update(names)
    return spans


class _Keying:
    """The columns to group a table's rows by, and a group's key from a row whose first values
    are those columns. A monthly row's month is its period; a daily or dekad row's is computed
    (``TruncMonth``)."""

    def __init__(self, group: str | None, columns: dict[str, str]) -> None:
        self.names = group.split(",") if group else []
        self.own = columns

    def columns(self, table: str) -> list[str]:
        return sorted({self._column(name, table) for name in self.names})

    def _column(self, name: str, table: str) -> str:
        if name == "month" and table not in WITHIN_MONTHS:
            return "period"
        return self.own[name]

    def key_of(self, table: str) -> Callable[[tuple], object]:
        """A row's group, for the rows of ``table``."""
        columns = self.columns(table)
        places = [columns.index(self._column(name, table)) for name in self.names]

        def key(row: tuple) -> object:
            parts = [row[place] for place in places]
            parts = [v.date() if isinstance(v, dt.datetime) else v for v in parts]
            return parts[0] if len(parts) == 1 else (tuple(parts) or None)

        return key


def _batches(terms: list[plan.Term]) -> list[tuple[str, list[plan.Term]]]:
    """The terms of each table, those whose periods touch or overlap read in one query.

    Balances are single months: all of them in one query.
    """
    batches = []
    for table in (plan.YEAR, plan.MONTH, plan.DEKAD, plan.DAY, plan.BALANCE):
        mine = sorted((t for t in terms if t.table == table), key=lambda t: t.first or dt.date.min)
        if table == plan.BALANCE:
            if mine:
                batches.append((table, mine))
            continue
        current: list[plan.Term] = []
        reach = None
        for term in mine:
            if current and (term.first is None or term.first <= _after(reach, table)):
                current.append(term)
                reach = max(reach, term.last)
                continue
            if current:
                batches.append((table, current))
            current, reach = [term], term.last
        if current:
            batches.append((table, current))
    return batches


def _after(period: dt.date, table: str) -> dt.date:
    if table == plan.DAY:
        return period + dt.timedelta(days=1)
    if table == plan.DEKAD:
        return next_dekad(period)
    if table == plan.MONTH:
        return next_month(period)
    return period.replace(year=period.year + 1)


def _periods(batch: list[plan.Term], table: str) -> Q:
    if table == plan.BALANCE:
        months = sorted({t.last for t in batch})
        return Q(period=months[0]) if len(months) == 1 else Q(period__in=months)
    first = None if any(t.first is None for t in batch) else min(t.first for t in batch)
    last = max(t.last for t in batch)
    if first is None:
        return Q(period__lte=last)
    return Q(period=first) if first == last else Q(period__gte=first, period__lte=last)


def _keyed(row: dict, columns: list[str]) -> tuple[object, dict]:
    key = tuple(row.pop(column) for column in columns)
    return (key[0] if len(key) == 1 else key), row


def _counted_now(
    user: User | None, where: Slice, group: str | None, now: dt.datetime
) -> tuple[dict[object, int], dict[object, int]]:
    """The open dossiers paused, and the running ones past due, at this moment, by group, each
    read from its own small index (``Count("*")``, so from the index alone)."""
    columns = [DOSSIER_COLUMNS.get(name) for name in group.split(",")] if group else []
    if None in columns:
        return {}, {}
    open_now = Dossier.objects.filter(_open_dossiers(user, where))
    found = []
    for condition in (Q(paused_at__isnull=False), Q(paused_at__isnull=True, due_at__lt=now)):
        meeting = open_now.filter(condition)
        if not columns:
            found.append({None: meeting.count()})
            continue
        counted = meeting.values(*columns).annotate(n=Count("*")).order_by()
        found.append({key: row["n"] for key, row in (_keyed(row, columns) for row in counted)})
    return found[0], found[1]


def _open_dossiers(user: User | None, where: Slice) -> Q:
    """The unfinished dossiers of the slice the user may see, their agencies and procedures
    named as lists: the join the planner would misjudge is made here instead, over a few
    hundred agencies and procedures, and the small indexes of open dossiers serve any slice."""
    condition = Q(finished_at__isnull=True)
    agencies = _visible_agencies(user)  # None: all; else the agencies, still to be read
    if where.unit_code or where.agency_code:
        agencies = Agency.objects.all() if agencies is None else agencies
        if where.unit_code:
            agencies = agencies.filter(unit__code=where.unit_code)
        if where.agency_code:
            agencies = agencies.filter(code=where.agency_code)
    if agencies is not None:
        condition &= Q(competent_agency_id__in=list(agencies.values_list("pk", flat=True)))
    if where.field_code or where.procedure_code:
        procedures = Procedure.objects.all()
        if where.field_code:
            procedures = procedures.filter(field__code=where.field_code)
        if where.procedure_code:
            procedures = procedures.filter(national_code=where.procedure_code)
        condition &= Q(procedure_id__in=list(procedures.values_list("pk", flat=True)))
    if where.channel:
        condition &= Q(channel=where.channel)
    return condition


def _visible_agencies(user: User | None) -> QuerySet | None:
    """The agencies whose dossiers the user may count (``visible_agencies_filter``'s rule), as
    a query not yet run; ``None``: all of them."""
    visible = _visibility(user)
    if visible is None:
        return None
    communes, agencies = visible
    return Agency.objects.filter(Q(unit_id__in=communes) | Q(pk__in=agencies))


AGEING_BUCKETS = ((None, 0), (0, 7), (7, 30), (30, None))  # days past due: not yet, ≤7, ≤30, more


def backlog_ageing(user: User | None, where: Slice = Slice()) -> list[int]:
    """The open dossiers now, by how long past their due moment (calendar days): not yet due,
    up to a week, up to a month, longer. Paused dossiers count as not yet due: their clock
    waits, so they are not late while they wait.

    Two counts, each from its own small index: the paused dossiers, and the running ones by
    due moment."""
    now = clock.now()
    counts = {}
    for index, (low, high) in enumerate(AGEING_BUCKETS):
        if low is None:
            window = Q(due_at__gte=now)
        else:
            window = Q(due_at__lt=now - dt.timedelta(days=low))
            if high is not None:
                window &= Q(due_at__gte=now - dt.timedelta(days=high))
        counts[f"b{index}"] = Count("due_at", filter=window)  # in the index: read from it alone
    open_now = Dossier.objects.filter(_open_dossiers(user, where))
    running = open_now.filter(paused_at__isnull=True).aggregate(**counts)
    paused = open_now.filter(paused_at__isnull=False).count()
    found = [running[f"b{index}"] for index in range(len(AGEING_BUCKETS))]
    found[0] += paused
    return found
