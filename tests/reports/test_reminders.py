"""The worker reminds the communes of their reports: three days before the due day, and once it
has passed, each commune with nothing submitted; once each, however often the worker runs and
however many run at once. (The tests' template: November due 5 December, late after the 7th;
filed by Đô Lương, Văn Hiến and Bạch Hà.)"""

import threading

import pytest
from django.db import connections

from haicap.core import clock
from haicap.core.models import AuditRecord
from haicap.reports.models import Report, ReportEvent, ReportNotice
from haicap.reports.reminders import run_reminders, run_scheduled
from tests.reports import province_world as pw
from tests.reports import world

# Who writes Đô Lương's reports (the demo's officers of its agencies) and who is told.
DO_LUONG_OFFICERS = {"chuyenvien.doluong", "lanhdao.doluong", "tiepnhan.doluong", "quantri.doluong"}
BEFORE_DUE, OVERDUE = ReportNotice.Kind.BEFORE_DUE, ReportNotice.Kind.OVERDUE


def publish() -> None:
    """The template in force from November 2026: no earlier period to be reminded of."""
    world.publish(in_force_from=world.NOVEMBER.start)


def run(month: int, day: int, year: int = 2026):
    when = world.at(month, day, 2, year=year)  # the worker's night run
    with clock.fixed_at(when):
        return run_reminders(when)


def told(code: str, kind: str) -> set[str]:
    return set(
        ReportNotice.objects.filter(
            report__unit__code=code, report__template_code=world.CODE, kind=kind
        ).values_list("recipient__username", flat=True)
    )


def reminded(code: str) -> list[str]:
    """The reminders recorded in the commune's November report, in order."""
    return list(
        ReportEvent.objects.filter(
            report__unit__code=code,
            report__period_start=world.NOVEMBER.start,
            kind=ReportEvent.Kind.REMINDED,
        ).values_list("note", flat=True)
    )


@pytest.mark.django_db
def test_three_days_before_the_due_day_every_silent_commune_is_reminded_once():
    world.people()
    publish()
    assert run(12, 1).before_due == 0  # four days before 5 December: too early
    assert Report.objects.filter(template_code=world.CODE).count() == 0
    counts = run(12, 2)
    assert (counts.before_due, counts.overdue) == (3, 0)
    assert told(world.DO_LUONG, BEFORE_DUE) == DO_LUONG_OFFICERS
    assert counts.notices == ReportNotice.objects.filter(kind=BEFORE_DUE).count()
    # the report is made for the reminder, not opened: its cells are read when the commune opens it
    report = Report.objects.get(template_code=world.CODE, unit__code=world.DO_LUONG)
    assert (report.state, report.opened_at, report.draft) == (Report.State.DRAFT, None, {})
    again = run(12, 2), run(12, 3), run(12, 5)
    assert [(c.before_due, c.overdue, c.notices) for c in again] == [(0, 0, 0)] * 3
    assert reminded(world.DO_LUONG) == ["before_due"]
    assert ReportNotice.objects.filter(kind=BEFORE_DUE).count() == counts.notices


@pytest.mark.django_db
def test_after_the_due_day_only_the_communes_that_have_not_submitted_are_reminded():
    world.people()
    publish()
    run(12, 2)
    pw.submit(world.DO_LUONG, pw.DO_LUONG_FIGURES, world.at(12, 4))
    counts = run(12, 6)
    assert (counts.before_due, counts.overdue) == (0, 2)
    assert told(world.DO_LUONG, OVERDUE) == set()
    assert reminded(world.DO_LUONG) == ["before_due"]
    assert reminded(world.VAN_HIEN) == ["before_due", "overdue"]
    assert reminded(world.BACH_HA) == ["before_due", "overdue"]
    assert "tiepnhan.vanhien" in told(world.VAN_HIEN, OVERDUE)
    assert run(12, 7).overdue == 0
    assert run(12, 20).overdue == 0


@pytest.mark.django_db
def test_a_commune_that_filed_before_any_reminder_gets_none():
    world.people()
    publish()
    pw.submit(world.DO_LUONG, pw.DO_LUONG_FIGURES, world.at(12, 1))
    run(12, 2)
    run(12, 6)
    assert reminded(world.DO_LUONG) == []
    assert (
        ReportNotice.objects.filter(
            report__unit__code=world.DO_LUONG, kind__in=[BEFORE_DUE, OVERDUE]
        ).count()
        == 0
    )


@pytest.mark.django_db
def test_a_first_run_after_a_long_stop_reminds_of_recent_periods_only():
    world.people()
    publish()
    # 10 January 2027: November's due day (5 December) is 36 days past, beyond the catch-up;
    # December's (5 January) has just passed
    counts = run(1, 10, year=2027)
    assert (counts.before_due, counts.overdue) == (0, 3)
    starts = set(
        Report.objects.filter(template_code=world.CODE).values_list("period_start", flat=True)
    )
    assert {s.isoformat() for s in starts} == {"2026-12-01"}


@pytest.mark.django_db
def test_the_scheduled_run_is_recorded_under_the_workers_name():
    world.people()
    publish()
    with clock.fixed_at(world.at(12, 2, 2)):
        said = run_scheduled()
    assert said.startswith("3 reports reminded before their due day, 0 past it")
    record = AuditRecord.objects.filter(action="report.reminded").latest("id")
    assert record.actor_label == "worker"
    assert record.after["kind"] == "before_due"


RUNS = 4


@pytest.mark.usefixtures("committed_demo")
def test_workers_running_at_once_remind_once():
    world.people()
    publish()
    now = world.at(12, 6, 2)
    barrier = threading.Barrier(RUNS)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            with clock.fixed_at(now):
                run_reminders(now)
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
    for code in (world.DO_LUONG, world.VAN_HIEN, world.BACH_HA):
        assert reminded(code) == ["overdue"]
        assert Report.objects.filter(template_code=world.CODE, unit__code=code).count() == 1
    assert told(world.DO_LUONG, OVERDUE) == DO_LUONG_OFFICERS
    assert ReportNotice.objects.filter(
        report__unit__code=world.DO_LUONG, kind=OVERDUE
    ).count() == len(DO_LUONG_OFFICERS)
