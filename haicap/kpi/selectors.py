"""Reads of the figures: the indicators of any slice, scoped to what the reader may see.

A slice is a range of days (inclusive) and any of: unit, agency, field, procedure, channel.
``kpi.plan`` says which rows answer it (years, months and days for the flows, a month-end
balance for each stock); each table's rows are read in one query per stretch of periods, every
quantity a filtered sum of it, so the number of queries depends on the shape of the question,
never on how many dossiers there are. Slices that name no procedure and no channel read the
figures by field, eight times fewer rows.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, fields

from django.db.models import Count, F, Model, Q, Sum
from django.db.models.functions import TruncMonth

from haicap.accounts.models import User
from haicap.accounts.selectors import scope_for
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.dossiers.models import Dossier
from haicap.kpi import models, plan
from haicap.kpi.indicators import Totals
from haicap.kpi.periods import next_month

# The counters a slice's flows add up (the stocks are read apart).
FLOW_COUNTERS = tuple(
    f.name
    for f in fields(Totals)
    if f.name not in {"carried_over", "overdue_at_end", "paused_now", "extra"}
)
STOCK_OF_FLOWS = {
    plan.OPEN: F("received") - F("closed"),
    plan.OVERDUE: F("overdue_from") - F("overdue_until"),
}


@dataclass(frozen=True)
class Grain:
    tables: dict[str, type[Model]]
    groups: dict[str, str]  # a group's name → its column
    field_code: str  # the lookup of the field's code


FINE = Grain(
    tables={
        plan.DAY: models.DailyFigures,
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
GROUPS = FINE.groups  # a group may pair two of them, "unit,field": its keys are then pairs
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

    def dossier_filter(self) -> Q:
        """The same slice over dossiers (a click-through lists exactly what was counted)."""
        lookups = {
            "competent_agency__unit__code": self.unit_code,
            "competent_agency__code": self.agency_code,
            "procedure__field__code": self.field_code,
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
    if user is None:
        return Q()
    scope = scope_for(user)
    if scope.province_wide:
        return Q()
    if scope.user_id is None or not scope.memberships:
        return Q(pk__in=[])
    communes = {m.unit_id for m in scope.memberships if m.unit_tier == "commune"}
    agencies = {m.agency_id for m in scope.memberships if m.unit_tier != "commune"}
    return Q(**{f"{prefix}__unit_id__in": communes}) | Q(**{f"{prefix}_id__in": agencies})


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
    grain = _grain_for(group, where)
    scoped = visible_agencies_filter(user) & where.filter(grain)
    now = clock.now()
    today = now.astimezone(VIETNAM).date()
    series = group == "month"
    closed = None if series else balanced_through()
    terms = plan.plan(start, end, today, closed, stocks=not series, years=not series)
    found = _read(terms, grain, scoped, group)
    if series:
        return {key: _totals(row) for key, row in sorted(found.items())}
    reaches_now = end >= today
    paused = _counted_now(user, where, group, Q(paused_at__isnull=False)) if reaches_now else {}
    # A period that reaches today ends now: what is overdue is what is past due this moment.
    overdue_now = (
        _counted_now(user, where, group, Q(paused_at__isnull=True, due_at__lt=now))
        if reaches_now
        else {}
    )
    totals = {}
    for key in found.keys() | paused.keys() | overdue_now.keys():
        row = found.get(key, Counter())
        overdue = overdue_now.get(key, 0) if reaches_now else row[plan.OVERDUE]
        totals[key] = _totals(
            row, carried_over=row[plan.OPEN], overdue_at_end=overdue, paused_now=paused.get(key, 0)
        )
    if group is None:
        totals.setdefault(None, Totals())
    return totals


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


def _totals(row: Counter, **stocks: int) -> Totals:
    return Totals(**{name: row[name] for name in FLOW_COUNTERS}, **stocks)


def _read(terms: list[plan.Term], grain: Grain, scoped: Q, group: str | None) -> dict:
    """Each group's flows, and its stocks under the names ``open`` and ``overdue``."""
    found: dict[object, Counter] = {}
    for table, batch in _batches(terms):
        model = grain.tables[table]
        rows = model.objects.filter(scoped, _periods(batch, table))
        sums = {}
        for index, term in enumerate(batch):
            only = None if len(batch) == 1 else _periods([term], table)
            for name, expression in _sums(term, table):
                sums[f"t{index}_{name}"] = Sum(expression, filter=only)
        if group == "month":
            rows = rows.annotate(month=TruncMonth("period"))
        if group:
            columns = [grain.groups[name] for name in group.split(",")]
            items = (
                _keyed(row, columns) for row in rows.values(*columns).annotate(**sums).order_by()
            )
        else:
            items = [(None, rows.aggregate(**sums))]
        for key, row in items:
            if isinstance(key, dt.datetime):
                key = key.date()
            into = found.setdefault(key, Counter())
            for index, term in enumerate(batch):
                for name, _expression in _sums(term, table):
                    into[name] += term.sign * (row[f"t{index}_{name}"] or 0)
    return {key: row for key, row in found.items() if any(row.values()) or group is None}


def _sums(term: plan.Term, table: str) -> list[tuple[str, object]]:
    if term.role == plan.FLOWS:
        return [(name, name) for name in FLOW_COUNTERS]
    if table == plan.BALANCE:
        return [(term.role, term.role)]  # the balance's columns are named as the roles
    return [(term.role, STOCK_OF_FLOWS[term.role])]


def _batches(terms: list[plan.Term]) -> list[tuple[str, list[plan.Term]]]:
    """The terms of each table, those whose periods touch or overlap read in one query.

    Balances are single months: all of them in one query.
    """
    batches = []
    for table in (plan.YEAR, plan.MONTH, plan.DAY, plan.BALANCE):
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
    user: User | None, where: Slice, group: str | None, condition: Q
) -> dict[object, int]:
    """Open dossiers meeting ``condition`` at this moment (paused, or past due), by group."""
    meeting = Dossier.objects.filter(
        visible_agencies_filter(user, "competent_agency") & where.dossier_filter() & condition,
        finished_at__isnull=True,
    )
    if group is None:
        return {None: meeting.count()}
    columns = [DOSSIER_COLUMNS.get(name) for name in group.split(",")]
    if None in columns:
        return {}
    counted = meeting.values(*columns).annotate(n=Count("pk")).order_by()
    return {key: row["n"] for key, row in (_keyed(row, columns) for row in counted)}


AGEING_BUCKETS = ((None, 0), (0, 7), (7, 30), (30, None))  # days past due: not yet, ≤7, ≤30, more


def backlog_ageing(user: User | None, where: Slice = Slice()) -> list[int]:
    """The open dossiers now, by how long past their due moment (calendar days): not yet due,
    up to a week, up to a month, longer. Paused dossiers are counted by their standing due
    moment (their clock waits, so they are not yet late while they wait)."""
    now = clock.now()
    counts = {}
    for index, (low, high) in enumerate(AGEING_BUCKETS):
        window = Q()
        if low is None:
            window &= Q(due_at__gte=now) | Q(paused_at__isnull=False)
        else:
            window &= Q(paused_at__isnull=True, due_at__lt=now - dt.timedelta(days=low))
            if high is not None:
                window &= Q(due_at__gte=now - dt.timedelta(days=high))
        counts[f"b{index}"] = Count("pk", filter=window)
    open_now = Dossier.objects.filter(
        visible_agencies_filter(user, "competent_agency") & where.dossier_filter(),
        finished_at__isnull=True,
    )
    found = open_now.aggregate(**counts)
    return [found[f"b{index}"] for index in range(len(AGEING_BUCKETS))]
