"""A working group's visit in a browser: the secretariat prepares it (plans the inspection,
opens the briefing pack, takes its PDF and Excel) and records what it found, with a link to the
communes' overdue dossiers and a file."""

import datetime as dt
import re
from io import BytesIO

from openpyxl import load_workbook
from playwright.sync_api import expect

from haicap.accounts.models import User
from haicap.oversight import services
from haicap.oversight.models import Inspection, WorkingGroup
from haicap.units.models import AdministrativeUnit, Agency
from tests.e2e.conftest import assert_accessible, screenshot
from tests.portal.helpers import PDF

SECRETARY = "admin"  # a member of the PPC Office, the group's secretariat agency
PPC_OFFICE = "000.01.00.H40"
COMMUNES = ("17662", "17623", "17677", "17707", "17689", "17641")  # the former Đô Lương district
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def working_group() -> WorkingGroup:
    return services.save_group(
        User.objects.get(username=SECRETARY),
        services.GroupSpec(
            number="4",
            name="Tổ công tác số 4",
            term_start=dt.date(2025, 7, 1),
            leader_title="Phó Chủ tịch UBND tỉnh",
            member_agencies=list(Agency.objects.filter(code__in=["000.03.00.H40", PPC_OFFICE])),
            secretariat_agency=Agency.objects.get(code=PPC_OFFICE),
            communes=list(AdministrativeUnit.objects.filter(code__in=COMMUNES)),
        ),
    )


def test_the_secretariat_prepares_a_visit(officer):
    working_group()
    desk = officer(SECRETARY)
    desk.get_by_role("link", name="Tổ công tác", exact=True).click()
    desk.get_by_role("link", name="Tổ công tác số 4").click()
    expect(desk.get_by_test_id("communes")).to_contain_text("xã Lương Sơn")
    desk.get_by_role("link", name="Lập kế hoạch kiểm tra").click()
    desk.get_by_label("Ngày kiểm tra").fill("2026-12-15")
    desk.get_by_label("xã Đô Lương").check()
    desk.get_by_label("xã Văn Hiến").check()
    desk.get_by_label("Nội dung làm việc").fill("Nghe báo cáo tình hình vận hành hai cấp")
    assert_accessible(desk)
    desk.get_by_role("button", name="Lập kế hoạch kiểm tra").click()
    expect(desk.get_by_test_id("state")).to_have_text("Đã lên kế hoạch")
    expect(desk.get_by_test_id("inspection-facts")).to_contain_text("xã Văn Hiến")
    screenshot(desk, "oversight-inspection-planned")

    desk.get_by_test_id("briefing-pack").click()
    expect(desk.get_by_test_id("pack-commune")).to_have_count(2)
    expect(desk.get_by_role("heading", name="xã Đô Lương")).to_be_visible()
    assert_accessible(desk)
    screenshot(desk, "oversight-briefing-pack")

    pdf = desk.request.get(desk.get_by_test_id("pack-pdf").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    with desk.expect_download() as download:
        desk.get_by_test_id("pack-xlsx").click()
    workbook = load_workbook(BytesIO(download.value.path().read_bytes()))
    assert workbook.sheetnames == ["xã Đô Lương", "xã Văn Hiến"]  # a sheet per commune
    cells = {
        value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value
    }
    assert {"XÃ ĐÔ LƯƠNG", "XÃ VĂN HIẾN"} <= cells
    excel = desk.request.get(desk.get_by_test_id("pack-xlsx").get_attribute("href"))
    assert excel.headers["content-type"] == XLSX
    assert load_workbook(BytesIO(excel.body())).active.max_row == workbook.active.max_row

    desk.set_viewport_size({"width": 390, "height": 844})
    screenshot(desk, "oversight-briefing-pack-phone")


def test_the_secretariat_records_a_finding_with_a_link_and_a_file(officer, tmp_path):
    group = working_group()
    secretary = User.objects.get(username=SECRETARY)
    today = dt.date.today()  # the conclusion is dated between the visit and today
    inspection = services.plan_inspection(
        secretary,
        group,
        held_on=today - dt.timedelta(days=1),
        communes=list(AdministrativeUnit.objects.filter(code__in=["17662", "17677"])),
    )
    services.start_inspection(secretary, inspection)
    evidence = tmp_path / "bien-ban-lam-viec.pdf"
    evidence.write_bytes(PDF)

    desk = officer(SECRETARY)
    desk.goto(f"/desk/giam-sat/kiem-tra/{inspection.pk}/")
    expect(desk.get_by_test_id("state")).to_have_text("Đang kiểm tra")  # not a dossier's word
    form = desk.get_by_test_id("finding-form")
    form.get_by_label("Xã", exact=True).select_option(label="xã Văn Hiến")
    form.get_by_label("Nhóm").select_option(
        label="Hệ thống thông tin lỗi hoặc kết nối chưa đồng bộ"
    )
    form.get_by_label("Nội dung khó khăn, vướng mắc").fill(
        "Phần mềm một cửa lỗi, chưa kết nối với Cổng dịch vụ công của tỉnh"
    )
    form.get_by_label("Cơ quan có trách nhiệm xử lý").select_option(
        label=Agency.objects.get(code=PPC_OFFICE).name
    )
    form.get_by_label("Liên kết đến một trang của haicap").fill(
        "/desk/ho-so/?unit=17677&overdue=yes"
    )
    form.get_by_label("Nội dung của liên kết").fill("Hồ sơ quá hạn tại Văn Hiến")
    form.get_by_label("Tệp minh chứng").set_input_files(str(evidence))
    form.get_by_role("button", name="Ghi nhận khó khăn, vướng mắc").click()

    findings = desk.get_by_test_id("findings")
    expect(findings).to_contain_text("chưa kết nối với Cổng dịch vụ công của tỉnh")
    expect(findings.get_by_test_id("evidence-link")).to_have_text("Hồ sơ quá hạn tại Văn Hiến")
    expect(findings.get_by_test_id("evidence-file")).to_have_text("bien-ban-lam-viec.pdf")
    assert Inspection.objects.get(pk=inspection.pk).findings.count() == 1
    assert_accessible(desk)
    screenshot(desk, "oversight-inspection-findings")
    desk.set_viewport_size({"width": 390, "height": 844})
    screenshot(desk, "oversight-inspection-findings-phone")

    paper = desk.request.get(findings.get_by_test_id("evidence-file").get_attribute("href"))
    assert paper.ok and paper.headers["content-type"] == "application/pdf"
    findings.get_by_test_id("evidence-link").click()
    expect(desk).to_have_url(re.compile(r"/desk/ho-so/\?unit=17677&overdue=yes$"))

    # the conclusion is written on the page: without it the visit is not concluded
    desk.goto(f"/desk/giam-sat/kiem-tra/{inspection.pk}/")
    conclusion = desk.get_by_test_id("conclusion-form")
    conclusion.get_by_label("Số thông báo kết luận").fill("95")
    conclusion.get_by_label("Ngày kết luận").fill(today.isoformat())
    conclusion.get_by_role("button", name="Kết luận").click()
    expect(desk.get_by_test_id("state")).to_have_text("Đang kiểm tra")
    expect(desk.get_by_test_id("conclusion-form")).to_contain_text(
        "Hãy viết nội dung kết luận: thông báo nêu nội dung này."
    )
    conclusion = desk.get_by_test_id("conclusion-form")
    conclusion.get_by_label("Nội dung kết luận của Tổ công tác").fill(
        "Xã Văn Hiến cần khắc phục lỗi phần mềm một cửa."
    )
    conclusion.get_by_role("button", name="Kết luận").click()
    expect(desk.get_by_test_id("conclusion-number")).to_have_text("95/TB-UBND")
    expect(desk.get_by_test_id("inspection-facts")).to_contain_text("khắc phục lỗi phần mềm")
