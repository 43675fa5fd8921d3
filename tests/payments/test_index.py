"""The online-payment group (TTTT) of the Decision 766 index, worked out by hand.

March 2026 in xã Đô Lương: two online filings of X.HT.006 (fee 8 000 đồng) accepted as dossiers,
one paid through the gateway simulator; one X.HT.006 received at the desk (owes the fee, not paid
online); one X.HT.001 at the desk (free: owes nothing). Dossiers owing a fee: 3; paid online: 1.
Ratio 1 / 3 = 0.3333 × 10 points = 3.333 → 3.33.
"""

import datetime as dt
from decimal import Decimal

import pytest

from haicap.core import clock
from haicap.kpi.index import scores
from haicap.payments import services
from haicap.payments.index import paid_online
from haicap.units.models import AdministrativeUnit
from natsim.payments import Faults
from tests.dossiers.test_scenarios import at, receive
from tests.payments.test_online_fees import accept_and_forward, file_online, open_order

pytestmark = pytest.mark.django_db
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def test_paid_online_over_the_dossiers_that_owe_a_fee(user, gateway_for):
    gateway = gateway_for(Faults(lost_callback_rate=1.0))
    paid, _payment = file_online(when=at(3, 2, 8))
    accept_and_forward(user, paid)
    open_order(_payment)
    gateway.book.pay(_payment.reference, "Mai", now=at(3, 2, 8, 30))
    unpaid, _unpaid_payment = file_online(when=at(3, 2, 9))
    accept_and_forward(user, unpaid)
    with clock.fixed_at(at(3, 2, 12)):
        assert services.poll() == 1
    receive(user, at(3, 3, 9), "X.HT.006")  # at the desk: owes the fee, paid there
    receive(user, at(3, 3, 10), "X.HT.001")  # free
    do_luong = AdministrativeUnit.objects.get(code="17662").pk
    van_hien = AdministrativeUnit.objects.get(code="17677").pk
    assert paid_online((do_luong, van_hien), *MARCH) == {do_luong: (1, 3)}
    assert paid_online(None, *MARCH) == {None: (1, 3)}
    assert paid_online(None, dt.date(2026, 4, 1), dt.date(2026, 4, 30)) == {}
    with clock.fixed_at(at(4, 1, 9)):
        by_unit, _inputs = scores((do_luong, van_hien), *MARCH)
    payment = next(g for g in by_unit[do_luong].groups if g.group.code == "TTTT")
    assert payment.points == Decimal("3.33")
    assert next(g for g in by_unit[van_hien].groups if g.group.code == "TTTT").points is None
