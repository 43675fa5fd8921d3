"""The worker and petitions' deadlines: the officer in charge (or, with none, the body's
officers) warned two working days ahead; the agency's leaders told once it has passed; an
answer the sender left unchallenged for ten working days closed. Once each, however often the
worker runs and however many run at once."""

import datetime as dt
import threading

import pytest
from django.db import connections
from django.utils import timezone

from haicap.accounts.models import User
from haicap.core import clock
from haicap.core.models import AuditRecord
from haicap.feedback.deadlines import run_deadlines, run_warnings
from haicap.feedback.lifecycle import State
from haicap.feedback.models import Petition, PetitionEvent, PetitionNotification
from haicap.feedback.services import handling
from tests.feedback.desk_helpers import answered
from tests.feedback.world import CONSTRUCTION, agency, at, file, people

DUE_SOON = PetitionNotification.Kind.DUE_SOON
OVERDUE = PetitionNotification.Kind.OVERDUE
COMMUNE_OFFICERS = {"chuyenvien.doluong", "lanhdao.doluong", "tiepnhan.doluong", "quantri.doluong"}


def told(petition: Petition, kind: str) -> set[str]:
    return set(
        PetitionNotification.objects.filter(petition=petition, kind=kind).values_list(
            "recipient__username", flat=True
        )
    )


def events(petition: Petition, kind: str) -> list[PetitionEvent]:
    return list(petition.events.filter(kind=kind))


def run(when):
    with clock.fixed_at(when):
        return run_deadlines(when)


# --- warnings -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_commune_is_warned_two_working_days_ahead_once():
    petition = file().petition  # received Monday 2 March 09:00, due Monday 16 March 09:00
    assert run(at(3, 11, 9)).warned == 0  # three working days left
    assert told(petition, DUE_SOON) == set()
    assert run(at(3, 12, 9)).warned == 1  # Thursday: two left
    # nobody in charge yet: the commune's officers, not a supervisor
    assert told(petition, DUE_SOON) == COMMUNE_OFFICERS
    assert run(at(3, 12, 10)).warned == 0
    assert run(at(3, 13, 9)).warned == 0
    assert len(events(petition, PetitionEvent.Kind.WARNED)) == 1
    assert PetitionNotification.objects.filter(kind=DUE_SOON).count() == len(COMMUNE_OFFICERS)
    event = events(petition, PetitionEvent.Kind.WARNED)[0]
    assert event.actor is None and event.actor_label == "worker"
    assert event.to_agency.code == "17662.01.H40"


@pytest.mark.django_db
def test_near_midnight_the_warning_comes_on_the_day_in_vietnam_not_in_utc():
    # Monday 23:30 in Vietnam is still Monday in UTC; Tuesday 00:30 is Monday 17:30 UTC. Both
    # were filed outside working hours: counted from Tuesday, due Monday 16 March at closing.
    late = file(at(3, 2, 23, 30)).petition
    past_midnight = file(at(3, 3, 0, 30)).petition
    for petition in (late, past_midnight):
        due = timezone.localtime(petition.legal_due_at)
        assert (due.date(), due.tzname()) == (dt.date(2026, 3, 16), "+07")
    # Thursday 00:01 in Vietnam (Wednesday 17:01 UTC): Thursday, Friday and Monday are left.
    assert run(at(3, 12, 0, 1)).warned == 0
    # Thursday 23:59 in Vietnam (16:59 UTC, before closing time if read as Vietnam's): two left.
    assert run(at(3, 12, 23, 59)).warned == 2
    assert told(late, DUE_SOON) == told(past_midnight, DUE_SOON) == COMMUNE_OFFICERS
    warned_at = timezone.localtime(events(late, PetitionEvent.Kind.WARNED)[0].at)
    assert warned_at.date() == dt.date(2026, 3, 12)


@pytest.mark.django_db
def test_the_officer_in_charge_alone_is_warned():
    p = people()
    petition = file().petition
    with clock.fixed_at(at(3, 3, 9)):
        handling.assign(p.do_luong_leader, petition.code, p.do_luong)
    run(at(3, 12, 9))
    assert told(petition, DUE_SOON) == {"chuyenvien.doluong"}


@pytest.mark.django_db
def test_an_answered_petition_is_not_warned_nor_escalated():
    p = people()
    petition = file().petition
    answered(petition, p.do_luong)
    report = run(at(3, 13, 9))
    assert (report.warned, report.escalated) == (0, 0)
    run(at(3, 16, 10))
    assert told(petition, DUE_SOON) == told(petition, OVERDUE) == set()


# --- escalation ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_past_its_deadline_the_communes_leader_is_told_once():
    p = people()
    petition = file().petition
    with clock.fixed_at(at(3, 3, 9)):
        handling.assign(p.do_luong_leader, petition.code, p.do_luong)
    assert run(at(3, 16, 8, 59)).escalated == 0
    assert run(at(3, 16, 9, 1)).escalated == 1
    assert told(petition, OVERDUE) == {"lanhdao.doluong"}  # not its officers
    assert run(at(3, 17, 9)).escalated == 0
    assert len(events(petition, PetitionEvent.Kind.ESCALATED)) == 1
    assert PetitionNotification.objects.filter(kind=OVERDUE).count() == 1
    assert (
        AuditRecord.objects.filter(action="petition.escalated", object_id=str(petition.pk)).count()
        == 1
    )


@pytest.mark.django_db
def test_a_transferred_petition_is_escalated_to_the_departments_leaders():
    p = people()
    petition = file().petition
    with clock.fixed_at(at(3, 3, 9)):
        handling.transfer(
            p.do_luong, petition.code, agency(CONSTRUCTION), "Công trình do Sở cấp phép xây dựng."
        )
    run(at(3, 17, 9))
    assert told(petition, OVERDUE) == {p.construction_leader.username}
    assert events(petition, PetitionEvent.Kind.ESCALATED)[0].to_agency.code == CONSTRUCTION


def transfer_to_construction(petition: Petition, when) -> None:
    with clock.fixed_at(when):
        handling.transfer(
            people().do_luong,
            petition.code,
            agency(CONSTRUCTION),
            "Công trình do Sở cấp phép xây dựng.",
        )


@pytest.mark.django_db
def test_warned_at_the_commune_then_transferred_the_departments_officer_is_warned():
    p = people()
    petition = file().petition  # due Monday 16 March 09:00
    assert run(at(3, 12, 9)).warned == 1
    assert told(petition, DUE_SOON) == COMMUNE_OFFICERS
    transfer_to_construction(petition, at(3, 12, 10))
    with clock.fixed_at(at(3, 12, 11)):
        handling.assign(p.construction_leader, petition.code, p.construction)
    assert run(at(3, 12, 12)).warned == 1
    assert told(petition, DUE_SOON) == COMMUNE_OFFICERS | {"chuyenvien.soxaydung"}
    assert run(at(3, 13, 9)).warned == 0
    warned = events(petition, PetitionEvent.Kind.WARNED)
    assert [e.to_agency.code for e in warned] == ["17662.01.H40", CONSTRUCTION]


@pytest.mark.django_db
def test_escalated_at_the_commune_then_transferred_the_departments_leaders_are_told():
    p = people()
    petition = file().petition
    with clock.fixed_at(at(3, 3, 9)):
        handling.assign(p.do_luong_leader, petition.code, p.do_luong)
    assert run(at(3, 16, 9, 1)).escalated == 1
    assert told(petition, OVERDUE) == {"lanhdao.doluong"}
    transfer_to_construction(petition, at(3, 17, 9))
    assert run(at(3, 17, 10)).escalated == 1
    assert told(petition, OVERDUE) == {"lanhdao.doluong", p.construction_leader.username}
    assert run(at(3, 18, 9)).escalated == 0
    escalated = events(petition, PetitionEvent.Kind.ESCALATED)
    assert [e.to_agency.code for e in escalated] == ["17662.01.H40", CONSTRUCTION]
    assert PetitionNotification.objects.filter(kind=OVERDUE).count() == 2


@pytest.mark.django_db
def test_a_commune_without_a_leaders_account_tells_its_officers():
    petition = file().petition
    User.objects.filter(username="lanhdao.doluong").update(is_active=False)
    run(at(3, 17, 9))
    assert told(petition, OVERDUE) == COMMUNE_OFFICERS - {"lanhdao.doluong"}


# --- closing the unchallenged -------------------------------------------------------------------


@pytest.mark.django_db
def test_an_answer_left_unchallenged_for_ten_working_days_closes_the_petition():
    p = people()
    petition = file().petition
    answered(petition, p.do_luong, at(3, 3, 9))  # ten working days: Tuesday 17 March 09:00
    assert run(at(3, 17, 8, 59)).closed == 0
    assert Petition.objects.get(pk=petition.pk).state == State.ANSWERED
    assert run(at(3, 17, 9)).closed == 1
    closed = Petition.objects.get(pk=petition.pk)
    assert closed.state == State.CLOSED and closed.closed_at == at(3, 17, 9)
    event = events(petition, PetitionEvent.Kind.CLOSED)[0]
    assert (event.actor_label, event.note, event.state_after) == (
        "worker",
        "unchallenged",
        "closed",
    )
    assert AuditRecord.objects.filter(action="petition.closed", object_id=str(petition.pk)).exists()
    assert run(at(3, 18, 9)).closed == 0
    assert len(events(petition, PetitionEvent.Kind.CLOSED)) == 1


@pytest.mark.django_db
def test_a_reopened_or_accepted_petition_is_left_to_its_sender():
    p = people()
    reopened = file().petition
    answered(reopened, p.do_luong, at(3, 3, 9))
    with clock.fixed_at(at(3, 4, 9)):
        handling.reopen(reopened.code, "Rác vẫn còn nguyên chưa ai đến dọn.")
    accepted = file().petition
    answered(accepted, p.do_luong, at(3, 3, 10))
    with clock.fixed_at(at(3, 4, 9)):
        handling.accept(accepted.code)
    assert run(at(3, 30, 9)).closed == 0
    assert Petition.objects.get(pk=reopened.pk).state == State.IN_PROGRESS
    assert not events(accepted, PetitionEvent.Kind.CLOSED)


# --- the job ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_job_runs_under_the_workers_name():
    file(at(1, 5, 9))  # long overdue
    with clock.fixed_at(at(3, 2, 9)):
        said = run_warnings()
    assert said.startswith("0 warned of petitions due soon, 1 escalated")
    record = AuditRecord.objects.get(action="petition.escalated")
    assert record.actor is None and record.actor_label == "worker"


RUNS = 4


@pytest.mark.usefixtures("committed_demo")
def test_workers_running_at_once_warn_escalate_and_close_once():
    p = people()
    warned_one = file(at(3, 2, 9)).petition  # due 16 March
    overdue_one = file(at(2, 23, 9)).petition  # due 9 March
    answered_one = file(at(2, 23, 9)).petition
    answered(answered_one, p.do_luong, at(2, 24, 9))  # ten working days: 10 March 09:00
    now = at(3, 12, 9)
    barrier = threading.Barrier(RUNS)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            with clock.fixed_at(now):
                run_deadlines(now)
        except BaseException as error:  # counted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(events(warned_one, PetitionEvent.Kind.WARNED)) == 1
    assert len(events(overdue_one, PetitionEvent.Kind.ESCALATED)) == 1
    assert len(events(answered_one, PetitionEvent.Kind.CLOSED)) == 1
    assert told(warned_one, DUE_SOON) == COMMUNE_OFFICERS
    assert PetitionNotification.objects.filter(kind=DUE_SOON).count() == len(COMMUNE_OFFICERS)
    assert told(overdue_one, OVERDUE) == {"lanhdao.doluong"}
    assert PetitionNotification.objects.filter(kind=OVERDUE).count() == 1
