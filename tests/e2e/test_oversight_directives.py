"""Directives in a browser: the secretariat issues one with a measurable target and reads its
value live; the lead agency reports progress until the secretariat closes it, and the
follow-up counts move."""

import datetime as dt
from decimal import Decimal

from playwright.sync_api import expect

from haicap.accounts.demo import DEMO_PASSWORD
from haicap.accounts.models import Membership, User
from haicap.catalog.models import Procedure
from haicap.core.measures import Comparison
from haicap.core.roles import Role
from haicap.dossiers import services as dossiers
from haicap.dossiers.applicant import Applicant
from haicap.oversight import selectors, services
from haicap.oversight.models import Finding
from haicap.units.models import AdministrativeUnit, Agency
from tests.e2e.conftest import assert_accessible, screenshot
from tests.portal.helpers import PDF

PPC_OFFICE = "000.01.00.H40"
VAN_HIEN = "17677"
VAN_HIEN_COMMITTEE = f"{VAN_HIEN}.01.H40"
VAN_HIEN_DESK = f"{VAN_HIEN}.05.H40"
SECRETARY = "thuky.tocongtac"
LEAD_OFFICER = "tiepnhan.vanhien"  # works for xã Văn Hiến, whose committee leads the directive


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    after = dt.date(first.year + (first.month == 10), (first.month + 2) % 12 + 1, 1)
    return first, after - dt.timedelta(days=1)


def secretary() -> User:
    """A PPC Office officer in working group no. 4's secretariat, who signs in."""
    user = User.objects.create_user(SECRETARY, password=DEMO_PASSWORD, full_name="Lê Thư Ký")
    Membership.objects.create(
        user=user, agency=Agency.objects.get(code=PPC_OFFICE), role=Role.SPECIALIST
    )
    return user


def concluded_inspection(writer: User):
    """Working group no. 4 visited xã Văn Hiến today and found its online intake low."""
    today = selectors.today()
    van_hien = AdministrativeUnit.objects.get(code=VAN_HIEN)
    group = services.save_group(
        writer,
        services.GroupSpec(
            number="4",
            name="Tổ công tác số 4",
            term_start=dt.date(2025, 7, 1),
            leader_title="Phó Chủ tịch UBND tỉnh",
            secretariat_agency=Agency.objects.get(code=PPC_OFFICE),
            communes=[van_hien],
        ),
    )
    inspection = services.plan_inspection(writer, group, held_on=today, communes=[van_hien])
    services.start_inspection(writer, inspection)
    finding = services.record_finding(
        writer,
        inspection,
        services.FindingSpec(
            commune=van_hien,
            category=Finding.Category.LOW_ONLINE_INTAKE,
            text="Tỷ lệ tiếp nhận hồ sơ trực tuyến thấp",
            agency_to_act=Agency.objects.get(code=VAN_HIEN_COMMITTEE),
        ),
    )
    services.conclude_inspection(
        writer,
        inspection,
        number="125/TB-UBND",
        date=today,
        summary="Kết luận của Tổ công tác",
        text="Các xã vận hành ổn định.",
    )
    return inspection, finding


def a_dossier_at_van_hien() -> None:
    """One dossier received at the desk this quarter: the online share is 0 %."""
    dossiers.receive(
        User.objects.get(username=LEAD_OFFICER),
        procedure=Procedure.objects.get(national_code="X.HT.001"),
        receiving_agency=Agency.objects.get(code=VAN_HIEN_DESK),
        applicant=Applicant(name="Đinh Văn Tú", id_number="040195012345"),
    )


def test_the_secretariat_issues_a_directive_with_a_target_and_reads_its_value(officer):
    inspection, finding = concluded_inspection(secretary())
    a_dossier_at_van_hien()
    start, end = quarter_of(selectors.today())
    page = officer(SECRETARY)
    page.get_by_role("link", name="Nhiệm vụ", exact=True).click()
    page.get_by_role("link", name="Giao nhiệm vụ").click()
    page.get_by_test_id("inspections").get_by_role("link").click()
    directive = page.get_by_role("group", name="Nhiệm vụ", exact=True)
    directive.get_by_label("Tên nhiệm vụ").fill("Nâng tỷ lệ tiếp nhận trực tuyến tại xã Văn Hiến")
    directive.get_by_label("Đơn vị chủ trì").select_option(
        label=Agency.objects.get(code=VAN_HIEN_COMMITTEE).name
    )
    directive.get_by_label("Thời hạn").fill(end.isoformat())
    page.get_by_label("Kết quả cần đạt").fill("Tỷ lệ tiếp nhận trực tuyến từ 40 % trở lên")
    page.get_by_label(finding.text, exact=False).check()
    page.get_by_label("Chỉ tiêu đo").select_option("kpi.online_intake_rate")
    page.get_by_label("Địa bàn").select_option(
        str(AdministrativeUnit.objects.get(code=VAN_HIEN).pk)
    )
    page.get_by_label("Kỳ đánh giá từ ngày").fill(start.isoformat())
    page.get_by_label("Kỳ đánh giá đến ngày").fill(end.isoformat())
    page.get_by_label("Phép so sánh").select_option(Comparison.AT_LEAST.value)
    page.get_by_label("Ngưỡng").fill("40")
    assert_accessible(page)
    screenshot(page, "desk-directive-issue")
    page.get_by_role("button", name="Giao nhiệm vụ").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Nâng tỷ lệ tiếp nhận trực tuyến tại xã Văn Hiến"
    )
    expect(page.get_by_test_id("status")).to_have_text("Đang thực hiện trong hạn")
    expect(page.get_by_test_id("target-value")).to_have_text("0,0 %")  # one decimal, as every rate
    expect(page.get_by_test_id("target-met")).to_have_text("Chưa đạt")
    expect(page.get_by_test_id("findings")).to_contain_text(finding.text)
    assert inspection.directives.get().target.threshold == Decimal(40)
    assert_accessible(page)
    screenshot(page, "desk-directive")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "desk-directive-phone")


def test_the_lead_agency_reports_until_the_secretariat_closes_the_directive(officer):
    writer = secretary()
    inspection, finding = concluded_inspection(writer)
    a_dossier_at_van_hien()
    start, end = quarter_of(selectors.today())
    directive = services.issue_directive(
        writer,
        inspection,
        services.DirectiveSpec(
            title="Nâng tỷ lệ tiếp nhận trực tuyến tại xã Văn Hiến",
            lead_agency=Agency.objects.get(code=VAN_HIEN_COMMITTEE),
            deadline=end,
            expected_result="Tỷ lệ tiếp nhận trực tuyến từ 40 % trở lên",
            findings=[finding],
            target=services.TargetSpec(
                measure_key="kpi.online_intake_rate",
                unit=AdministrativeUnit.objects.get(code=VAN_HIEN),
                period_start=start,
                period_end=end,
                comparison=Comparison.AT_LEAST,
                threshold=Decimal(40),
            ),
        ),
    )
    address = f"/desk/giam-sat/nhiem-vu/{directive.pk}/"

    clerk = officer(SECRETARY)
    clerk.goto("/desk/giam-sat/theo-doi/")
    expect(clerk.get_by_test_id("total-1")).to_have_text("1")  # in progress, within the deadline
    expect(clerk.get_by_test_id("total-5")).to_have_text("0")  # closed, not achieved

    lead = officer(LEAD_OFFICER)
    lead.goto(address)
    form = lead.get_by_test_id("update-form")
    form.get_by_label("Nội dung đã thực hiện").fill("Đã hướng dẫn người dân nộp hồ sơ trực tuyến")
    form.get_by_label("Tiến độ (%)").fill("30")
    form.get_by_role("button", name="Gửi báo cáo").click()
    expect(lead.get_by_test_id("history").locator(":scope > li")).to_have_count(1)
    form = lead.get_by_test_id("update-form")
    form.get_by_label("Nội dung đã thực hiện").fill("Đã bố trí máy tính hỗ trợ tại bộ phận một cửa")
    form.get_by_label("Tiến độ (%)").fill("60")
    form.get_by_label("Tệp đính kèm").set_input_files(
        {"name": "bao-cao.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    form.get_by_role("button", name="Gửi báo cáo").click()
    history = lead.get_by_test_id("history")
    expect(history.locator(":scope > li")).to_have_count(2)
    expect(history.get_by_role("link", name="bao-cao.pdf")).to_be_visible()
    with lead.expect_download() as download:
        history.get_by_role("link", name="bao-cao.pdf").click()
    assert download.value.suggested_filename == "bao-cao.pdf"

    clerk.goto(address)
    close = clerk.get_by_test_id("close-form")
    close.locator("input[name=outcome][value=achieved]").check()
    close.get_by_label("Kết quả", exact=True).fill("Đã hoàn thành các biện pháp hỗ trợ")
    close.get_by_role("button", name="Kết thúc nhiệm vụ").click()
    expect(clerk.get_by_test_id("close-error")).to_contain_text("Chỉ tiêu của nhiệm vụ chưa đạt")
    expect(clerk.get_by_test_id("closing")).to_have_count(0)
    assert_accessible(clerk)
    screenshot(clerk, "desk-directive-close-refused")
    close = clerk.get_by_test_id("close-form")
    close.locator("input[name=outcome][value=not_achieved]").check()
    close.get_by_label("Lý do không hoàn thành").fill("Người dân chưa quen nộp hồ sơ trực tuyến")
    close.get_by_role("button", name="Kết thúc nhiệm vụ").click()
    expect(clerk.get_by_test_id("closing")).to_contain_text("Người dân chưa quen")
    expect(clerk.get_by_test_id("status")).to_have_text("Không hoàn thành (đã đóng)")
    screenshot(clerk, "desk-directive-closed")

    clerk.get_by_role("link", name="Nhiệm vụ", exact=True).first.click()
    expect(clerk.get_by_test_id("total-1")).to_have_text("0")
    expect(clerk.get_by_test_id("total-5")).to_have_text("1")
    assert_accessible(clerk)
    screenshot(clerk, "desk-directive-follow-up")
    clerk.get_by_test_id("total-5").get_by_role("link").click()
    expect(clerk.get_by_test_id("result-count")).to_have_text("1 nhiệm vụ")
