"""Reads of the figures: the indicators of any slice, scoped to what the reader may see.

A slice is a range of days (inclusive) and any of: unit, agency, field, procedure, channel.
Whole months in the range are read from the monthly figures, the days at its ends from the
daily ones, so a year costs twelve monthly reads per group, not 365 daily ones.
"""

import datetime as dt
from dataclasses import dataclass, fields

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from haicap.accounts.models import User
from haicap.accounts.selectors import scope_for
from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.dossiers.models import Dossier
from haicap.kpi.figures import COUNTERS, WORKED, month_of
from haicap.kpi.indicators import Totals
from haicap.kpi.models import DailyFigures, MonthlyFigures

GROUPS = {
    "unit": "agency__unit_id",
    "agency": "agency_id",
    "field": "procedure__field_id",
    "procedure": "procedure_id",
    "channel": "channel",
    "month": "month",
}  # a group may pair two of them, "unit,field": its keys are then pairs
FULL_ONLINE = Procedure.objects.filter(online_level=Procedure.OnlineLevel.FULL).values("pk")
# Each total under its own name with a "total_" prefix (an aggregate may not take a column's name).
SUMS = {
    **{f"total_{name}": Sum(name) for name in (*COUNTERS, WORKED)},
    "total_received_online": Sum("received", filter=Q(channel="online")),
    # A subquery evaluated once, not a join to the catalogue for every figure row.
    "total_received_full_online": Sum("received", filter=Q(procedure_id__in=FULL_ONLINE)),
    "total_online_of_full_online": Sum(
        "received", filter=Q(channel="online", procedure_id__in=FULL_ONLINE)
    ),
}
# Stocks need four counters only: open = received − closed, overdue = from − until.
STOCK_SUMS = {
    f"total_{name}": Sum(name) for name in ("received", "closed", "overdue_from", "overdue_until")
}
TOTAL_FIELDS = {f.name for f in fields(Totals)}
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

    def filter(self) -> Q:
        lookups = {
            "agency__unit__code": self.unit_code,
            "agency__code": self.agency_code,
            "procedure__field__code": self.field_code,
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
    for the applicant now (when the range reaches today).
    """
    scoped = visible_agencies_filter(user) & where.filter()
    flows = _summed(_between(start, end), scoped, group)
    if group == "month":
        return {key: _totals(row) for key, row in sorted(flows.items())}
    before = _summed(_up_to(start - dt.timedelta(days=1)), scoped, group, STOCK_SUMS)
    now = clock.now()
    reaches_now = end >= now.astimezone(VIETNAM).date()
    at_end = {} if reaches_now else _summed(_up_to(end), scoped, group, STOCK_SUMS)
    paused = _counted_now(user, where, group, Q(paused_at__isnull=False)) if reaches_now else {}
    # A period that reaches today ends now: what is overdue is what is past due this moment.
    overdue_now = (
        _counted_now(user, where, group, Q(paused_at__isnull=True, due_at__lt=now))
        if reaches_now
        else None
    )
    return {
        key: _totals(
            flows.get(key, {}),
            carried_over=_open(before.get(key, {})),
            overdue_at_end=overdue_now.get(key, 0)
            if overdue_now is not None
            else _overdue(at_end.get(key, {})),
            paused_now=paused.get(key, 0),
        )
        for key in flows.keys() | {k for k, row in before.items() if _open(row)}
    }


def _totals(row: dict, **stocks: int) -> Totals:
    names = {name.removeprefix("total_") for name in SUMS} & TOTAL_FIELDS
    return Totals(**{name: row.get(name) or 0 for name in names}, **stocks)


def _open(row: dict) -> int:
    return (row.get("received") or 0) - (row.get("closed") or 0)


def _overdue(row: dict) -> int:
    return (row.get("overdue_from") or 0) - (row.get("overdue_until") or 0)


def _months_within(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and last month lying wholly within the range, if any."""
    first = month_of(start) if start.day == 1 else _next_month(start)
    after_end = end + dt.timedelta(days=1)
    last_exclusive = month_of(after_end)
    if first >= last_exclusive:
        return None
    return first, last_exclusive


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _between(start: dt.date, end: dt.date) -> list[QuerySet]:
    """The rows of the days from ``start`` to ``end``: whole months monthly, the rest daily."""
    months = _months_within(start, end)
    if months is None:
        return [DailyFigures.objects.filter(period__gte=start, period__lte=end)]
    first, last_exclusive = months
    parts = [MonthlyFigures.objects.filter(period__gte=first, period__lt=last_exclusive)]
    if start < first:  # the days before the first whole month
        parts.append(DailyFigures.objects.filter(period__gte=start, period__lt=first))
    if last_exclusive <= end:  # the days after the last whole month
        parts.append(DailyFigures.objects.filter(period__gte=last_exclusive, period__lte=end))
    return parts


def _up_to(end: dt.date) -> list[QuerySet]:
    """The rows of every day up to ``end`` (for stocks: what is open, what is overdue)."""
    after_end = end + dt.timedelta(days=1)
    whole = month_of(after_end)
    parts = [MonthlyFigures.objects.filter(period__lt=whole)]
    if whole <= end:  # the days of the bound's own month
        parts.append(DailyFigures.objects.filter(period__gte=whole, period__lte=end))
    return parts


def _summed(
    parts: list[QuerySet], scoped: Q, group: str | None, sums: dict = SUMS
) -> dict[object, dict]:
    totals: dict[object, dict] = {}
    for rows in parts:
        rows = rows.filter(scoped)
        if group == "month":
            rows = rows.annotate(month=TruncMonth("period"))
        if group:
            columns = [GROUPS[name] for name in group.split(",")]
            grouped = rows.values(*columns).annotate(**sums).order_by()
            items = (_keyed(row, columns) for row in grouped)
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


def _keyed(row: dict, columns: list[str]) -> tuple[object, dict]:
    key = tuple(row.pop(column) for column in columns)
    return (key[0] if len(key) == 1 else key), row


def _counted_now(
    user: User | None, where: Slice, group: str | None, condition: Q
) -> dict[object, int]:
    """Open dossiers meeting ``condition`` at this moment (paused, or past due), by group."""
    paused = Dossier.objects.filter(
        visible_agencies_filter(user, "competent_agency") & where.dossier_filter() & condition,
        finished_at__isnull=True,
    )
    if group is None:
        return {None: paused.count()}
    columns = [DOSSIER_COLUMNS.get(name) for name in group.split(",")]
    if None in columns:
        return {}
    counted = paused.values(*columns).annotate(n=Count("pk")).order_by()
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
