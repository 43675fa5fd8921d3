"""The reports' notices on the officer's desk (``/desk/thong-bao/``): a reminder to the
commune's officers, a submission to the province's reviewers, a decision back to the commune;
each officer sees their own, marks them read, and follows them to the report."""

import pytest

from haicap.core import clock
from haicap.core.notices import notice_sources
from haicap.reports.models import ReportNotice
from haicap.reports.reminders import run_reminders
from tests.reports import province_world as pw
from tests.reports import world
from tests.reports.page_reading import rows, text

pytestmark = pytest.mark.django_db

NOTICES = "/desk/thong-bao/"
SUBJECT = "Báo cáo kiểm thử hằng tháng · Đô Lương · Month 11/2026"


def notices_page(user, language: str = "en") -> str:
    with clock.fixed_at(world.at(12, 20)):
        response = world.signed_in(user, language).get(NOTICES)
    assert response.status_code == 200
    return text(response)


def remind_on_the_2nd() -> None:
    world.publish(in_force_from=world.NOVEMBER.start)
    with clock.fixed_at(world.at(12, 2, 2)):
        run_reminders()


def test_a_reminder_is_on_the_communes_officers_notices_page_with_a_link_to_the_report():
    people = world.people()
    remind_on_the_2nd()
    report = ReportNotice.objects.filter(recipient=people.do_luong).get().report
    page = notices_page(people.do_luong)
    [notice] = rows(page, "notice")
    assert "Report due soon" in notice
    assert f'<a href="/desk/bao-cao-dinh-ky/{report.pk}/">{SUBJECT}</a>' in notice
    assert 'data-testid="unread"' in notice
    assert "status-in_progress" in notice  # not urgent yet
    # in Vietnamese too, and not on another commune's desk
    assert "Báo cáo sắp đến hạn" in notices_page(people.do_luong, "vi")
    assert SUBJECT not in notices_page(people.van_hien)
    assert "Văn Hiến · Month 11/2026" in notices_page(people.van_hien)


def test_a_notice_is_marked_read_from_the_desk():
    people = world.people()
    remind_on_the_2nd()
    notice = ReportNotice.objects.get(recipient=people.do_luong)
    client = world.signed_in(people.do_luong)
    with clock.fixed_at(world.at(12, 3)):
        response = client.post("/desk/thong-bao/da-doc/", {"source": "reports", "id": notice.pk})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at == world.at(12, 3)
    assert notice_sources.get("reports").unread(people.do_luong) == 0
    # one officer cannot mark another's
    other = ReportNotice.objects.get(recipient=people.do_luong_leader)
    assert notice_sources.get("reports").mark_read(people.do_luong, other.pk) == 0


def test_a_returned_report_is_urgent_for_the_commune_and_a_submission_reaches_the_reviewers():
    people = world.people()
    world.publish()
    report = pw.submit(pw.DO_LUONG, pw.DO_LUONG_FIGURES, world.at(12, 3)).report
    submitted = rows(notices_page(people.reviewer), "notice")
    assert len(submitted) == 1 and "Report submitted for approval" in submitted[0]
    pw.decide(report, world.at(12, 4), note="Bổ sung số liệu")
    [returned] = [n for n in rows(notices_page(people.do_luong), "notice") if "returned" in n]
    assert "Report returned for correction" in returned
    assert "status-overdue" in returned  # urgent: the commune must correct it
    assert SUBJECT in returned
