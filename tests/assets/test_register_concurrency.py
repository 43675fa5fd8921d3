"""Officers entering assets at the same moment each get an identifier of their own, and a
request sent twice at once with one Idempotency-Key enters one asset (both databases)."""

import threading
from collections.abc import Callable

import pytest
from django.db import connections

from haicap.assets.models import Asset
from haicap.assets.services import register
from haicap.core.context import acting_as
from tests.assets import register_world as w

AT_ONCE = 4


def all_at_once(work: Callable[[int], object]) -> tuple[list[object], list[BaseException]]:
    barrier = threading.Barrier(AT_ONCE)
    done: list[object] = []
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            with acting_as("test"):
                done.append(work(index))
        except BaseException as error:  # any failure fails the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done, errors


@pytest.mark.usefixtures("committed_demo")
def test_assets_entered_at_once_get_identifiers_of_their_own():
    world = w.make()
    holder = w.agency(w.BACH_HA_PPC)

    def enter(index: int) -> str:
        new = register.NewAsset(w.details(world.kinds["MAYTINH"], f"Máy {index}"), holder)
        return register.register_asset(world.people.finance, new).identifier

    identifiers, errors = all_at_once(enter)
    assert errors == []
    assert sorted(identifiers) == [f"TS.40.00000{n}" for n in range(5, 5 + AT_ONCE)]


@pytest.mark.usefixtures("committed_demo")
def test_one_request_sent_at_once_enters_one_asset():
    world = w.make()
    new = register.NewAsset(
        w.details(world.kinds["MAYTINH"], "Máy gửi hai lần"), w.agency(w.BACH_HA_PPC)
    )

    def enter(index: int) -> int:
        return register.register_asset(world.people.finance, new, idempotency_key="once").pk

    made, errors = all_at_once(enter)
    assert errors == []
    assert len(set(made)) == 1
    assert Asset.objects.filter(name="Máy gửi hai lần").count() == 1
