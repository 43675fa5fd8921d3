"""The province's pages: each template's last periods with their reporting rates, one period's
communes with where each stands and its filters, and the decisions on a submitted report."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from haicap.accounts.models import User
from haicap.core import clock
from haicap.core.briefing import Period
from haicap.reports import selectors
from haicap.reports.briefing_sections import build_reports
from haicap.reports.models import Report, ReportEvent, ReportNotice
from tests.reports import province_world as pw
from tests.reports import world
from tests.reports.page_reading import attribute, marked, rows, text

pytestmark = pytest.mark.django_db

OVERVIEW = "/desk/bao-cao-dinh-ky/tinh/"
ON_DAY = world.at(12, 20)  # pw.TODAY


def get(user: User, url: str, data: dict | None = None, language: str = "en"):
    with clock.fixed_at(ON_DAY):
        return world.signed_in(user, language).get(url, data or {})


def post(user: User, url: str, data: dict, language: str = "en"):
    with clock.fixed_at(ON_DAY):
        return world.signed_in(user, language).post(url, data)


# -- the overview ---------------------------------------------------------------------------------


def test_the_overview_gives_each_ended_period_its_counts_and_rates():
    made = pw.november()
    response = get(made.people.reviewer, OVERVIEW)
    assert response.status_code == 200
    periods = rows(text(response), "period")
    # the last six ended months, newest first: November 2026 back to June 2026
    assert [attribute(p, "data-start") for p in periods] == [
        "2026-11-01",
        "2026-10-01",
        "2026-09-01",
        "2026-08-01",
        "2026-07-01",
        "2026-06-01",
    ]
    november = periods[0]
    counts = {k: marked(november, k) for k in ("expected", "filed", "on-time", "late", "missing")}
    # four filed of six: three on time (Đô Lương, Văn Hiến, Thuần Trung), Bạch Hà late,
    # Lương Sơn and Bạch Ngọc not at all
    assert counts == {"expected": "6", "filed": "4", "on-time": "3", "late": "1", "missing": "2"}
    assert marked(november, "completeness") == "66.7"  # 4 of 6
    assert marked(november, "timeliness") == "50.0"  # 3 of 6
    assert pw.period_url() in november
    october = periods[1]
    assert (marked(october, "expected"), marked(october, "filed")) == ("6", "0")
    assert marked(october, "missing") == "6"
    assert marked(october, "completeness") == "0.0"


def test_a_period_not_yet_late_counts_its_silent_communes_as_waiting():
    people = world.people()
    world.publish()  # filed by Đô Lương, Văn Hiến and Bạch Hà
    pw.submit(pw.DO_LUONG, pw.DO_LUONG_FIGURES, world.at(12, 3))
    with clock.fixed_at(world.at(12, 6)):  # due yesterday, late only after the 7th
        page = text(world.signed_in(people.reviewer).get(OVERVIEW))
    november = rows(page, "period")[0]
    assert (marked(november, "filed"), marked(november, "waiting")) == ("1", "2")
    assert marked(november, "missing") == "0"
    assert marked(november, "timeliness") == "33.3"


def test_the_overview_leaves_out_periods_before_the_template():
    people = world.people()
    world.publish(in_force_from=world.NOVEMBER.start)
    page = text(get(people.supervisor, OVERVIEW))
    assert [attribute(p, "data-start") for p in rows(page, "period")] == ["2026-11-01"]


def test_the_overview_reads_one_query_more_for_each_template_whatever_its_periods(
    django_assert_max_num_queries,
):
    made = pw.november()  # one template, six months shown, five reports
    client = world.signed_in(made.people.reviewer)

    def read() -> int:
        with clock.fixed_at(ON_DAY), CaptureQueriesContext(connection) as queries:
            assert client.get(OVERVIEW).status_code == 200
        return len(queries)

    read()  # the session and the caches, once
    one = read()
    world.publish(code="kiem-thu-hai")
    world.publish(code="kiem-thu-quy", period_kind="quarter", in_force_from=dt.date(2025, 1, 1))
    with clock.fixed_at(ON_DAY), django_assert_max_num_queries(one + 2):
        page = text(client.get(OVERVIEW))
    assert len(rows(page, "period")) == 3 * 6  # each template still shows its six periods


def test_the_province_pages_are_the_provinces_only():
    made = pw.november()
    people = made.people
    for user in (people.reviewer, people.supervisor):
        assert get(user, OVERVIEW).status_code == 200
        assert get(user, pw.period_url()).status_code == 200
    # a commune's officers, and a department with no charge of the reports, find nothing here
    for user in (people.do_luong, people.do_luong_leader, people.finance):
        assert get(user, OVERVIEW).status_code == 404
        assert get(user, pw.period_url()).status_code == 404


# -- one period -----------------------------------------------------------------------------------


def communes(page: str) -> dict[str, tuple[str, str]]:
    """Each commune's row: (where it stands, its report's state), by commune name."""
    found = {}
    for row in rows(page, "commune"):
        name = re.sub(r"<[^>]+>", "", row.split("<td>", 1)[1].split("</td>", 1)[0]).strip()
        found[name] = (marked(row, "standing"), marked(row, "state"))
    return found


def test_the_period_lists_every_expected_commune_with_its_standing_and_state():
    made = pw.november()
    response = get(made.people.reviewer, pw.period_url())
    assert response.status_code == 200
    page = text(response)
    assert communes(page) == {
        "Bạch Hà": ("Submitted late", "Returned for correction"),
        "Bạch Ngọc": ("Not submitted, late", "Not opened yet"),
        "Lương Sơn": ("Not submitted, late", "Being written"),
        "Thuần Trung": ("Submitted on time", "Submitted, awaiting the province"),
        "Văn Hiến": ("Submitted on time", "Submitted, awaiting the province"),
        "Đô Lương": ("Submitted on time", "Approved"),
    }
    assert marked(page, "completeness") == "66.7 %"
    assert marked(page, "timeliness") == "50.0 %"
    # each report opened links to its page; Bạch Ngọc has none
    links = re.findall(r'href="/desk/bao-cao-dinh-ky/(\d+)/" data-testid="report-link"', page)
    assert sorted(int(pk) for pk in links) == sorted(r.pk for r in made.reports.values())
    assert f"{pw.period_url()}tong-hop.xlsx" in page
    thuan_trung = next(r for r in rows(page, "commune") if "Thuần Trung" in r)
    assert marked(thuan_trung, "submissions") == "2"


@pytest.mark.parametrize(
    "filters, shown",
    [
        ({"standing": "missing"}, {"Bạch Ngọc", "Lương Sơn"}),
        ({"standing": "late"}, {"Bạch Hà"}),
        ({"state": "none"}, {"Bạch Ngọc"}),
        ({"state": "returned"}, {"Bạch Hà"}),
        ({"standing": "on_time", "state": "submitted"}, {"Thuần Trung", "Văn Hiến"}),
    ],
)
def test_the_period_filters_by_standing_and_state(filters, shown):
    made = pw.november()
    response = get(made.people.reviewer, pw.period_url(), filters)
    assert response.status_code == 200
    assert set(communes(text(response))) == shown


def test_a_filter_not_offered_is_said_and_every_commune_still_shown():
    made = pw.november()
    response = get(made.people.reviewer, pw.period_url(), {"standing": "lost"}, language="vi")
    assert response.status_code == 422
    page = text(response)
    assert 'role="alert"' in page
    assert "Hãy chọn một lựa chọn hợp lệ" in page  # Django's own words, in Vietnamese
    assert len(communes(page)) == 6


def test_a_day_that_starts_no_period_or_one_before_the_template_is_not_found():
    made = pw.november()
    reviewer = made.people.reviewer
    assert get(reviewer, "/desk/bao-cao-dinh-ky/tinh/kiem-thu-thang/2026-11-02/").status_code == 404
    assert get(reviewer, pw.period_url(world.NOVEMBER.start.replace(year=2024))).status_code == 404
    assert get(reviewer, pw.period_url(code="khong-co")).status_code == 404


# -- decisions ------------------------------------------------------------------------------------


def decision_url(report: Report, what: str) -> str:
    return f"/desk/bao-cao-dinh-ky/{report.pk}/{'duyet' if what == 'approve' else 'tra-lai'}/"


def test_the_reviewer_approves_and_the_commune_is_told():
    made = pw.november()
    report = made.reports[pw.VAN_HIEN]
    response = post(made.people.reviewer, decision_url(report, "approve"), {"note": "Tốt"})
    assert response.status_code == 302
    assert response["Location"] == f"/desk/bao-cao-dinh-ky/{report.pk}/"
    report.refresh_from_db()
    assert report.state == Report.State.APPROVED
    event = report.events.filter(kind=ReportEvent.Kind.APPROVED).get()
    assert (event.actor, event.note) == (made.people.reviewer, "Tốt")
    leader = pw.leader(pw.VAN_HIEN)
    assert ReportNotice.objects.filter(recipient=leader, report=report, kind="approved").exists()


def test_the_message_after_a_decision_is_in_the_readers_language():
    made = pw.november()
    report = made.reports[pw.VAN_HIEN]
    client = world.signed_in(made.people.reviewer, "vi")
    with clock.fixed_at(ON_DAY):
        response = client.post(
            decision_url(report, "return"), {"note": "Bổ sung số liệu"}, follow=True
        )
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Báo cáo đã được trả lại xã để chỉnh sửa, kèm ghi chú của bạn."]


def test_returning_needs_a_note_and_a_refused_return_keeps_nothing_lost():
    made = pw.november()
    report = made.reports[pw.VAN_HIEN]
    response = post(made.people.reviewer, decision_url(report, "return"), {"note": "   "}, "vi")
    assert response.status_code == 422
    assert "Trường này là bắt buộc" in text(response)  # Django's own words
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED
    response = post(made.people.reviewer, decision_url(report, "return"), {"note": "x" * 2001})
    assert response.status_code == 422
    assert "x" * 2001 in text(response)  # the note comes back as typed
    response = post(
        made.people.reviewer, decision_url(report, "return"), {"note": "Bổ sung số liệu"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.RETURNED
    assert report.events.get(kind=ReportEvent.Kind.RETURNED).note == "Bổ sung số liệu"


def test_a_report_decided_already_says_so_and_keeps_the_note():
    made = pw.november()
    report = made.reports[pw.DO_LUONG]  # approved on 4 December
    response = post(
        made.people.reviewer_leader,
        decision_url(report, "return"),
        {"note": "Xem lại số hồ sơ"},
        language="vi",
    )
    assert response.status_code == 409
    page = text(response)
    assert "Báo cáo này không còn chờ quyết định" in marked(page, "refusal")
    assert "Xem lại số hồ sơ" in page
    assert marked(page, "state") == "Đã phê duyệt"
    report.refresh_from_db()
    assert report.state == Report.State.APPROVED


def test_only_the_provinces_reviewers_decide():
    made = pw.november()
    people = made.people
    report = made.reports[pw.VAN_HIEN]
    # the commune's own leader, and the supervisor who reads every report: refused
    assert post(pw.leader(pw.VAN_HIEN), decision_url(report, "approve"), {}).status_code == 403
    assert post(people.supervisor, decision_url(report, "approve"), {}).status_code == 403
    # another commune's officer does not even see the report
    assert post(people.do_luong_leader, decision_url(report, "approve"), {}).status_code == 404
    assert post(people.finance, decision_url(report, "return"), {"note": "x"}).status_code == 404
    # a decision is a POST
    assert get(people.reviewer, decision_url(report, "approve")).status_code == 405
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED


def test_the_period_page_reads_alike_for_three_communes_or_six():
    made = pw.november()  # six communes, five reports
    world.publish(code="kiem-thu-ba-xa")  # three communes, no report
    counts = []
    for code in (world.CODE, "kiem-thu-ba-xa"):
        client = world.signed_in(made.people.reviewer)
        with clock.fixed_at(ON_DAY), CaptureQueriesContext(connection) as queries:
            assert client.get(pw.period_url(code=code)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# -- days out of the span haicap reads ------------------------------------------------------------


def test_a_period_in_a_year_haicap_cannot_reckon_in_is_not_found():
    made = pw.november()
    reviewer = made.people.reviewer
    for start in ("9999-12-01", "3000-01-01", "1969-12-01"):
        assert get(reviewer, f"/desk/bao-cao-dinh-ky/tinh/{world.CODE}/{start}/").status_code == 404
        xlsx = f"/desk/bao-cao-dinh-ky/tinh/{world.CODE}/{start}/tong-hop.xlsx"
        assert get(reviewer, xlsx).status_code == 404
    # the last month of the span is a period like any other: nobody filed it yet
    last = get(reviewer, f"/desk/bao-cao-dinh-ky/tinh/{world.CODE}/2999-12-01/")
    assert last.status_code == 200
    assert marked(text(last), "missing") == "0"


# -- one set of words -----------------------------------------------------------------------------


def test_a_standing_is_named_alike_for_the_commune_the_province_and_the_working_group():
    """Bạch Hà's November (submitted late), Lương Sơn's (never submitted) and Đô Lương's (on
    time): the commune's list, the province's period page, its overview's headings and the
    briefing pack name each standing with the same words, in either language."""
    made = pw.november()
    reviewer = made.people.reviewer
    ids = {code: world.unit(code).pk for code in (pw.BACH_HA, pw.LUONG_SON, pw.DO_LUONG)}
    names = {pw.BACH_HA: "Bạch Hà", pw.LUONG_SON: "Lương Sơn", pw.DO_LUONG: "Đô Lương"}
    for language in ("en", "vi"):
        province = communes(text(get(reviewer, pw.period_url(), language=language)))
        headings = text(get(reviewer, OVERVIEW, language=language))
        with translation.override(language):
            pack = build_reports(None, tuple(ids.values()), Period(dt.date(2026, 1, 1), pw.TODAY))
        for code, unit_id in ids.items():
            own = text(get(pw.leader(code), "/desk/bao-cao-dinh-ky/", language=language))
            [november] = [r for r in rows(own, "period") if 'data-start="2026-11-01"' in r]
            said = marked(november, "standing")
            last_reports, _said = pack[unit_id]
            assert said == province[names[code]][0] == last_reports.rows[0][3], (code, language)
            if code != pw.DO_LUONG:
                assert f'<th scope="col">{said}</th>' in headings


def test_communes_are_listed_in_vietnamese_order_do_luong_among_the_d():
    template = world.publish()
    found = selectors.standings(template, world.NOVEMBER, dt.date(2026, 12, 20))
    # the database's own order puts Đ after every Latin letter: Bạch Hà, Văn Hiến, Đô Lương
    assert [s.unit.name for s in found] == ["Bạch Hà", "Đô Lương", "Văn Hiến"]
