"""A month of dossiers worked out by hand, shared by the indicator tests."""

import datetime as dt

import pytest

from haicap.dossiers.models import Dossier
from tests.dossiers.test_scenarios import act, at, receive


def decided(user, received_at: dt.datetime, approved_at: dt.datetime, **kw) -> Dossier:
    # marriage registration: 1 working day counted in hours (a birth is a same-day procedure)
    code = receive(user, received_at, "X.HT.003", **kw).dossier.code
    act(user, "tiepnhan.doluong", received_at, code, "forward")
    act(user, "chuyenvien.doluong", received_at, code, "submit")
    act(user, "lanhdao.doluong", approved_at, code, "approve")
    return Dossier.objects.get(code=code)


@pytest.fixture
def march(user):
    monday = at(3, 2, 9)  # due Tuesday 3 March 09:00
    early = decided(user, monday, at(3, 2, 11))
    on_time = decided(user, monday, at(3, 3, 8, 30))
    late = decided(user, monday, at(3, 4, 10))
    assert [early.timeliness, on_time.timeliness, late.timeliness] == ["early", "on_time", "late"]
    receive(user, at(2, 27, 9), "X.HT.003")  # open since February, overdue from 2 March
    receive(user, at(3, 30, 9), "X.HT.007", channel="online")  # open, due in April
