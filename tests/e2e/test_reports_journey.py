"""The commune reports' journey in a browser, in Vietnamese.

In November 2026 xã Đô Lương received five dossiers (one online) and decided two; Văn Hiến has
already submitted its November report. On Thursday 3 December (due Saturday 5, late after
Monday 7) Đô Lương's specialist opens the month's report: its cells arrive pre-filled from
haicap, each saying where its figure came from and when it was read, with a link to the dossiers
behind it. He overrides the count received with the commune's own (two dossiers came by post
and are not in haicap yet), says why, sees the difference from haicap's figure, and writes the
rest; the leader submits it. Home Affairs finds it on the period's page, filed on time, and
returns it: a meeting is missing. The commune reads the note, corrects the figure, the leader
submits again; Home Affairs approves it, and the report's history shows every step. The
submission prints, as Word and PDF, with its figures and its signer; the consolidated Excel adds
up the two communes' figures as they submitted them. Before the reform Đô Lương was nine
communes: its trend adds up their reports.

The template is the reports tests' own (``tests/reports/world.py``), published here with its
history, and haicap's clock is set to that Thursday: the journey does not depend on the demo's
November or on the day the test runs."""

import datetime as dt
import io
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Browser, Locator, Page, expect

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.reports import values
from haicap.reports.models import Report, Submission
from haicap.reports.services import templates
from tests.dossiers.test_scenarios import VAN_HIEN_DESK, act, receive
from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.reports import province_world, world
from tests.reports.test_print import pdf_text, word_texts
from tests.reports.test_trends import DO_LUONG_FORMERS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SPECIALIST, LEADER = "chuyenvien.doluong", "lanhdao.doluong"
REVIEWER = "chuyenvien.sonoivu"  # Department of Home Affairs: charged with the communes' reports
LEADER_NAME = "Đặng Văn Lương"  # the demo's Vice Chairman of xã Đô Lương
# Thursday 3 December 2026, 8:00: November's report is due on the 5th, late after the 7th.
MORNING = dt.datetime(2026, 12, 3, 8, 0, tzinfo=VIETNAM)
TEMPLATE = "Báo cáo tình hình giải quyết thủ tục hành chính hằng tháng"

BY_POST = "Có 02 hồ sơ chứng thực nhận qua bưu chính ngày 30/11 chưa cập nhật lên hệ thống"
DIFFICULTIES = "Trung tâm phục vụ hành chính công xã thiếu 01 máy quét để số hóa hồ sơ."
PROPOSALS = "Đề nghị Sở Tài chính điều chuyển 01 máy quét dôi dư cho xã."
RETURN_NOTE = "Đề nghị xã bổ sung cuộc họp giao ban ngày 30/11 vào số cuộc họp."
APPROVAL_NOTE = "Số liệu đã khớp."


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VIETNAM)


@pytest.fixture
def third_of_december(monkeypatch) -> None:
    """haicap's clock on 3 December 2026 at 8:00, and running on from there, for the live
    server too: it runs in this process's threads, which a ``clock.fixed_at`` of the test's
    own does not reach. So where the report stands does not depend on the day the test runs;
    ``clock.fixed_at`` still fixes the moments the test's own services run at."""
    started = timezone.now()
    shifted = SimpleNamespace(now=lambda: MORNING + (timezone.now() - started))
    monkeypatch.setattr(clock, "timezone", shifted)


# --- the world: a template, dossiers in November, Văn Hiến's report, Đô Lương's history -------


def november_dossiers(user) -> list[str]:
    """Đô Lương's November at the one-stop desk: five dossiers received (the third online), the
    first two decided and handed back; one received in October and one in Văn Hiến, which
    November's figures of Đô Lương must leave out. The codes of November's five."""
    receive(user, at(10, 29), "X.HT.007")
    receive(user, at(11, 4), "X.HT.007", desk=VAN_HIEN_DESK, username="tiepnhan.vanhien")
    codes = []
    for day, channel in ((2, "desk"), (5, "desk"), (11, "online"), (18, "desk"), (25, "desk")):
        codes.append(receive(user, at(11, day), "X.HT.007", channel=channel).dossier.code)
    for code, day in zip(codes[:2], (3, 9), strict=True):
        act(user, "tiepnhan.doluong", at(11, day, 9), code, "forward")
        act(user, SPECIALIST, at(11, day, 10), code, "submit")
        act(user, LEADER, at(11, day, 14), code, "approve")
        act(user, "tiepnhan.doluong", at(11, day, 16), code, "return_result")
    return codes


def history_across_the_reform() -> None:
    """The template as the nine former communes filed it from January to June 2025, then as
    Đô Lương and its neighbours have since July 2025, every report approved. Each former
    commune received 1 dossier a month, and one more in the months where its place in
    ``DO_LUONG_FORMERS`` (from 0) and the month add up to an odd number: 5 of them in an odd
    month, 4 in an even one. Yên Sơn (the eighth: place 7) filed nothing for April. Đô Lương
    itself received 10 dossiers in July 2025, one more each month up to 14, then 10 again."""
    before = templates.publish(
        None,
        code=world.CODE,
        name=TEMPLATE,
        period_kind="month",
        due_days=5,
        late_after_days=7,
        definition=world.DEFINITION,
        in_force_from=dt.date(2025, 1, 1),
        filers=[world.former(name) for name in DO_LUONG_FORMERS],
    )
    after = world.publish(name=TEMPLATE)  # Đô Lương, Văn Hiến and Bạch Hà, from July 2025
    for month in range(1, 7):
        for place, name in enumerate(DO_LUONG_FORMERS):
            if (name, month) == ("Yên Sơn", 4):
                continue
            count = 1 + (place + month) % 2
            province_world.counted_report(
                before, world.former(name).pk, dt.date(2025, month, 1), received(count)
            )
    do_luong = world.unit(world.DO_LUONG).pk
    for months_since, start in enumerate(MONTHS_SINCE_THE_REFORM):
        count = 10 + months_since % 5
        province_world.counted_report(after, do_luong, start, received(count))


# July 2025 to October 2026
MONTHS_SINCE_THE_REFORM = [dt.date(2025 + (6 + n) // 12, (6 + n) % 12 + 1, 1) for n in range(16)]
# Đô Lương's dossiers received by period, as the trend must show them (history_across_the_reform)
TREND = {
    "Tháng 1/2025": ("14", False),  # 9 + 5
    "Tháng 4/2025": ("11", True),  # 9 + 4, less Yên Sơn's 1 + 1: partial
    "Tháng 6/2025": ("13", False),  # 9 + 4
    "Tháng 7/2025": ("10", False),  # Đô Lương's own from here
    "Tháng 9/2026": ("14", False),
    "Tháng 10/2026": ("10", False),
    "Tháng 11/2026": ("7", False),  # what the journey submitted
}


def received(count: int) -> dict:
    return {"received": str(count), "by_field": [{"field": "Hộ tịch", "received": str(count)}]}


@pytest.fixture
def november(committed_demo, third_of_december, user) -> SimpleNamespace:
    world.charge_home_affairs()
    history_across_the_reform()
    codes = november_dossiers(user)
    van_hien = province_world.submit(
        world.VAN_HIEN, province_world.VAN_HIEN_FIGURES, at(12, 2, 15)
    ).report
    return SimpleNamespace(codes=codes, van_hien=van_hien)


# --- the commune writes its report --------------------------------------------------------------


def cell(page: Page, key: str) -> Locator:
    return page.locator(f'[data-testid="cell"][data-key="{key}"]')


def commune_period(page: Page) -> Locator:
    """November's row in the commune's list of its reports."""
    listed = page.get_by_test_id("template").filter(has_text=TEMPLATE)
    return listed.locator('[data-testid="period"][data-start="2026-11-01"]')


def open_the_report(desk: Page) -> None:
    desk.get_by_test_id("menu-reports").click()
    expect(desk.get_by_role("heading", name="Báo cáo cấp xã", exact=True)).to_be_visible()
    november_row = commune_period(desk)
    expect(november_row.get_by_test_id("state")).to_have_text("Chưa mở")
    assert_accessible(desk)
    november_row.get_by_role("button", name="Mở").click()
    expect(desk.get_by_test_id("state")).to_have_text("Đang lập")


def cells_arrive_prefilled(desk: Page) -> None:
    """Five received (one online), two decided; each says its source and when it was read."""
    for key, value, source in (
        ("received", "5 hồ sơ", "Hồ sơ tiếp nhận"),
        ("received_online", "1 hồ sơ", "Hồ sơ tiếp nhận trực tuyến"),
        ("resolved", "2 hồ sơ", "Hồ sơ đã giải quyết"),
    ):
        found = cell(desk, key)
        expect(found.get_by_test_id("value")).to_have_text(value)
        expect(found.get_by_test_id("source")).to_contain_text(
            re.compile(rf"Từ haicap: {source}, đọc lúc 03/12/2026 08:\d\d")
        )


def follow_the_records(desk: Page, codes: list[str]) -> None:
    """The link behind the count received lists the commune's November dossiers, no other."""
    report_page = desk.url
    cell(desk, "received").get_by_role("link", name="Dữ liệu gốc của số liệu này").click()
    expect(desk.get_by_role("heading", name="Hồ sơ", exact=True)).to_be_visible()
    expect(desk.get_by_test_id("result-count")).to_have_text("5 hồ sơ")
    listed = desk.locator("#results tbody tr")
    expect(listed).to_have_count(5)
    for code in codes:
        expect(desk.locator("#results")).to_contain_text(code)
    desk.goto(report_page)


def write_the_report(desk: Page) -> None:
    received = cell(desk, "received")
    received.locator("summary", has_text="Điều chỉnh").click()
    received.get_by_label("Số liệu của xã").fill("7")
    received.get_by_label("Lý do khác với số liệu trên haicap (bắt buộc)").fill(BY_POST)
    table = cell(desk, "by_field")
    for row, (field, count) in enumerate((("Hộ tịch", "5"), ("Chứng thực", "2")), start=1):
        table.get_by_label(f"Lĩnh vực {row}").fill(field)
        table.get_by_label(f"Tiếp nhận {row}").fill(count)
    desk.get_by_label("Số cuộc họp giao ban").fill("4")
    desk.get_by_label("Mức độ vận hành").select_option("Cơ bản thông suốt")
    desk.get_by_label("Khó khăn, vướng mắc").fill(DIFFICULTIES)
    desk.get_by_label("Kiến nghị, đề xuất").fill(PROPOSALS)
    desk.get_by_test_id("save").click()
    expect(desk.locator(".messages")).to_contain_text("Đã lưu báo cáo.")


def the_override_shows_its_difference(desk: Page) -> None:
    received = cell(desk, "received")
    expect(received.get_by_test_id("value")).to_have_text("7 hồ sơ")
    expect(received.get_by_test_id("overridden")).to_have_text("xã đã điều chỉnh")
    expect(received.get_by_test_id("difference")).to_have_text(
        f"số liệu trên haicap: 5 hồ sơ · chênh lệch: +2 · lý do: {BY_POST}"
    )
    # the other figures are haicap's, unchanged
    expect(cell(desk, "resolved").get_by_test_id("value")).to_have_text("2 hồ sơ")
    expect(cell(desk, "resolved").get_by_test_id("overridden")).to_have_count(0)


def submit(leader: Page, number: int) -> None:
    """The leader continues the report from the commune's list and submits it as it stands."""
    leader.get_by_test_id("menu-reports").click()
    commune_period(leader).get_by_role("button", name="Tiếp tục").click()
    leader.get_by_role("button", name="Gửi lên tỉnh").click()
    expect(leader.locator(".messages")).to_contain_text(f"Đã gửi báo cáo lần {number} lên tỉnh.")
    expect(leader.get_by_test_id("state")).to_have_text("Đã gửi, chờ tỉnh xem xét")
    expect(leader.get_by_test_id("submission")).to_have_count(number)
    expect(leader.get_by_test_id("submission").last).to_contain_text(LEADER_NAME)


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def on_a_phone(browser: Browser, live_server, password: str, address: str) -> None:
    """The report's form on a phone: it fits the screen's width."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=PHONE)
    try:
        phone = context.new_page()
        phone.set_default_timeout(15_000)
        sign_in(phone, SPECIALIST, password)
        phone.wait_for_url("**/desk/")
        phone.goto(address)
        expect(phone.get_by_test_id("report-form")).to_be_visible()
        # every override open, so its inputs are measured too
        overrides = phone.get_by_test_id("override")
        overrides.evaluate_all("all => all.forEach(details => { details.open = true; })")
        expect(cell(phone, "resolved").get_by_label("Số liệu của xã")).to_be_visible()
        assert no_sideways_scroll(phone)
        assert_accessible(phone)
        screenshot(phone, "reports-form-phone")
    finally:
        context.close()


# --- the province ----------------------------------------------------------------------------


def to_the_period(reviewer: Page) -> None:
    """From the desk's menu, through the province's overview, to November's page."""
    reviewer.get_by_test_id("menu-reports").click()
    reviewer.get_by_test_id("province-overview").get_by_role("link").click()
    periods = reviewer.get_by_test_id("template").filter(has_text=TEMPLATE)
    periods.locator('[data-testid="period"][data-start="2026-11-01"]').get_by_role(
        "link", name="Tháng 11/2026", exact=True
    ).click()


def the_period_page(reviewer: Page) -> None:
    """From the desk's menu to November's communes: Đô Lương and Văn Hiến filed on time,
    Bạch Hà has until the 7th; two of three reports filed."""
    to_the_period(reviewer)
    expect(reviewer.get_by_role("heading", name=TEMPLATE)).to_be_visible()
    rates = reviewer.get_by_test_id("rates")
    expect(rates.get_by_test_id("completeness")).to_have_text("66,7 %")
    expect(rates.get_by_test_id("timeliness")).to_have_text("66,7 %")
    expect(rates.get_by_test_id("missing")).to_have_text("0")
    standings = {
        "Đô Lương": ("Đã gửi đúng hạn", "Đã gửi, chờ tỉnh xem xét"),
        "Văn Hiến": ("Đã gửi đúng hạn", "Đã gửi, chờ tỉnh xem xét"),
        "Bạch Hà": ("Chưa gửi, chưa quá hạn", "Chưa mở"),
    }
    communes = reviewer.get_by_test_id("commune")
    expect(communes).to_have_count(len(standings))
    for name, (standing, state) in standings.items():
        row = communes.filter(has=reviewer.get_by_role("cell", name=name, exact=True))
        expect(row.get_by_test_id("standing")).to_have_text(standing)
        expect(row.get_by_test_id("state")).to_have_text(state)
    assert_accessible(reviewer)
    screenshot(reviewer, "reports-period")


def return_it(reviewer: Page) -> None:
    reviewer.get_by_test_id("commune").get_by_role("link", name="Đô Lương", exact=True).click()
    expect(cell(reviewer, "received").get_by_test_id("difference")).to_contain_text(BY_POST)
    assert_accessible(reviewer)
    decision = reviewer.get_by_test_id("return-form")
    decision.get_by_label("Nội dung xã cần chỉnh sửa").fill(RETURN_NOTE)
    decision.get_by_role("button", name="Trả lại để chỉnh sửa").click()
    expect(reviewer.locator(".messages")).to_contain_text(
        "Báo cáo đã được trả lại xã để chỉnh sửa, kèm ghi chú của bạn."
    )
    expect(reviewer.get_by_test_id("state")).to_have_text("Bị trả lại để chỉnh sửa")


def correct_it(desk: Page) -> None:
    """The commune is told, reads the province's note and corrects the figure it names."""
    desk.get_by_test_id("menu-notices").click()
    notice = desk.get_by_test_id("notice").filter(has_text="Báo cáo bị trả lại để chỉnh sửa")
    notice.get_by_role("link", name=re.compile(TEMPLATE)).click()
    expect(desk.get_by_test_id("returned-note")).to_have_text(RETURN_NOTE)
    expect(desk.get_by_test_id("returned")).to_contain_text("Ngô Thị Vụ")
    desk.get_by_label("Số cuộc họp giao ban").fill("5")
    desk.get_by_test_id("save").click()
    expect(desk.locator(".messages")).to_contain_text("Đã lưu báo cáo.")
    expect(cell(desk, "meetings").get_by_label("Số cuộc họp giao ban")).to_have_value("5")


def approve_it(reviewer: Page) -> None:
    reviewer.reload()
    expect(reviewer.get_by_test_id("state")).to_have_text("Đã gửi, chờ tỉnh xem xét")
    expect(cell(reviewer, "meetings").get_by_test_id("value")).to_have_text("5")
    decision = reviewer.get_by_test_id("approve-form")
    decision.get_by_label("Ghi chú (không bắt buộc)").fill(APPROVAL_NOTE)
    decision.get_by_role("button", name="Phê duyệt").click()
    expect(reviewer.locator(".messages")).to_contain_text(
        "Báo cáo đã được phê duyệt. Xã đã được thông báo."
    )
    expect(reviewer.get_by_test_id("state")).to_have_text("Đã phê duyệt")
    history = reviewer.get_by_test_id("event")
    steps = [
        ("opened", "Đã mở, số liệu được điền sẵn", "Hoàng Văn Kinh", ""),
        ("submitted", "Đã gửi (lần 1)", LEADER_NAME, ""),
        ("returned", "Bị trả lại để chỉnh sửa (lần 1)", "Ngô Thị Vụ", RETURN_NOTE),
        ("submitted", "Đã gửi (lần 2)", LEADER_NAME, ""),
        ("approved", "Đã phê duyệt (lần 2)", "Ngô Thị Vụ", APPROVAL_NOTE),
    ]
    expect(history).to_have_count(len(steps))
    for row, (kind, what, who, note) in zip(history.all(), steps, strict=True):
        assert row.get_attribute("data-kind") == kind
        expect(row.locator("td")).to_have_text([re.compile(r"03/12/2026 08:\d\d"), what, who, note])
    assert_accessible(reviewer)


# --- the consolidated Excel, the printed report, the trend -------------------------------------

HEADER_ROW = 4  # each sheet: its title, what it holds, a blank row, then the headings
# What the communes submitted: Đô Lương in the browser (its second submission), Văn Hiến
# through the services (province_world's figures).
DO_LUONG_SUBMITTED = {
    "received": 7,
    "received_online": 1,
    "resolved": 2,
    "by_field.received": 5 + 2,
    "meetings": 5,
}
VAN_HIEN = province_world.VAN_HIEN_FIGURES
VAN_HIEN_SUBMITTED = {
    "received": VAN_HIEN.received,
    "received_online": VAN_HIEN.received_online,
    "resolved": VAN_HIEN.resolved,
    "by_field.received": sum(count for _field, count in VAN_HIEN.by_field),
    "meetings": VAN_HIEN.meetings,
}


def rows_under_headings(book, index: int) -> list[list[object]]:
    sheet = book.worksheets[index]
    return [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW, values_only=True)]


def latest_numbers(report: Report) -> dict[str, Decimal | None]:
    """The numbers of the report's latest submission, as stored."""
    submission = Submission.objects.filter(report=report).order_by("-number").first()
    definition = submission.template.parsed
    return values.numbers(definition, values.from_json(definition, submission.values))


def the_consolidated_excel(reviewer: Page, van_hien: Report) -> None:
    """Its totals are the sum of the communes' rows, which are what they submitted."""
    to_the_period(reviewer)
    with reviewer.expect_download() as download:
        reviewer.get_by_test_id("consolidated").click()
    assert download.value.suggested_filename == "tong-hop-kiem-thu-thang-2026-11-01.xlsx"
    with open(download.value.path(), "rb") as saved:
        book = load_workbook(io.BytesIO(saved.read()))
    assert book.sheetnames == ["Tổng hợp", "Theo xã, phường", "Khó khăn và kiến nghị"]

    heading, *summary = rows_under_headings(book, 0)
    totals = {line[1]: line[4] for line in summary}
    givers = {line[1]: line[5] for line in summary}

    heading, *communes = rows_under_headings(book, 1)
    *communes, totals_row = communes
    assert totals_row[0] == "Tổng các báo cáo được tính"
    by_name = {line[0]: line for line in communes}
    assert set(by_name) == {"Đô Lương", "Văn Hiến", "Bạch Hà"}
    counted = heading.index("Được tính")
    assert [by_name[n][counted] for n in ("Đô Lương", "Văn Hiến", "Bạch Hà")] == [
        "Có",
        "Có",
        "Không",
    ]
    first_number = heading.index("Số hồ sơ tiếp nhận (hồ sơ)")
    keys = [line[1] for line in summary]
    assert keys == list(DO_LUONG_SUBMITTED)

    do_luong_report = Report.objects.get(
        template_code=world.CODE, unit__code=world.DO_LUONG, period_start=world.NOVEMBER.start
    )
    for offset, key in enumerate(keys):
        column = first_number + offset
        do_luong, van_hien_figure = by_name["Đô Lương"][column], by_name["Văn Hiến"][column]
        assert by_name["Bạch Hà"][column] is None  # not submitted: listed, not counted
        # each commune's figure is what it submitted …
        assert (do_luong, van_hien_figure) == (DO_LUONG_SUBMITTED[key], VAN_HIEN_SUBMITTED[key])
        assert latest_numbers(do_luong_report)[key] == do_luong
        assert latest_numbers(van_hien)[key] == van_hien_figure
        # … and the totals, on both sheets, are their sum
        assert totals[key] == totals_row[column] == do_luong + van_hien_figure, key
        assert givers[key] == 2

    heading, *texts = rows_under_headings(book, 2)
    said = {line[0]: line for line in texts}
    assert DIFFICULTIES in said["Đô Lương"] and PROPOSALS in said["Đô Lương"]


def the_printed_report(reviewer: Page) -> None:
    """Submission 2 as Word and PDF: its figures, its table and the leader who signed."""
    row = reviewer.get_by_test_id("submission").filter(has_text="Lần gửi 2")
    with reviewer.expect_download() as download:
        row.get_by_role("link", name="Tệp Word").click()
    with open(download.value.path(), "rb") as word:
        texts = word_texts(word.read())
    for line in (
        "1. Số hồ sơ tiếp nhận: 7 hồ sơ [1]",
        "2. Trong đó tiếp nhận trực tuyến: 1 hồ sơ",
        "3. Số hồ sơ đã giải quyết: 2 hồ sơ",
        "5. Số cuộc họp giao ban: 5",
        "Chứng thực",
        f"2. Khó khăn, vướng mắc: {DIFFICULTIES}",
        f"[1] Số hồ sơ tiếp nhận: số liệu trên haicap 5 hồ sơ, xã báo cáo 7 hồ sơ (+2)."
        f" Lý do: {BY_POST}.",
    ):
        assert line in texts, line
    assert any(LEADER_NAME in text for text in texts)

    pdf = reviewer.request.get(row.get_by_role("link", name="PDF").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    flat = pdf_text(pdf.body())
    for line in ("1. Số hồ sơ tiếp nhận: 7 hồ sơ [1]", "5. Số cuộc họp giao ban: 5", LEADER_NAME):
        assert line in flat, line


def the_trend(reviewer: Page) -> None:
    """Đô Lương's dossiers received, from January 2025 to November 2026: before the reform the
    sum of its nine former communes, then its own reports."""
    reviewer.get_by_role("link", name="Xu hướng qua sắp xếp đơn vị hành chính").first.click()
    form = reviewer.get_by_test_id("trend-form")
    form.get_by_label("Chỉ tiêu").select_option("received")
    form.get_by_label("Xã, phường").select_option(label="Đô Lương")
    form.get_by_label("Từ kỳ chứa ngày").fill("2025-01-01")
    form.get_by_label("Đến kỳ chứa ngày").fill("2026-11-30")
    form.get_by_role("button", name="Xem").click()
    expect(reviewer.get_by_test_id("formers")).to_contain_text("Bắc Sơn")
    points = {
        row.locator("td").first.inner_text(): (
            row.get_by_test_id("value").inner_text().removesuffix("một phần").strip(),
            row.get_attribute("data-partial") == "1",
        )
        for row in reviewer.get_by_test_id("point").all()
    }
    assert len(points) == 23  # January 2025 to November 2026
    for period, expected in TREND.items():
        assert points[period] == expected, period
    assert [p for p, (_value, partial) in points.items() if partial] == ["Tháng 4/2025"]
    chart = reviewer.get_by_test_id("chart")
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    assert_accessible(reviewer)
    screenshot(reviewer, "reports-trends")


# --- the journey ------------------------------------------------------------------------------


def test_a_commune_files_its_prefilled_report_the_province_returns_it_then_approves_it(
    browser: Browser, live_server, november, officer, demo_password
):
    desk = officer(SPECIALIST)
    open_the_report(desk)
    cells_arrive_prefilled(desk)
    follow_the_records(desk, november.codes)
    write_the_report(desk)
    the_override_shows_its_difference(desk)
    assert_accessible(desk)
    screenshot(desk, "reports-form")
    on_a_phone(browser, live_server, demo_password, desk.url)

    leader = officer(LEADER)
    submit(leader, 1)

    reviewer = officer(REVIEWER)
    the_period_page(reviewer)
    return_it(reviewer)

    correct_it(desk)
    submit(leader, 2)

    approve_it(reviewer)
    the_printed_report(reviewer)
    the_consolidated_excel(reviewer, november.van_hien)
    the_trend(reviewer)
