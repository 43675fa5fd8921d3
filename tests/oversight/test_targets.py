"""The figures a target is bound to come from ``kpi``'s registered measures, read live and the
same whoever looks."""

import datetime as dt
from decimal import Decimal

import pytest

from haicap.core import clock
from haicap.core.errors import Conflict
from haicap.core.measures import measures
from haicap.core.task_status import Outcome
from haicap.oversight import selectors, services
from tests.dossiers.test_scenarios import receive
from tests.oversight.conftest import VAN_HIEN, at, commune

pytestmark = pytest.mark.django_db
VAN_HIEN_DESK = f"{VAN_HIEN}.05.H40"


def at_van_hien(user, when, channel="desk"):
    receive(
        user, when, "X.HT.007", desk=VAN_HIEN_DESK, username="tiepnhan.vanhien", channel=channel
    )


def test_kpi_registers_the_measures_targets_use():
    keys = {m.key for m in measures.all()}
    assert {
        "kpi.online_intake_rate",
        "kpi.on_time_rate",
        "kpi.open_backlog",
        "kpi.overdue_open",
    } <= keys


def test_a_measure_reads_the_commune_or_the_province_in_the_period(user):
    at_van_hien(user, at(4, 6), channel="online")
    at_van_hien(user, at(4, 7))
    receive(user, at(4, 8), "X.HT.007")  # at Đô Lương, in person
    online = measures.get("kpi.online_intake_rate")
    backlog = measures.get("kpi.open_backlog")
    quarter = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    with clock.fixed_at(at(5, 4)):
        assert online.value(commune(VAN_HIEN).pk, None, *quarter) == Decimal("50.00")
        assert online.value(None, None, *quarter) == Decimal("33.33")
        assert online.value(commune(VAN_HIEN).pk, "DATDAI", *quarter) is None  # none received
        assert backlog.value(commune(VAN_HIEN).pk, "HOTICH", *quarter) == 2
        assert online.value(commune(VAN_HIEN).pk, None, dt.date(2026, 7, 1), quarter[1]) is None


def test_the_target_is_read_live_and_closes_achieved_once_met(people, visit, user):
    at_van_hien(user, at(4, 6))
    with clock.fixed_at(at(4, 10)):
        reading = selectors.read_target(visit.online.target)
        assert (reading.value, reading.met) == (Decimal("0.00"), False)
        with pytest.raises(Conflict, match="target"):
            services.close_directive(
                people.secretary, visit.online, outcome=Outcome.ACHIEVED, result="Xong"
            )
    at_van_hien(user, at(4, 13), channel="online")
    with clock.fixed_at(at(4, 14)):
        reading = selectors.read_target(visit.online.target)
        assert (reading.value, reading.met) == (Decimal("50.00"), True)
        closed = services.close_directive(
            people.secretary, visit.online, outcome=Outcome.ACHIEVED, result="Đạt 50 %"
        )
    assert closed.close_outcome == Outcome.ACHIEVED
