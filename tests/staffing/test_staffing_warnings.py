"""Secondments ending soon and one-stop desk postings due for rotation or past their limit:
listed on the warnings page to whoever may see them, and sent once as notices to Home Affairs'
staff and to the administrators of the officer's body (and of the host's)."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from haicap.core import clock
from haicap.core.models import AuditRecord
from haicap.core.roles import Role
from haicap.staffing.effect import run_scheduled
from haicap.staffing.models import SecondmentPlan, StaffingNotice
from haicap.staffing.warnings import send_warnings
from tests.conftest import client_for
from tests.staffing.effect_world import (
    BACH_HA_PPC,
    END,
    HOME_AFFAIRS,
    START,
    VAN_HIEN_PPC,
    at,
    make_world,
    officer,
    plan,
    second,
    staff,
)
from tests.staffing.page_parts import parts

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
WARNED_FROM = END - 30 * DAY  # STAFFING_WARNING_DAYS is 30
DESK_SINCE = dt.date(2023, 4, 10)  # reaches 36 months on 10 April 2026
ENDING, DUE, PAST, NO_ACCOUNT = (
    StaffingNotice.Kind.SECONDMENT_ENDING,
    StaffingNotice.Kind.ROTATION_DUE,
    StaffingNotice.Kind.ROTATION_PAST,
    StaffingNotice.Kind.NO_ACCOUNT,
)


@pytest.fixture
def world(db, settings):
    settings.STAFFING_WARNING_DAYS = 30
    found = make_world()
    found.host_admin = staff("quantri.bachha", BACH_HA_PPC, Role.AGENCY_ADMIN)
    found.elsewhere_admin = staff("quantri.vanhien", VAN_HIEN_PPC, Role.AGENCY_ADMIN)
    found.supervisor = staff("giamsat.sonoivu", HOME_AFFAIRS, Role.PROVINCE_SUPERVISOR)
    return found


@pytest.fixture
def desk_officer(world):
    """Đô Lương's one-stop desk officer, at the desk since 10 April 2023."""
    found = officer("NA-0003", "Phạm Thị Luân", "17662.05.H40")
    found.desk_posting_from = DESK_SINCE
    found.save()
    return found


def told(kind: str) -> set[str]:
    return set(
        StaffingNotice.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def test_a_secondment_is_warned_about_from_30_days_before_its_end(world):
    send_warnings(WARNED_FROM - DAY)
    assert told(ENDING) == set()
    report = send_warnings(WARNED_FROM)
    recipients = told(ENDING)
    # Home Affairs' staff, Đô Lương's administrator (the officer's body), Bạch Hà's (the host)
    assert {"chuyenvien.sonoivu", "quantri.doluong", "quantri.bachha"} <= recipients
    assert recipients.isdisjoint(
        {"quantri.vanhien", "giamsat.sonoivu", "giamsat", "lanhdao.doluong", "canbo.dat"}
    )
    # two secondments (the officer with an account and the one without), each to each
    assert report.secondments_ending == 2 * len(recipients)


def test_each_warning_is_sent_once_however_often_the_worker_runs(world, desk_officer):
    first = send_warnings(WARNED_FROM)
    assert first.secondments_ending > 0
    assert send_warnings(WARNED_FROM).secondments_ending == 0
    assert send_warnings(WARNED_FROM + 5 * DAY).secondments_ending == 0
    # a new version of the plan repeating the secondment is the same ending
    world.plan.status = SecondmentPlan.Status.SUPERSEDED
    world.plan.save()
    repeated = plan(revises=world.plan, version=2)
    second(repeated, world.officer)
    assert send_warnings(WARNED_FROM + 6 * DAY).secondments_ending == 0
    # the desk posting long past its limit was told once, too
    assert StaffingNotice.objects.filter(kind=PAST).count() == len(told(PAST)) > 0
    # a secondment extended by version 3 ends on another day: that is news
    repeated.status = SecondmentPlan.Status.SUPERSEDED
    repeated.save()
    second(plan(revises=repeated, version=3), world.officer, end=END + 60 * DAY)
    assert send_warnings(END + 29 * DAY).secondments_ending == 0
    assert send_warnings(END + 30 * DAY).secondments_ending == len(told(ENDING))


def test_a_desk_posting_is_due_30_days_before_36_months_and_past_from_then(world, desk_officer):
    assert send_warnings(dt.date(2026, 3, 10)).rotations_due == 0
    due = send_warnings(dt.date(2026, 3, 11))
    assert due.rotations_due == len(told(DUE)) > 0
    assert {"chuyenvien.sonoivu", "quantri.doluong"} <= told(DUE)
    assert "quantri.bachha" not in told(DUE)  # not a secondment: the host has no part in it
    assert send_warnings(dt.date(2026, 4, 9)).rotations_due == 0  # already told
    past = send_warnings(dt.date(2026, 4, 10))
    assert past.rotations_past == len(told(PAST)) > 0 and past.rotations_due == 0
    notice = StaffingNotice.objects.filter(kind=PAST).first()
    assert notice.officer == desk_officer and notice.secondment is None


def test_a_new_posting_is_a_new_thing_to_warn_about(world, desk_officer):
    send_warnings(dt.date(2026, 4, 10))
    before = StaffingNotice.objects.filter(kind=PAST).count()
    # rotated away and back, she is posted again from 2023-05-01 by a corrected record
    desk_officer.desk_posting_from = dt.date(2023, 5, 1)
    desk_officer.save()
    send_warnings(dt.date(2026, 5, 1))
    assert StaffingNotice.objects.filter(kind=PAST).count() == 2 * before


def test_the_worker_sends_them_under_its_name(world):
    with clock.fixed_at(at(WARNED_FROM, hour=2)):
        summary = run_scheduled()
    assert "warned of secondments ending soon" in summary
    record = AuditRecord.objects.filter(action="staffing.warned_secondment_ending").first()
    assert record.actor_label == "worker" and record.after["recipients"] > 0
    assert record.object_id == str(world.secondment.pk) or record.object_id == str(world.other.pk)


def test_the_notice_reaches_the_officers_desk_and_opens_the_warnings_page(world):
    send_warnings(WARNED_FROM)
    with clock.fixed_at(at(WARNED_FROM)):
        page = client_for("quantri.bachha").get(reverse("desk:notices")).content.decode()
    rows = page.split('data-testid="notice"')[1:]
    # two secondments ending, and the one of an officer without an account
    assert len(rows) == 3
    assert any("Nguyễn Văn Đạt → Phòng Kinh tế xã Bạch Hà" in row for row in rows)
    assert all(reverse("desk:staffing:staff_warnings") in row for row in rows)
    assert 'data-testid="unread-count">(3)' in page


def test_the_warnings_page_lists_what_the_reader_may_see(world, desk_officer):
    url = reverse("desk:staffing:staff_warnings")
    with clock.fixed_at(at(dt.date(2026, 9, 1))):
        home_affairs = client_for("chuyenvien.sonoivu").get(url).content.decode()
        do_luong = client_for("quantri.doluong").get(url).content.decode()
        van_hien = client_for("quantri.vanhien").get(url).content.decode()
        bach_ha = client_for("quantri.bachha").get(url).content.decode()
    for page in (home_affairs, do_luong):
        assert page.count('data-testid="ending-secondment"') == 2
        assert page.count('data-testid="rotation"') == 1 and "Phạm Thị Luân" in page
    # the host sees the secondments into it, not the donor's desk officer
    assert bach_ha.count('data-testid="ending-secondment"') == 2
    assert "Phạm Thị Luân" not in bach_ha
    # another commune sees neither
    assert "Nguyễn Văn Đạt" not in van_hien and "Phạm Thị Luân" not in van_hien
    assert 'data-testid="rotation-rule"' in van_hien  # the rule is said to everyone


def test_the_warnings_export_to_excel(world, desk_officer):
    url = reverse("desk:staffing:staff_warnings") + "?export=xlsx"
    with clock.fixed_at(at(dt.date(2026, 9, 1))):
        response = client_for("chuyenvien.sonoivu").get(url)
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    names = {row[1] for row in rows[1:]}
    assert names == {"Nguyễn Văn Đạt", "Trần Thị Thửa", "Phạm Thị Luân"}
    days_left = {row[1]: row[5] for row in rows[1:]}
    assert days_left["Nguyễn Văn Đạt"] == 29  # 1 → 30 September
    warnings = [(row[0], row[1]) for row in rows[1:]]
    assert ("Cán bộ biệt phái chưa có tài khoản haicap", "Trần Thị Thửa") in warnings


def test_a_starting_secondment_is_not_yet_ending(world):
    assert send_warnings(START - DAY).secondments_ending == 0


NO_ACCOUNT_WORDS = "Cán bộ biệt phái chưa có tài khoản haicap: xã Bạch Hà chưa giao được việc"


def test_a_seconded_officer_without_an_account_is_warned_to_the_host_and_home_affairs_once(world):
    # warned from 30 days before the start, as long as the secondment runs
    assert send_warnings(START - 31 * DAY).without_account == 0
    report = send_warnings(START - 30 * DAY)
    recipients = told(NO_ACCOUNT)
    # the host links the account, Home Affairs arranged the secondment; the officer's own
    # commune (Đô Lương) has nothing to do
    assert {"chuyenvien.sonoivu", "quantri.bachha"} <= recipients
    assert recipients.isdisjoint({"quantri.doluong", "quantri.vanhien", "giamsat.sonoivu"})
    assert report.without_account == len(recipients)  # Trần Thị Thửa's only: Đạt has one
    notice = StaffingNotice.objects.filter(kind=NO_ACCOUNT).first()
    assert (notice.officer, notice.secondment) == (world.no_account, world.other)
    assert send_warnings(START).without_account == 0  # once per secondment
    # a new version of the plan repeating the secondment is the same secondment
    world.plan.status = SecondmentPlan.Status.SUPERSEDED
    world.plan.save()
    second(plan(revises=world.plan, version=2), world.no_account)
    assert send_warnings(START + 10 * DAY).without_account == 0
    assert send_warnings(END + DAY).without_account == 0  # over


def test_an_officer_without_an_account_is_listed_until_one_is_linked(world):
    url = reverse("desk:staffing:staff_warnings")
    with clock.fixed_at(at(START + 5 * DAY)):
        pages = {
            who: client_for(who).get(url).content.decode()
            for who in ("chuyenvien.sonoivu", "quantri.bachha", "quantri.vanhien")
        }
    for who in ("chuyenvien.sonoivu", "quantri.bachha"):
        rows = parts(pages[who], "no-account-secondment")
        assert len(rows) == 1, who
        assert "Trần Thị Thửa" in rows[0].text and "01/04/2026" in rows[0].text
        assert rows[0].text.endswith(f"{NO_ACCOUNT_WORDS} trên hệ thống"), rows[0].text
    assert parts(pages["quantri.vanhien"], "no-account-secondment") == []
    world.no_account.user = staff("canbo.thua", BACH_HA_PPC)
    world.no_account.save()
    with clock.fixed_at(at(START + 6 * DAY)):
        page = client_for("chuyenvien.sonoivu").get(url).content.decode()
    assert parts(page, "no-account-secondment") == []


def test_the_notice_of_an_officer_without_an_account_names_the_host(world):
    send_warnings(START)
    with clock.fixed_at(at(START)):
        page = client_for("quantri.bachha").get(reverse("desk:notices")).content.decode()
    rows = [row.text for row in parts(page, "notice")]
    assert len(rows) == 1
    assert "Cán bộ biệt phái chưa có tài khoản haicap" in rows[0]
    assert "Trần Thị Thửa: xã Bạch Hà chưa giao được việc trên hệ thống" in rows[0]
