"""The worker warns the lead agency (a commune through its leaders), the secretariat and the
group's leader before a directive's deadline and once it has passed, once each, however often
it runs."""

import datetime as dt

import pytest

from haicap.accounts.models import Membership, User
from haicap.core import clock
from haicap.core.task_status import Outcome
from haicap.oversight import services
from haicap.oversight.deadlines import run_warnings, warn_directives
from haicap.oversight.models import DirectiveNotification
from tests.oversight.conftest import DO_LUONG, agency, at, group_spec

pytestmark = pytest.mark.django_db
DUE_SOON, OVERDUE = DirectiveNotification.Kind.DUE_SOON, DirectiveNotification.Kind.OVERDUE


def warned(directive, kind) -> set[str]:
    return set(
        DirectiveNotification.objects.filter(directive=directive, kind=kind).values_list(
            "recipient__username", flat=True
        )
    )


def test_nothing_is_said_weeks_ahead(visit):
    report = warn_directives(at(6, 1))  # the directives are due 30 June, the sub-task 15 April
    assert report.due_soon == 0
    assert warned(visit.staffing, DUE_SOON) == set()
    assert "chuyenvien.noivu" in warned(visit.subtask, OVERDUE)  # past its deadline


def test_three_working_days_ahead_the_lead_agency_and_secretariat_are_warned(people, visit):
    # 30 June 2026 is a Tuesday: Thursday 25 June leaves Friday, Monday and Tuesday.
    warn_directives(at(6, 24))
    assert warned(visit.staffing, DUE_SOON) == set()
    warn_directives(at(6, 25))
    recipients = warned(visit.staffing, DUE_SOON)
    assert {"chuyenvien.noivu", "thuky.vpubnd"} <= recipients  # Home Affairs, the PPC Office
    assert "chuyenvien.sotaichinh" not in recipients  # supporting agencies are not warned
    assert "giamsat" not in recipients  # supervisors read, they do not act
    # Văn Hiến has no leader's account: its commune-led directive warns all its officers
    assert "tiepnhan.vanhien" in warned(visit.online, DUE_SOON)


def do_luong_task(people, visit):
    """A directive led by xã Đô Lương's People's Committee, due 30 June."""
    with clock.fixed_at(at(3, 12, hour=16)):
        return services.issue_directive(
            people.secretary,
            visit.inspection,
            services.DirectiveSpec(
                title="Giải quyết dứt điểm hồ sơ đất đai quá hạn",
                lead_agency=agency(f"{DO_LUONG}.01.H40"),
                deadline=dt.date(2026, 6, 30),
                findings=[visit.staff_shortage],
            ),
        )


def test_a_commune_led_directive_warns_the_communes_leaders_not_its_desks(people, visit):
    task = do_luong_task(people, visit)
    warn_directives(at(6, 25))
    recipients = warned(task, DUE_SOON)
    assert "lanhdao.doluong" in recipients  # the commune's leader (its People's Committee)
    # its intake and processing officers answer to the leader, and are not warned
    assert recipients.isdisjoint({"tiepnhan.doluong", "chuyenvien.doluong", "quantri.doluong"})
    assert "thuky.vpubnd" in recipients  # the secretariat, as for any directive


def test_a_commune_without_a_leaders_account_warns_all_its_officers(people, visit):
    Membership.objects.filter(user__username="lanhdao.doluong").delete()
    User.objects.get(username="lanhdao.doluong").forget_scope()
    task = do_luong_task(people, visit)
    warn_directives(at(7, 1))
    assert {"tiepnhan.doluong", "chuyenvien.doluong", "quantri.doluong"} <= warned(task, OVERDUE)


def test_the_groups_leader_is_warned_once_of_each_directive(people, group, visit):
    leader = User.objects.get(username="lanhdao.tinh")  # the PPC, not its Office
    services.save_group(people.secretary, group_spec(leader=leader), group)
    warn_directives(at(6, 25))
    warn_directives(at(6, 26))
    for directive in (visit.staffing, visit.online):
        rows = DirectiveNotification.objects.filter(directive=directive, recipient=leader)
        assert list(rows.values_list("kind", flat=True)) == [DUE_SOON]
    # the leader in the secretariat as well is still warned once
    spec = group_spec(leader=leader, secretariat_people=[people.secretary, leader])
    services.save_group(people.secretary, spec, group)
    warn_directives(at(7, 1))
    warn_directives(at(7, 2))
    assert DirectiveNotification.objects.filter(recipient=leader, kind=OVERDUE).count() == 3


def test_the_warnings_go_once_however_often_the_worker_runs(visit):
    first = warn_directives(at(6, 25))
    again = warn_directives(at(6, 26))
    assert first.due_soon > 0 and again.due_soon == 0
    passed = warn_directives(at(7, 1))
    assert passed.overdue > 0 and warn_directives(at(7, 2)).overdue == 0
    assert "thuky.vpubnd" in warned(visit.staffing, OVERDUE)


def test_not_on_the_deadline_day_itself_as_overdue(visit):
    warn_directives(at(6, 30, hour=20))
    assert warned(visit.staffing, OVERDUE) == set()


def test_a_closed_directive_is_not_warned(people, visit):
    services.close_directive(
        people.secretary, visit.subtask, outcome=Outcome.ACHIEVED, result="Xong"
    )
    warn_directives(at(4, 20))
    assert warned(visit.subtask, OVERDUE) == set()


def test_the_scheduled_job_runs_under_the_workers_name(visit):
    from haicap.core.models import AuditRecord

    with clock.fixed_at(at(7, 1)):
        summary = run_warnings()
    assert "overdue" in summary
    assert AuditRecord.objects.filter(action="directive.warned_overdue", actor_label="worker")
    assert dt.date(2026, 6, 30).weekday() == 1


def test_the_desk_home_shows_each_officer_the_warnings_sent_to_them_until_closed(people, visit):
    from django.urls import reverse

    from tests.conftest import client_for

    warn_directives(at(7, 1))  # the staffing directive is overdue
    home = client_for("chuyenvien.noivu").get(reverse("desk:home")).content.decode()
    directive_page = reverse("desk:oversight:directive", args=[visit.staffing.pk])
    assert 'data-testid="directive-warnings"' in home and directive_page in home
    elsewhere = client_for("chuyenvien.sotaichinh").get(reverse("desk:home")).content.decode()
    assert directive_page not in elsewhere  # supporting, not warned
    services.close_directive(
        people.secretary, visit.subtask, outcome=Outcome.ACHIEVED, result="Xong"
    )
    services.close_directive(
        people.secretary, visit.staffing, outcome=Outcome.NOT_ACHIEVED, result="-", reason="Hết kỳ"
    )
    home = client_for("chuyenvien.noivu").get(reverse("desk:home")).content.decode()
    assert directive_page not in home
