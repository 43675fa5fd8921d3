"""Finance's officers running the allocation at the same moment propose each surplus item
once; the same request sent again at the same moment gets the same proposals."""

import threading

import pytest
from django.db import connections

from haicap.assets.models import AllocationProposal
from haicap.assets.services import allocation
from tests.assets.gap_world import build_world

RUNS = 4


def all_at_once(run) -> tuple[list, list[BaseException]]:
    barrier = threading.Barrier(RUNS)
    answers: list = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            answers.append(run())
        except BaseException as error:  # any failure fails the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, errors


@pytest.mark.usefixtures("committed_demo")
def test_runs_at_once_propose_each_item_once():
    world = build_world()
    answers, errors = all_at_once(lambda: allocation.propose(world.specialist, 120))
    assert errors == []
    made = AllocationProposal.objects.order_by("asset_id")
    assert [p.asset_id for p in made] == sorted([world.s1.pk, world.s2.pk, world.p1.pk])
    assert sorted(len(a) for a in answers) == [0, 0, 0, 3]


@pytest.mark.usefixtures("committed_demo")
def test_one_request_sent_again_at_once_gets_the_same_proposals():
    world = build_world()
    answers, errors = all_at_once(
        lambda: [p.pk for p in allocation.propose(world.specialist, 120, idempotency_key="same")]
    )
    assert errors == []
    assert AllocationProposal.objects.count() == 3
    assert len({tuple(a) for a in answers}) == 1 and len(answers[0]) == 3
