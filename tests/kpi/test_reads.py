"""Whatever rows a slice is read from, its indicators are the dossiers' own, counted one by one.

A few months of dossiers go through the desk (some decided early, on time or late, one refused,
one withdrawn, one paused, some left open past due, one at the province), March is closed by
the worker, and then any range, group and slice read from the figures must equal the
definitions applied to each dossier directly (``figures.contribution`` of its facts, day by day).
"""

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.dossiers.models import Dossier
from haicap.kpi import figures
from haicap.kpi.indicators import Totals
from haicap.kpi.selectors import FLOW_COUNTERS as FLOWS
from haicap.kpi.selectors import (
    Slice,
    backlog_ageing,
    indicators,
    indicators_by,
    visible_agencies_filter,
)
from haicap.kpi.services import close_months, facts_of
from haicap.kpi.views import dashboard_groups
from tests.dossiers.test_scenarios import act, at, receive, through_to_processing
from tests.kpi.conftest import decided

pytestmark = pytest.mark.django_db
NOW = at(5, 20, 15)  # the moment every read is made


def province(user) -> None:
    """The dossiers, made once (Hypothesis's examples share the database)."""
    if Dossier.objects.exists():
        return
    decided(user, at(1, 12, 9), at(1, 12, 15))  # early
    decided(user, at(2, 26, 9), at(3, 2, 16))  # late, across the month's end
    decided(user, at(3, 30, 9), at(3, 31, 8, 30), channel="online")  # on time
    for when in (at(1, 20, 9), at(3, 2, 9), at(4, 29, 9)):  # left open: overdue in time
        receive(user, when, "X.HT.001")
    receive(user, at(5, 19, 9), "X.HT.007", channel="online")  # open, not yet due
    refused = receive(user, at(2, 3, 9), "X.HT.007")
    through_to_processing(user, refused)
    act(user, "lanhdao.doluong", at(2, 3, 10), refused.dossier.code, "refuse", note="Thiếu")
    withdrawn = receive(user, at(4, 6, 9), "X.HT.007")
    act(user, "tiepnhan.doluong", at(4, 7, 9), withdrawn.dossier.code, "withdraw", note="Rút")
    paused = receive(user, at(5, 4, 9), "X.XD.001")
    through_to_processing(user, paused)
    act(
        user,
        "chuyenvien.doluong",
        at(5, 5, 10),
        paused.dossier.code,
        "request_supplement",
        note="Thiếu",
    )
    provincial = Procedure.objects.filter(tier="province", is_active=True).order_by("pk").first()
    receive(user, at(4, 14, 9), provincial.national_code)  # at the commune's desk, for a department
    with clock.fixed_at(at(4, 2, 3)):
        close_months()  # January, February and March
    receive(  # entered in May, filed on paper in March: moves March's balance
        user, at(4, 3, 9), "X.HT.001", received_at=at(3, 27, 9), backdate_reason="Nhập bù"
    )


def expected(user, start: dt.date, end: dt.date, group: str | None, where: Slice) -> dict:
    """The indicators by their definitions, dossier by dossier."""
    today = NOW.astimezone(VIETNAM).date()
    dossiers = Dossier.objects.filter(
        visible_agencies_filter(user, "competent_agency") & dossier_slice(where)
    ).select_related("procedure", "competent_agency")
    found: dict[object, Counter] = {}
    for dossier in dossiers:
        for key, counts in figures.contribution(facts_of(dossier)).items():
            if key.granularity != "day":
                continue
            row = found.setdefault(_key(dossier, key.period, group), Counter())
            if start <= key.period <= end:
                row.update({name: counts[name] for name in FLOWS})
            if group == "month":
                continue
            if key.period < start:
                row["carried_over"] += counts["received"] - counts["closed"]
            if key.period <= end and end < today:
                row["overdue_at_end"] += counts["overdue_from"] - counts["overdue_until"]
        if group != "month" and end >= today and dossier.finished_at is None:
            row = found.setdefault(_key(dossier, None, group), Counter())
            if dossier.paused_at is not None:
                row["paused_now"] += 1
            elif dossier.due_at < NOW:
                row["overdue_at_end"] += 1
    totals = {key: Totals(**row) for key, row in found.items() if any(row.values())}
    if group is None:
        totals.setdefault(None, Totals())
    return totals


def dossier_slice(where: Slice) -> Q:
    """The slice over the dossiers themselves, written apart from the code under test."""
    lookups = {
        "competent_agency__unit__code": where.unit_code,
        "competent_agency__code": where.agency_code,
        "procedure__field__code": where.field_code,
        "procedure__national_code": where.procedure_code,
        "channel": where.channel,
    }
    return Q(**{k: v for k, v in lookups.items() if v})


def _key(dossier: Dossier, day: dt.date | None, group: str | None) -> object:
    if group is None:
        return None
    if group == "month":
        return day.replace(day=1)
    parts = {
        "unit": dossier.competent_agency.unit_id,
        "agency": dossier.competent_agency_id,
        "field": dossier.procedure.field_id,
        "channel": dossier.channel,
        "procedure": dossier.procedure_id,
    }
    key = tuple(parts[name] for name in group.split(","))
    return key[0] if len(key) == 1 else key


days = st.dates(min_value=dt.date(2025, 12, 1), max_value=dt.date(2026, 7, 31))
slices = st.sampled_from(
    [
        Slice(),
        Slice(channel="online"),
        Slice(field_code="HOTICH"),
        Slice(unit_code="17662"),
        Slice(procedure_code="X.HT.007"),
    ]
)
groups = st.sampled_from(
    [None, "unit", "agency", "field", "month", "channel", "procedure", "unit,field"]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(days, min_size=2, max_size=2).map(sorted),
    groups,
    slices,
    st.sampled_from(["giamsat", "lanhdao.doluong", "tiepnhan.vanhien"]),
)
def test_any_slice_read_from_the_figures_equals_its_dossiers_counted_one_by_one(
    user, bounds, group, where, username
):
    province(user)
    start, end = bounds
    reader = user(username)
    with clock.fixed_at(NOW):
        assert indicators(reader, start, end, group, where) == expected(
            reader, start, end, group, where
        )


def test_the_province_is_varied_enough_to_test_anything(user):
    province(user)
    with clock.fixed_at(NOW):
        year = indicators(user("giamsat"), dt.date(2026, 1, 1), dt.date(2026, 12, 31))[None]
        march = indicators(user("giamsat"), dt.date(2026, 3, 1), dt.date(2026, 3, 31))[None]
    assert (year.early, year.on_time, year.late, year.refused, year.withdrawn) == (2, 1, 1, 1, 1)
    assert (year.paused_now, year.received_online, year.received_full_online > 0) == (1, 2, True)
    assert march.carried_over == 2 and march.overdue_at_end == 3


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(days, min_size=2, max_size=2).map(sorted),
    st.lists(groups.filter(lambda g: g != "month"), min_size=1, max_size=4, unique=True),
    slices,
    st.sampled_from(["giamsat", "lanhdao.doluong"]),
)
def test_several_groups_read_in_one_pass_each_equal_their_dossiers_counted_one_by_one(
    user, bounds, several, where, username
):
    province(user)
    start, end = bounds
    reader = user(username)
    with clock.fixed_at(NOW):
        read = indicators_by(reader, start, end, several, where)
        assert read == {g: expected(reader, start, end, g, where) for g in several}


def test_a_series_by_month_is_not_read_with_other_groups(user):
    with pytest.raises(ValueError):
        indicators_by(user("giamsat"), dt.date(2026, 1, 1), dt.date(2026, 3, 31), [None, "month"])


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.datetimes(
        min_value=NOW.replace(tzinfo=None),
        max_value=NOW.replace(tzinfo=None) + dt.timedelta(days=60),
    ),
    slices,
    st.sampled_from(["giamsat", "lanhdao.doluong", "tiepnhan.vanhien"]),
)
def test_the_backlog_by_age_sorts_each_open_dossier_it_may_see_once(user, moment, where, username):
    province(user)
    reader = user(username)
    now = moment.replace(tzinfo=VIETNAM)
    expected_buckets = [0, 0, 0, 0]
    open_dossiers = Dossier.objects.filter(
        visible_agencies_filter(reader, "competent_agency") & dossier_slice(where),
        finished_at__isnull=True,
    )
    for dossier in open_dossiers:
        late_days = (now - dossier.due_at) / dt.timedelta(days=1)
        if dossier.paused_at is not None or late_days <= 0:
            expected_buckets[0] += 1
        else:
            expected_buckets[1 if late_days <= 7 else 2 if late_days <= 30 else 3] += 1
    with clock.fixed_at(now):
        assert backlog_ageing(reader, where) == expected_buckets


@pytest.mark.parametrize(
    "start,end,queries",
    [
        # the scope, the balance state, the month's flows, its opening balance
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31), 4),
        # then the dossiers paused and past due now (the range reaches today)
        (dt.date(2026, 5, 1), dt.date(2026, 5, 20), 6),
    ],
)
def test_the_dashboards_tables_cost_a_fixed_number_of_queries(
    user, django_assert_num_queries, start, end, queries
):
    province(user)
    groups = dashboard_groups(province_wide=True)
    reader = user("giamsat")
    reader.forget_scope()
    with clock.fixed_at(NOW), django_assert_num_queries(queries):
        read = indicators_by(reader, start, end, groups, Slice())
    assert read == {g: expected(reader, start, end, g, Slice()) for g in groups}
