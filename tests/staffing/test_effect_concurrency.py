"""Several workers reconciling at the same moment grant a role once and take it back once."""

import datetime as dt
import threading

import pytest
from django.db import connections

from haicap.accounts.models import Membership
from haicap.core.models import AuditRecord
from haicap.staffing.effect import apply_secondments
from haicap.staffing.models import SecondmentGrant
from tests.staffing.effect_world import BACH_HA_ECONOMY, END, START, make_world

WORKERS = 4


def all_at_once(on: dt.date) -> list[BaseException]:
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            apply_secondments(on)
        except BaseException as error:  # any failure fails the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.usefixtures("committed_demo")
def test_workers_at_once_grant_once_and_take_back_once():
    world = make_world()
    assert all_at_once(START) == []
    assert SecondmentGrant.objects.count() == 1
    assert Membership.objects.filter(user=world.account, agency__code=BACH_HA_ECONOMY).count() == 1
    assert AuditRecord.objects.filter(action="secondment.role_granted").count() == 1
    host = Membership.objects.get(user=world.account, agency__code=BACH_HA_ECONOMY).agency_id
    granted = AuditRecord.objects.filter(
        action="membership.granted", after__user_id=world.account.pk, after__agency_id=host
    )
    assert granted.count() == 1
    assert all_at_once(END + dt.timedelta(days=1)) == []
    assert not Membership.objects.filter(user=world.account, agency__code=BACH_HA_ECONOMY).exists()
    assert AuditRecord.objects.filter(action="secondment.role_taken_back").count() == 1
    assert SecondmentGrant.objects.get().revoked_on == END + dt.timedelta(days=1)
