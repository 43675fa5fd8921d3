"""The indicators of a month worked out by hand from domain.md's definitions."""

import datetime as dt
from decimal import Decimal

import pytest

from haicap.core import clock
from haicap.dossiers.models import Dossier
from haicap.kpi.indicators import Totals, rank, ratio
from haicap.kpi.selectors import Slice, backlog_ageing, indicators
from tests.dossiers.test_scenarios import at, receive

pytestmark = pytest.mark.django_db
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def test_a_month_in_figures(user, march):
    (month,) = indicators(user("giamsat"), *MARCH).values()
    assert (month.received, month.carried_over) == (4, 1)
    assert (month.resolved, month.early, month.on_time, month.late) == (3, 1, 1, 1)
    assert month.on_time_rate == Decimal("0.6667")
    assert month.online_rate == Decimal("0.25")
    assert (month.in_progress_at_end, month.overdue_at_end, month.in_progress_not_due) == (2, 1, 1)
    early = Dossier.objects.get(timeliness="early")
    assert month.worked_days >= early.worked_days > 0


def test_the_same_figures_day_by_day_add_up_to_the_month(user, march):
    supervisor = user("giamsat")
    (month,) = indicators(supervisor, *MARCH).values()
    first_half = indicators(supervisor, dt.date(2026, 3, 1), dt.date(2026, 3, 3))[None]
    rest = indicators(supervisor, dt.date(2026, 3, 4), dt.date(2026, 3, 31))[None]
    assert first_half.received + rest.received == month.received
    assert first_half.resolved + rest.resolved == month.resolved
    assert (
        rest.carried_over == first_half.in_progress_at_end
    )  # one period's end is the next's start


def test_grouped_by_channel_and_scoped_to_the_reader(user, march):
    by_channel = indicators(user("lanhdao.doluong"), *MARCH, group="channel")
    assert by_channel["online"].received == 1 and by_channel["desk"].received == 3
    assert indicators(user("tiepnhan.vanhien"), *MARCH) == {None: Totals()}  # not its commune
    only_online = indicators(user("giamsat"), *MARCH, where=Slice(channel="online"))[None]
    assert only_online.received == 1 and only_online.resolved == 0


def test_rates_over_nothing_are_not_zero_and_ties_share_a_rank():
    assert ratio(0, 0) is None and Totals().on_time_rate is None and Totals().points is None
    ranked = rank([("a", Decimal(30)), ("b", Decimal(20)), ("c", Decimal(30)), ("d", None)])
    assert [(key, place) for key, _, place in ranked] == [("a", 1), ("c", 1), ("b", 3), ("d", 0)]
    assert Totals(resolved=4, early=2, on_time=1, received=2, received_online=1).points == Decimal(
        "21.00"
    )  # 0.75 × 20 + 0.5 × 12


def test_a_dossier_filed_today_is_not_overdue_in_this_months_figures(user):
    receive(user, at(3, 30, 10), "X.HT.001")  # due Tuesday 31 March at 10:00
    with clock.fixed_at(at(3, 30, 16)):
        (month,) = indicators(user("giamsat"), *MARCH).values()
    assert (month.in_progress_at_end, month.overdue_at_end) == (1, 0)
    with clock.fixed_at(at(3, 31, 11)):  # an hour past its due moment
        (month,) = indicators(user("giamsat"), *MARCH).values()
    assert month.overdue_at_end == 1


def test_the_backlog_by_how_late(user, march):
    with clock.fixed_at(at(3, 20, 9)):  # February's is 18 days late, the online one not yet due
        assert backlog_ageing(user("giamsat")) == [1, 0, 1, 0]
    with clock.fixed_at(at(4, 5, 9)):  # 34 days late; the online one (due 2 April) 3 days late
        assert backlog_ageing(user("giamsat")) == [0, 1, 0, 1]
    assert backlog_ageing(user("tiepnhan.vanhien")) == [0, 0, 0, 0]
