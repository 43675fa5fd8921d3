"""The worker's deadline sweep: warnings, overdue marking and escalation, apology drafts."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from haicap.accounts.models import User
from haicap.catalog.models import Procedure
from haicap.core import clock, sealing
from haicap.dossiers import services
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.deadlines import sweep
from haicap.dossiers.models import ApologyDraft, Dossier, IntakeRequest, Notification
from haicap.dossiers.services import PIN_KEPT_FOR, PIN_PURPOSE
from haicap.units.models import Agency
from tests.dossiers.test_scenarios import CITIZEN, act, at, receive

ROOT = Path(__file__).resolve().parents[2]


def kinds(dossier: Dossier) -> list[tuple[str, str]]:
    return sorted(dossier.notifications.values_list("recipient__username", "kind"))


@pytest.mark.django_db
def test_a_dossier_due_tomorrow_warns_its_handlers_once(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")  # due Thursday 5/3 09:00
    assert sweep(at(3, 3, 9)).warned == 0  # two working days left
    report = sweep(at(3, 4, 9, 30))
    assert report.warned == 1
    dossier = Dossier.objects.get(pk=received.dossier.pk)
    assert ("chuyenvien.doluong", "approaching_due") in kinds(dossier)
    assert sweep(at(3, 4, 10)).warned == 0
    assert dossier.events.filter(action="warned_due_soon").count() == 1


@pytest.mark.django_db
def test_an_assigned_dossier_warns_only_its_assignee(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    code = received.dossier.code
    act(user, "tiepnhan.doluong", at(3, 2, 9, 5), code, "forward")
    act(
        user,
        "lanhdao.doluong",
        at(3, 2, 9, 10),
        code,
        "assign",
        assignee=user("chuyenvien.doluong"),
    )
    sweep(at(3, 4, 9, 30))
    warned = Notification.objects.filter(dossier__code=code, kind="approaching_due")
    assert list(warned.values_list("recipient__username", flat=True)) == ["chuyenvien.doluong"]


@pytest.mark.django_db
def test_an_overdue_dossier_is_marked_once_and_escalated_to_the_leaders(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    assert sweep(at(3, 5, 9)).marked_overdue == 0  # due at exactly this moment: not yet late
    assert sweep(at(3, 5, 9, 1)).marked_overdue == 1
    assert sweep(at(3, 5, 10)).marked_overdue == 0
    dossier = Dossier.objects.get(pk=received.dossier.pk)
    assert dossier.overdue_since == at(3, 5, 9, 1)
    assert ("lanhdao.doluong", "escalated") in kinds(dossier)
    assert [e.actor_label for e in dossier.events.filter(action="marked_overdue")] == ["worker"]


@pytest.mark.django_db
def test_a_paused_dossier_is_neither_warned_nor_overdue(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    code = received.dossier.code
    act(user, "tiepnhan.doluong", at(3, 2, 9, 5), code, "forward")
    act(user, "chuyenvien.doluong", at(3, 2, 10), code, "request_supplement", note="Thiếu giấy tờ")
    report = sweep(at(3, 20, 9))
    assert (report.warned, report.marked_overdue) == (0, 0)


@pytest.mark.django_db
def test_an_apology_is_drafted_two_working_days_ahead_unless_one_was_given(user):
    drafted = receive(user, at(3, 2, 9), "X.XD.001")  # 15 working days: due 23/3 09:00
    given = receive(user, at(3, 2, 9), "X.XD.001")
    act(user, "tiepnhan.doluong", at(3, 2, 9, 5), given.dossier.code, "forward")
    act(
        user,
        "lanhdao.doluong",
        at(3, 10, 9),
        given.dossier.code,
        "new_appointment",
        note="Cần xác minh",
        new_due_at=at(3, 30, 9),
    )
    assert sweep(at(3, 18, 9)).apologies_drafted == 0  # three working days left
    assert sweep(at(3, 19, 9)).apologies_drafted == 1
    draft = ApologyDraft.objects.get()
    assert draft.dossier.code == drafted.dossier.code
    assert draft.proposed_appointment_at == at(3, 25, 9)
    assert ("lanhdao.doluong", "apology_drafted") in kinds(draft.dossier)
    assert sweep(at(3, 19, 10)).apologies_drafted == 0


@pytest.mark.django_db
def test_an_apology_is_still_drafted_until_the_close_of_the_day_before_the_due_day(user):
    # Due Monday 23/3 09:00: form 04 may go out until Friday 20/3 17:30 (convention 7), so a
    # draft is still made at 17:30 that Friday (3 working hours left), and not a minute later.
    first = receive(user, at(3, 2, 9), "X.XD.001")
    assert sweep(at(3, 20, 17, 30)).apologies_drafted == 1
    assert ApologyDraft.objects.get().dossier.code == first.dossier.code
    receive(user, at(3, 2, 9), "X.XD.001")  # due at the same moment
    assert sweep(at(3, 20, 17, 31)).apologies_drafted == 0
    assert ApologyDraft.objects.count() == 1


@pytest.mark.usefixtures("committed_demo")
def test_the_worker_command_catches_up_and_a_restart_does_nothing_twice():
    desk = User.objects.get(username="tiepnhan.doluong")
    now = clock.now()
    received = services.receive(
        desk,
        procedure=Procedure.objects.get(national_code="X.HT.001"),
        receiving_agency=Agency.objects.get(code="17662.05.H40"),
        applicant=Applicant(**{**CITIZEN.__dict__}),
        received_at=now - dt.timedelta(days=10),
        backdate_reason="nhập bù sau sự cố mất điện",
    )
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{settings['NAME']}"
    else:
        url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "haicap.settings"}
    outputs = [
        subprocess.run(
            [sys.executable, "manage.py", "worker", "--once"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        for _ in range(2)
    ]
    assert "1 marked overdue" in outputs[0]
    assert "0 warned, 0 marked overdue, 0 apology letters drafted" in outputs[1]
    dossier = Dossier.objects.get(pk=received.dossier.pk)
    assert dossier.overdue_since is not None
    assert dossier.events.filter(action="marked_overdue").count() == 1


@pytest.mark.django_db
def test_a_one_day_procedure_gets_no_apology_draft_it_could_never_send(user):
    receive(user, at(3, 2, 9), "X.HT.001")  # 1 working day: never two days ahead
    for moment in (at(3, 2, 9, 30), at(3, 2, 16), at(3, 3, 9)):
        assert sweep(moment).apologies_drafted == 0
    assert not ApologyDraft.objects.exists()


@pytest.mark.django_db
def test_a_new_due_moment_after_a_pause_gets_fresh_warnings(user):
    received = receive(user, at(3, 2, 9), "X.XD.001")
    code = received.dossier.code
    act(user, "tiepnhan.doluong", at(3, 2, 9, 5), code, "forward")
    act(user, "chuyenvien.doluong", at(3, 4, 9), code, "request_supplement", note="Thiếu giấy")
    sweep(at(3, 4, 10))
    act(user, "tiepnhan.doluong", at(3, 19, 9), code, "supplement_received")
    dossier = Dossier.objects.get(code=code)
    assert (dossier.warned_at, dossier.overdue_since) == (None, None)
    assert not ApologyDraft.objects.filter(dossier=dossier).exists()


@pytest.mark.django_db
def test_the_pin_kept_for_retries_is_sealed_and_erased_after_a_day(user):
    received = receive(user, at(3, 2, 9), "X.HT.007", idempotency_key="k-9")
    kept = IntakeRequest.objects.get(key="k-9").pin_sealed
    assert received.pin and received.pin not in kept  # never in plain text at rest
    with clock.fixed_at(at(3, 3, 8, 59)):
        assert sealing.unseal(PIN_PURPOSE, kept, PIN_KEPT_FOR) == received.pin
    with clock.fixed_at(at(3, 3, 9, 1)):  # a day later it no longer opens, swept or not
        assert sealing.unseal(PIN_PURPOSE, kept, PIN_KEPT_FOR) is None
    IntakeRequest.objects.filter(key="k-9").update(created_at=clock.now() - dt.timedelta(hours=25))
    sweep()
    assert IntakeRequest.objects.get(key="k-9").pin_sealed == ""


@pytest.mark.django_db
def test_the_worker_schedules_each_job_once_and_each_names_a_function_that_exists():
    from importlib import import_module

    from django_q.models import Schedule

    from haicap.operations.management.commands.worker import schedule_jobs

    schedule_jobs()
    schedule_jobs()  # a restart updates the jobs, it does not add them again
    jobs = {s.name: (s.func, s.schedule_type) for s in Schedule.objects.all()}
    assert jobs == {
        "audit anchor": ("haicap.core.audit.run_anchor", Schedule.MINUTES),
        "worker heartbeat": ("haicap.operations.services.record_heartbeat", Schedule.MINUTES),
        "deadline sweep": ("haicap.dossiers.deadlines.run_sweep", Schedule.MINUTES),
        "outbox delivery": ("haicap.exchange.delivery.run_scheduled", Schedule.MINUTES),
        "daily reconciliation": ("haicap.exchange.services.reconcile_yesterday", Schedule.DAILY),
        "month-end figures": ("haicap.kpi.services.close_months", Schedule.DAILY),
        "directive warnings": ("haicap.oversight.deadlines.run_warnings", Schedule.DAILY),
        "online payments": ("haicap.payments.services.run_scheduled", Schedule.MINUTES),
        "payment reconciliation": ("haicap.payments.services.reconcile_yesterday", Schedule.DAILY),
        "secondments in effect": ("haicap.staffing.effect.run_scheduled", Schedule.DAILY),
        "petition deadlines": ("haicap.feedback.deadlines.run_warnings", Schedule.DAILY),
        "report reminders": ("haicap.reports.reminders.run_scheduled", Schedule.DAILY),
    }
    for func, _kind in jobs.values():
        module, name = func.rsplit(".", 1)
        assert callable(getattr(import_module(module), name))
