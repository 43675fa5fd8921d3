"""The briefing pack's reports section, worked out by hand: each commune's last three monthly
reports with whether and when it filed them, as they stood on the pack's last day, and the
difficulties and proposals of its latest counted submission; in the pack's page, PDF and
Excel file; from a fixed number of queries.

The tests' template (filed by Đô Lương, Văn Hiến and Bạch Hà; due 5 days after the month, late
after 7). A pack whose last day is Wed 9 December 2026:

    commune    September          October                      November
    Đô Lương   nothing            sent 3/11, approved 4/11     sent 3/12, awaiting
    Văn Hiến   nothing            sent 3/11, approved 4/11     sent 8/12 (late), returned 9/12
    Bạch Hà    nothing            nothing                      opened 1/12, sent 10/12 (after)

Đô Lương's latest counted submission is November's; Văn Hiến's November was returned, so its
October's counts; Bạch Hà has none by the pack's last day.
"""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from haicap.core import clock
from haicap.core.briefing import Period, pack_sections
from haicap.core.roles import Role
from haicap.oversight import services as oversight
from haicap.reports.briefing_sections import REPORTS, build_reports
from haicap.reports.services import filing, review
from tests.conftest import client_for
from tests.oversight.conftest import group_spec
from tests.oversight.test_pages import text_of_pdf, url
from tests.reports import world

pytestmark = pytest.mark.django_db
PACK = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 9))
OCTOBER = dt.date(2026, 10, 1)
NAME = "Báo cáo kiểm thử hằng tháng"
OCTOBER_WORDS = {
    "difficulties": "Đường truyền tại điểm tiếp nhận hay gián đoạn.",
    "proposals": "Đề nghị nâng cấp đường truyền.",
}
NOVEMBER_WORDS = {
    "difficulties": "Thiếu 01 công chức địa chính cho khối lượng hồ sơ đất đai.",
    "proposals": "Đề nghị Sở Nội vụ biệt phái 01 công chức địa chính.",
}


def filed(writer, leader, commune, start, opened, submitted, words) -> object:
    with clock.fixed_at(opened):
        report = filing.open_report(writer, world.CODE, world.unit(commune).pk, start)
    report = world.fill(report, writer, when=opened, **words)
    if submitted is not None:
        with clock.fixed_at(submitted):
            filing.submit(leader, report)
    return report


@pytest.fixture
def reports():
    people = world.people()
    world.publish()
    do_luong = (people.do_luong, people.do_luong_leader, world.DO_LUONG)
    van_hien = (people.van_hien, people.van_hien_leader, world.VAN_HIEN)
    reviewer = people.reviewer_leader
    for who in (do_luong, van_hien):
        october = filed(*who, OCTOBER, world.at(11, 2), world.at(11, 3), OCTOBER_WORDS)
        with clock.fixed_at(world.at(11, 4)):
            review.approve(reviewer, october)
    filed(*do_luong, world.NOVEMBER.start, world.at(12, 1), world.at(12, 3), NOVEMBER_WORDS)
    november = filed(
        *van_hien, world.NOVEMBER.start, world.at(12, 1), world.at(12, 8), NOVEMBER_WORDS
    )
    with clock.fixed_at(world.at(12, 9, 10)):
        review.return_for_correction(reviewer, november, "Bổ sung nguyên nhân chậm nộp.")
    bach_ha_leader = world.staff("lanhdao.bachha.baocao", "17707.01.H40", Role.LEADER)
    filed(
        bach_ha_leader,
        bach_ha_leader,
        world.BACH_HA,
        world.NOVEMBER.start,
        world.at(12, 1),
        world.at(12, 10),
        NOVEMBER_WORDS,
    )
    return people


def built(*codes: str, language: str = "en"):
    ids = tuple(world.unit(code).pk for code in codes)
    with translation.override(language):
        return build_reports(None, ids, PACK)


def test_the_section_is_in_the_pack():
    assert REPORTS in pack_sections.sections()
    assert REPORTS.key == "reports.periodic"


def test_each_communes_last_reports_as_they_stood_on_the_packs_last_day(reports):
    found = built(world.DO_LUONG, world.VAN_HIEN, world.BACH_HA)
    do_luong, _said = found[world.unit(world.DO_LUONG).pk]
    assert do_luong.header == ("Report", "From", "To", "Filing", "State")
    november, october, september = (
        (dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        (dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
        (dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
    )
    assert do_luong.rows == (
        (NAME, *november, "Submitted on time", "Submitted, awaiting the province"),
        (NAME, *october, "Submitted on time", "Approved"),
        (NAME, *september, "Not submitted, late", "Not opened"),
    )
    van_hien, _said = found[world.unit(world.VAN_HIEN).pk]
    assert [row[3:] for row in van_hien.rows] == [
        ("Submitted late", "Returned for correction"),
        ("Submitted on time", "Approved"),
        ("Not submitted, late", "Not opened"),
    ]
    # sent on 10 December, after the pack's last day: not filed yet then, only written
    bach_ha, nothing_said = found[world.unit(world.BACH_HA).pk]
    assert bach_ha.rows[0][3:] == ("Not submitted, late", "Being written")
    assert nothing_said.rows == ()


def test_the_difficulties_and_proposals_of_the_latest_counted_submission(reports):
    found = built(world.DO_LUONG, world.VAN_HIEN)
    _reports, do_luong = found[world.unit(world.DO_LUONG).pk]
    assert do_luong.title == "Difficulties and proposals, as submitted for 01/11/2026–30/11/2026"
    assert do_luong.rows == (
        ("Khó khăn, vướng mắc", NOVEMBER_WORDS["difficulties"]),
        ("Kiến nghị, đề xuất", NOVEMBER_WORDS["proposals"]),
    )
    _reports, van_hien = found[world.unit(world.VAN_HIEN).pk]  # November's was returned
    assert van_hien.title.endswith("01/10/2026–31/10/2026")
    assert [text for _label, text in van_hien.rows] == list(OCTOBER_WORDS.values())


def test_a_commune_that_files_no_report_is_left_out_and_the_tables_are_in_vietnamese(reports):
    found = built(world.DO_LUONG, "17641", language="vi")  # Lương Sơn files none of them
    assert list(found) == [world.unit(world.DO_LUONG).pk]
    last, said = found[world.unit(world.DO_LUONG).pk]
    assert last.header == ("Báo cáo", "Từ ngày", "Đến ngày", "Tình hình nộp", "Trạng thái")
    assert last.rows[0][3] == "Đã gửi đúng hạn" and last.rows[2][3] == "Chưa gửi, đã quá hạn"
    assert said.header == ("Nội dung", "Xã báo cáo")


def test_the_queries_do_not_grow_with_the_communes(reports):
    three = tuple(world.unit(code).pk for code in (world.DO_LUONG, world.VAN_HIEN, world.BACH_HA))
    counted = []
    for ids in (three[:1], three):
        with CaptureQueriesContext(connection) as queries:
            build_reports(None, ids, PACK)
        counted.append(len(queries))
    assert counted[0] == counted[1] == 6, counted


def test_the_packs_page_pdf_and_sheet_show_the_section(reports):
    secretary = world.staff("thuky.vpubnd", "000.01.00.H40", Role.SPECIALIST)
    with clock.fixed_at(world.at(12, 2)):
        group = oversight.save_group(secretary, group_spec())
        visit = oversight.plan_inspection(
            secretary,
            group,
            held_on=dt.date(2026, 12, 10),  # the pack reads up to the 9th
            communes=[world.unit(world.DO_LUONG), world.unit(world.VAN_HIEN)],
        )
    client = client_for(secretary.username)
    with clock.fixed_at(world.at(12, 9, 16)):
        page = client.get(url("briefing_pack", visit.pk)).content.decode()
        pdf = text_of_pdf(client.get(url("briefing_pack_pdf", visit.pk)).content)
        sheet = load_workbook(BytesIO(client.get(url("briefing_pack_xlsx", visit.pk)).content))
    difficulty = NOVEMBER_WORDS["difficulties"]
    for shown in (page, " ".join(pdf.split())):
        assert "Báo cáo định kỳ, khó khăn và kiến nghị" in shown
        assert difficulty in shown
    cells = [c.value for row in sheet["xã Đô Lương"].iter_rows() for c in row if c.value]
    assert difficulty in cells and NAME in cells
    assert dt.datetime(2026, 11, 1) in cells  # the period's days as dates


# -- half-years and years, and a template that changed its period ---------------------------------


def test_a_half_year_report_filed_a_year_before_the_pack_is_found():
    """The half-year template's last ended periods on 9 December 2026 are January–June 2026
    and July–December 2025 (the template came in force on 1 July 2025): Đô Lương filed the
    second half of 2025 on 3 January 2026, more than 400 days before the pack's last day."""
    people = world.people()
    world.publish(code="kiem-thu-nua-nam", period_kind="half_year", name="Báo cáo 6 tháng")
    second_half = dt.date(2025, 7, 1)
    with clock.fixed_at(world.at(1, 2, year=2026)):
        report = filing.open_report(
            people.do_luong, "kiem-thu-nua-nam", world.unit(world.DO_LUONG).pk, second_half
        )
    world.fill(report, people.do_luong, when=world.at(1, 2, year=2026), **OCTOBER_WORDS)
    with clock.fixed_at(world.at(1, 3, year=2026)):
        filing.submit(people.do_luong_leader, report)
    last, said = built(world.DO_LUONG)[world.unit(world.DO_LUONG).pk]
    halves = [row for row in last.rows if row[0] == "Báo cáo 6 tháng"]
    assert halves == [
        (
            "Báo cáo 6 tháng",
            dt.date(2026, 1, 1),
            dt.date(2026, 6, 30),
            "Not submitted, late",
            "Not opened",
        ),
        (
            "Báo cáo 6 tháng",
            second_half,
            dt.date(2025, 12, 31),
            "Submitted on time",
            "Submitted, awaiting the province",
        ),
    ]
    assert said.title.endswith("01/07/2025–31/12/2025")
    assert [text for _label, text in said.rows] == list(OCTOBER_WORDS.values())
