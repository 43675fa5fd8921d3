"""Several officers acting on one dossier at the same moment: no lost update, no double step."""

import threading

import pytest
from django.db import connections

from haicap.accounts.models import User
from haicap.catalog.models import Procedure
from haicap.core.errors import DomainError
from haicap.dossiers import services
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.models import Dossier
from haicap.units.models import Agency

THREADS = 6


def run_at_once(work) -> tuple[list[object], list[BaseException]]:
    results: list[object] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def worker(number: int) -> None:
        try:
            barrier.wait()
            results.append(work(number))
        except DomainError as error:
            errors.append(error)
        except BaseException as error:  # anything else fails the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.usefixtures("committed_demo")
def test_officers_acting_at_once_keep_one_consistent_history():
    desk = User.objects.get(username="tiepnhan.doluong")
    leader = User.objects.get(username="lanhdao.doluong")
    specialist = User.objects.get(username="chuyenvien.doluong")
    received = services.receive(
        desk,
        procedure=Procedure.objects.get(national_code="X.XD.001"),
        receiving_agency=Agency.objects.get(code="17662.05.H40"),
        applicant=Applicant(name="Trần Văn Nam", id_number="040190012345"),
    )
    code = received.dossier.code

    # Six desk officers press "forward" at once: it happens once, the others are refused.
    results, errors = run_at_once(lambda n: services.act(desk, code, "forward"))
    assert len(results) == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(e, DomainError) for e in errors), errors

    # Six assignments at once: each is applied in turn, none is lost.
    results, errors = run_at_once(
        lambda n: services.act(leader, code, "assign", assignee=specialist)
    )
    assert errors == []
    dossier = Dossier.objects.get(code=code)
    events = list(dossier.events.order_by("seq").values_list("seq", "action"))
    assert [seq for seq, _ in events] == list(range(1, 2 + 1 + THREADS))
    assert [action for _, action in events] == ["receive", "forward"] + ["assign"] * THREADS
    assert dossier.version == 2 + THREADS
    assert dossier.step == "processing"
