"""Reads of the figures: the indicators of any slice, scoped to what the reader may see.

A slice is a range of days (inclusive) and any of: unit, agency, field, procedure, channel.
``kpi.plan`` says which rows answer it (years, months, dekads and days for the flows, a month-end
balance for each stock); each table's rows are read in one query per stretch of periods, every
quantity a filtered sum of it (``kpi.summing`` writes the SQL), so the number of queries depends
on the shape of the question, never on how many dossiers there are. Slices that name no
procedure and no channel read the figures by field, eight times fewer rows.
"""

import datetime as dt
import decimal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from operator import add, itemgetter

from django.db.models import Count, Q, QuerySet

from haicap.accounts.models import User
from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Field, Procedure
from haicap.core import clock
from haicap.core.replica import connection_for_read
from haicap.core.restricted import Viewer
from haicap.core.scoping import scope_of
from haicap.dossiers.models import Dossier
from haicap.kpi import derive, models, plan, summing
from haicap.kpi.figures import WORKED
from haicap.kpi.indicators import Totals
from haicap.kpi.periods import next_dekad, next_month
from haicap.units.models import AdministrativeUnit, Agency

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
# rows give, the flows then the two stocks; a group's totals are ``Totals.of_counts(counts)``.
READ = (*FLOW_COUNTERS, plan.OPEN, plan.OVERDUE)
FLOWS_READ, OPEN_AT, OVERDUE_AT = (
    len(FLOW_COUNTERS),
    READ.index(plan.OPEN),
    READ.index(plan.OVERDUE),
)


AGENCIES = Agency._meta.db_table
UNITS = AdministrativeUnit._meta.db_table
PROCEDURES = Procedure._meta.db_table
FIELDS = Field._meta.db_table
# The ids a slice's code names, looked up in the read itself: ``f.<column> IN (…)``.
AGENCIES_WHERE = f"SELECT id FROM {AGENCIES} WHERE"  # noqa: S608
UNIT_AGENCIES = (
    f"SELECT ag.id FROM {AGENCIES} ag JOIN {UNITS} un ON un.id = ag.unit_id"  # noqa: S608
    " WHERE un.code = %s"
)
AGENCY_BY_CODE = f"{AGENCIES_WHERE} code = %s"
FIELD_BY_CODE = f"SELECT id FROM {FIELDS} WHERE code = %s"  # noqa: S608
FIELD_PROCEDURES = (
    f"SELECT pr.id FROM {PROCEDURES} pr JOIN {FIELDS} fi ON fi.id = pr.field_id"  # noqa: S608
    " WHERE fi.code = %s"
)
PROCEDURE_BY_CODE = f"SELECT id FROM {PROCEDURES} WHERE national_code = %s"  # noqa: S608
# What a group's column needs joined to the figures (``f``): ``a`` its agency, ``p`` its procedure.
JOINS = {
    "a.": f"JOIN {AGENCIES} a ON a.id = f.agency_id",
    "p.": f"JOIN {PROCEDURES} p ON p.id = f.procedure_id",
}


@dataclass(frozen=True)
class Grain:
    tables: dict[str, str]  # a kind of row (``plan``'s tables) → its table
    groups: dict[str, str]  # a group's name → its column; "unit,field" pairs two (keys are pairs)
    by_field: bool  # keyed by field (else by procedure and channel)


FINE = Grain(
    tables={
        plan.DAY: models.DailyFigures._meta.db_table,
        plan.DEKAD: models.DekadFigures._meta.db_table,
        plan.MONTH: models.MonthlyFigures._meta.db_table,
        plan.YEAR: models.YearlyFigures._meta.db_table,
        plan.BALANCE: models.Balance._meta.db_table,
    },
    groups={
        "unit": "a.unit_id",
        "agency": "f.agency_id",
        "field": "p.field_id",
        "procedure": "f.procedure_id",
        "channel": "f.channel",
        "month": summing.PERIOD,
    },
    by_field=False,
)
BY_FIELD = Grain(
    tables={
        plan.DAY: models.FieldDailyFigures._meta.db_table,
        plan.DEKAD: models.FieldDekadFigures._meta.db_table,
        plan.MONTH: models.FieldMonthlyFigures._meta.db_table,
        plan.YEAR: models.FieldYearlyFigures._meta.db_table,
        plan.BALANCE: models.FieldBalance._meta.db_table,
    },
    groups={
        "unit": "f.unit_id",  # kept with the rows: no join
        "agency": "f.agency_id",
        "field": "f.field_id",
        "month": summing.PERIOD,
    },
    by_field=True,
)
WITHIN_MONTHS = (plan.DAY, plan.DEKAD)  # tables whose rows' month is not their period
DOSSIER_COLUMNS = {
    "unit": "competent_agency__unit_id",
    "agency": "competent_agency_id",
    "field": "procedure__field_id",
    "procedure": "procedure_id",
    "channel": "channel",
}
# SQLite adds up a decimal column as a float: made a Decimal as Django's own converter does,
# then rounded to the column's places (signed sums of floats leave a trace like 5.55E-17).
_DECIMAL_OF_FLOAT = decimal.Context(prec=15).create_decimal_from_float
_WORKED_PLACES = decimal.Decimal(1).scaleb(
    -models.FieldDailyFigures._meta.get_field(WORKED).decimal_places
)


@dataclass(frozen=True)
class Slice:
    unit_code: str | None = None
    agency_code: str | None = None
    field_code: str | None = None
    procedure_code: str | None = None
    channel: str | None = None

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
    scope = scope_of(user)
    if scope.province_wide:
        return None
    return set(scope.communes), set(scope.provincial_agencies)


def own_slice(user: Viewer) -> dict[str, str]:
    """A commune's or a department's staff see their own figures (``Scope.own_figures``): the
    slice says so, and the click-through lists then hold exactly the dossiers counted."""
    own = scope_of(user).own_figures()
    if own is None:
        return {}
    if own.unit_id is not None:
        return {"unit_code": AdministrativeUnit.objects.get(pk=own.unit_id).code}
    return {"agency_code": Agency.objects.get(pk=own.agency_id).code}


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
    totals = {key: Totals.of_counts(row) for key, row in counted.items()}
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
        names.add("unit")  # an agency's unit is one: read with it, it adds no rows
    finest = tuple(sorted(names))
    counted = _counted(user, start, end, ",".join(finest) or None, where)
    # Each group added up from the smallest one done that holds it: the finest groups first, so
    # a total adds up a few fields, not thousands of agencies × fields.
    done: dict[tuple[str, ...], dict[object, list]] = {finest: counted}
    wanted = {group: tuple(group.split(",")) if group else () for group in groups}
    for group in sorted(groups, key=lambda g: (-len(wanted[g]), g or "")):
        if wanted[group] not in done:
            source = min(
                (have for have in done if set(wanted[group]) <= set(have)),
                key=lambda have: len(done[have]),
            )
            done[wanted[group]] = _rolled_up(done[source], source, wanted[group])
    found = {}
    of_counts = Totals.of_counts
    for group in groups:
        found[group] = {key: of_counts(row) for key, row in done[wanted[group]].items()}
        if group is None:
            found[group].setdefault(None, Totals())
    return found


def _rolled_up(
    counted: dict[object, list], names: tuple[str, ...], wanted: tuple[str, ...]
) -> dict[object, list]:
    """The counts keyed by ``names`` added up by ``wanted``, a part of them."""
    if len(names) == 1:
        project: Callable[[object], object] = (lambda key: key) if wanted else (lambda key: None)
    elif wanted:
        project = itemgetter(*(names.index(name) for name in wanted))  # a value, or a tuple
    else:
        project = lambda key: None  # noqa: E731
    rolled: dict[object, list] = {}
    for key, row in counted.items():
        into = project(key)
        have = rolled.get(into)
        rolled[into] = row if have is None else list(map(add, have, row))
    return rolled


def _counted(
    user: User | None, start: dt.date, end: dt.date, group: str | None, where: Slice
) -> dict[object, list]:
    """Each group's counts, in ``Totals``' order; groups with none left out."""
    grain = _grain_for(group, where)
    visible = _visibility(user)
    scoped = _scope(visible, where, grain)
    now = clock.now()
    today = now.astimezone(VIETNAM).date()
    series = group == "month"
    closed = None if series else balanced_through()
    # Dekads pay off where a day has many rows (the province's); a commune's or an agency's
    # days are a few rows each, where fewer queries count more than fewer rows.
    dekads = not (where.unit_code or where.agency_code) and visible is None
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


def _scope(
    visible: tuple[set[int], set[int]] | None, where: Slice, grain: Grain
) -> list[summing.Condition]:
    """The figures of the slice a reader may read (``visible``: ``_visibility``, the rule of
    ``visible_agencies_filter``), as conditions on the figures' own columns: the codes are
    looked up in subqueries of the read."""
    conditions = []
    if visible is not None:
        communes, agencies = visible
        in_communes = summing.among("unit_id", sorted(communes))
        own = summing.among("f.agency_id", sorted(agencies))
        conditions.append(
            summing.Condition(
                f"(f.agency_id IN ({AGENCIES_WHERE} {in_communes.sql}) OR {own.sql})",
                in_communes.params + own.params,
            )
        )
    field = (
        ("f.field_id", FIELD_BY_CODE) if grain.by_field else ("f.procedure_id", FIELD_PROCEDURES)
    )
    for code, (column, subquery) in (
        (where.unit_code, ("f.agency_id", UNIT_AGENCIES)),
        (where.agency_code, ("f.agency_id", AGENCY_BY_CODE)),
        (where.field_code, field),
        (where.procedure_code, ("f.procedure_id", PROCEDURE_BY_CODE)),
    ):
        if code:
            conditions.append(summing.Condition(f"{column} IN ({subquery})", (code,)))
    if where.channel:
        conditions.append(summing.Condition("f.channel = %s", (where.channel,)))
    return conditions


def _read(
    terms: list[plan.Term], grain: Grain, scoped: list[summing.Condition], group: str | None
) -> dict:
    """Each group's flows and stocks, in the order of ``READ``: a query a batch, whose rows are
    a group's key then its counts, the batch's terms added up in the database."""
    keying = _Keying(group, grain.groups)
    found: dict[object, list] = {}
    worked = READ.index(WORKED)
    reading = connection_for_read(models.MonthlyFigures)  # the replica, where the view allows
    floats = reading.vendor == "sqlite"  # SQLite adds up a decimal column as a float
    with reading.cursor() as cursor:
        for table, batch in _batches(terms):
            keys = keying.columns(table)
            joins = [
                join for alias, join in JOINS.items() if any(k.startswith(alias) for k in keys)
            ]
            where = [_periods(batch, table), *scoped]
            counts = _counts(batch, table)
            cursor.execute(*summing.select(grain.tables[table], keys, joins, where, counts))
            key_of = keying.key_of(table)
            width = len(keys)
            for row in cursor.fetchall():
                key = key_of(row)
                counted = list(row[width:])
                if floats and isinstance(counted[worked], float):
                    counted[worked] = _DECIMAL_OF_FLOAT(counted[worked]).quantize(_WORKED_PLACES)
                have = found.get(key)
                found[key] = counted if have is None else list(map(add, have, counted))
    return {key: row for key, row in found.items() if any(row) or group is None}


def _counts(batch: list[plan.Term], table: str) -> list[list[summing.Summed]]:
    """Each of ``READ``'s counts as the signed sums of the batch's columns that make it, each
    sum over its term's periods (over all the query reads when they are the same)."""
    firsts = [term.first for term in batch]
    whole = (None if None in firsts else min(firsts), max(term.last for term in batch))
    counts: list[list[summing.Summed]] = [[] for _ in READ]
    for term in batch:
        only = None if (term.first, term.last) == whole else _periods([term], table)
        if term.role == plan.FLOWS:
            for target, name in enumerate(FLOW_COUNTERS):
                counts[target].append(summing.Summed(name, only, term.sign))
            continue
        target = READ.index(term.role)
        if table == plan.BALANCE:  # the balance's columns are named as the roles
            counts[target].append(summing.Summed(term.role, only, term.sign))
        else:
            more, less = STOCK_OF_FLOWS[term.role]
            counts[target].append(summing.Summed(more, only, term.sign))
            counts[target].append(summing.Summed(less, only, -term.sign))
    return counts


class _Keying:
    """The columns to group a table's rows by, and a group's key from a row whose first values
    are those columns. A monthly row's month is its period; a daily or dekad row's is computed."""

    def __init__(self, group: str | None, columns: dict[str, str]) -> None:
        self.names = group.split(",") if group else []
        self.own = columns

    def columns(self, table: str) -> list[str]:
        return sorted({self._column(name, table) for name in self.names})

    def _column(self, name: str, table: str) -> str:
        if name == "month" and table in WITHIN_MONTHS:
            return derive.first_of_month(summing.PERIOD)
        return self.own[name]

    def key_of(self, table: str) -> Callable[[tuple], object]:
        """A row's group, for the rows of ``table``."""
        columns = self.columns(table)
        places = [columns.index(self._column(name, table)) for name in self.names]
        months = [name == "month" for name in self.names]
        if not places:
            return lambda row: None
        if not any(months):  # the common case, at C speed: a value, or a tuple of them
            return itemgetter(*places)

        def key(row: tuple) -> object:
            parts = [
                _as_date(row[place]) if month else row[place]
                for place, month in zip(places, months, strict=True)
            ]
            return parts[0] if len(parts) == 1 else (tuple(parts) or None)

        return key


def _as_date(value: object) -> dt.date:
    """A month as the database gives it: a date, a timestamp, or (SQLite) its ISO text."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value.date() if isinstance(value, dt.datetime) else value


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


def _periods(batch: list[plan.Term], table: str) -> summing.Condition:
    if table == plan.BALANCE:
        return summing.among(summing.PERIOD, sorted({t.last for t in batch}))
    first = None if any(t.first is None for t in batch) else min(t.first for t in batch)
    return summing.periods(first, max(t.last for t in batch))


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
        if len(columns) == 1:
            found.append(dict(counted.values_list(*columns, "n")))
        else:
            found.append({tuple(row[:-1]): row[-1] for row in counted.values_list(*columns, "n")})
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
