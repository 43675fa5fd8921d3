"""The desk's main journeys in a real browser, each checked with axe-core on the way."""

import re

from playwright.sync_api import Page, expect

from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Procedure
from haicap.dossiers import services
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.models import Dossier
from haicap.units.models import Agency
from tests.e2e.conftest import assert_accessible, screenshot

DRAFT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def a_received_dossier(user) -> Dossier:
    return services.receive(
        user("tiepnhan.doluong"),
        procedure=Procedure.objects.get(national_code="X.HT.001"),
        receiving_agency=Agency.objects.get(code="17662.05.H40"),
        applicant=Applicant(name="Lê Thị Thu", id_number="040195012345", phone="0912345678"),
    ).dossier


def test_desk_intake_opens_the_slip(officer, user):
    page: Page = officer("tiepnhan.doluong")
    page.get_by_role("link", name="Tiếp nhận hồ sơ").click()
    page.get_by_label("Gõ một phần tên thủ tục").fill("dang ky khai sinh")
    match = page.get_by_role("button", name="Đăng ký khai sinh", exact=True)
    expect(match).to_be_visible()
    # The matches read as links, legible on the page (they were once white on white).
    assert match.evaluate("b => getComputedStyle(b).color") == "rgb(11, 92, 173)"
    assert_accessible(page)
    match.click()
    expect(page.get_by_test_id("chosen-procedure")).to_contain_text("X.HT.001")
    for box in page.get_by_test_id("chosen-procedure").get_by_role("checkbox").all():
        box.check()
    page.get_by_label("Họ tên người nộp").fill("Nguyễn Văn Bình")
    page.get_by_label("Số định danh cá nhân").fill("04019501234")
    page.get_by_label("Điện thoại").fill("0987654321")
    expect(page.locator("#check-id_number")).to_contain_text("12 chữ số")  # checked as typed
    page.get_by_label("Số định danh cá nhân").fill("040195012345")
    expect(page.locator("#check-id_number")).to_be_empty()
    assert_accessible(page)
    screenshot(page, "desk-intake")
    page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()

    expect(page.get_by_test_id("received")).to_contain_text("Hồ sơ đã được tiếp nhận")
    dossier = Dossier.objects.get(applicant_name="Nguyễn Văn Bình")
    expect(page.get_by_role("heading", name=f"Hồ sơ {dossier.code}")).to_be_visible()
    slip_url = page.locator("iframe.slip").get_attribute("src")
    slip = page.request.get(slip_url)
    assert slip.headers["content-type"] == "application/pdf"
    assert slip.body().startswith(b"%PDF")
    # The slip shows in its frame on the page (a frame policy refusing it leaves an error page).
    preview = page.locator("iframe.slip").element_handle().content_frame()
    preview.wait_for_load_state()
    assert preview.url.endswith(slip_url)
    assert preview.evaluate("document.contentType") == "application/pdf"
    assert_accessible(page)
    screenshot(page, "desk-dossier-received")


def test_specialist_submits_leader_approves_desk_returns(officer, user):
    code = a_received_dossier(user).code
    desk = officer("tiepnhan.doluong")
    expect(desk.get_by_test_id("count-unassigned").locator("strong")).to_have_text("1")
    screenshot(desk, "desk-home")
    desk.get_by_role("link", name=code).first.click()
    desk.get_by_role("button", name="Chuyển xử lý").click()
    expect(desk.get_by_test_id("status")).to_contain_text("Đang thẩm định, xử lý")

    specialist = officer("chuyenvien.doluong")
    specialist.goto(f"/desk/ho-so/{code}/")
    # before the click, the button says what it still needs
    expect(specialist.get_by_role("button", name="Trình lãnh đạo")).to_be_disabled()
    expect(specialist.get_by_test_id("needs-document")).to_contain_text("dự thảo kết quả")
    specialist.get_by_label("Tên giấy tờ").fill("Dự thảo giấy khai sinh")
    specialist.get_by_label("Tệp (PDF, PNG hoặc JPEG, tối đa 10 MB)").set_input_files(
        {"name": "du-thao.pdf", "mimeType": "application/pdf", "buffer": DRAFT}
    )
    specialist.get_by_role("button", name="Thêm giấy tờ").click()
    expect(specialist.get_by_role("link", name="Dự thảo giấy khai sinh")).to_be_visible()
    assert_accessible(specialist)
    screenshot(specialist, "desk-dossier")
    specialist.get_by_role("button", name="Trình lãnh đạo").click()
    expect(specialist.get_by_test_id("status")).to_contain_text("Chờ lãnh đạo phê duyệt")

    leader = officer("lanhdao.doluong")
    leader.get_by_role("link", name="Phê duyệt", exact=True).click()
    row = leader.locator("tr", has_text=code)
    expect(row.get_by_role("link", name="Dự thảo giấy khai sinh")).to_be_visible()
    assert_accessible(leader)
    screenshot(leader, "desk-approvals")
    row.get_by_role("button", name="Phê duyệt").click()
    expect(leader.locator("tr", has_text=code)).to_contain_text("Đã phê duyệt")

    desk.reload()
    desk.get_by_label("Người nhận kết quả (họ tên)").fill("Lê Thị Thu")
    desk.get_by_label("Số định danh cá nhân của người nhận").fill("040195012345")
    desk.get_by_role("button", name="Trả kết quả cho người nộp").click()
    expect(desk.get_by_test_id("status")).to_contain_text("Đã trả kết quả")
    expect(desk.get_by_test_id("collected")).to_contain_text("Lê Thị Thu")
    expect(desk.get_by_test_id("timeline")).to_contain_text("Phê duyệt, ký kết quả")
    assert Dossier.objects.get(code=code).outcome == "returned"


def test_supplement_request_pauses_and_the_complete_dossier_restarts(officer, user):
    dossier = a_received_dossier(user)
    services.act(user("tiepnhan.doluong"), dossier.code, "forward")
    specialist = officer("chuyenvien.doluong")
    specialist.goto(f"/desk/ho-so/{dossier.code}/")
    form = specialist.locator("form.action", has_text="Yêu cầu bổ sung hồ sơ")
    form.get_by_label("Ghi chú (bắt buộc)").fill("Thiếu giấy chứng sinh bản chính")
    form.get_by_role("button", name="Yêu cầu bổ sung hồ sơ").click()
    expect(specialist.get_by_test_id("status")).to_contain_text("Chờ bổ sung hồ sơ")
    expect(specialist.get_by_test_id("status")).to_contain_text("tạm dừng tính thời gian")
    expect(specialist.get_by_role("link", name=re.compile("mẫu 02"))).to_be_visible()
    assert_accessible(specialist)

    desk = officer("tiepnhan.doluong")
    desk.goto(f"/desk/ho-so/{dossier.code}/")
    desk.get_by_role("button", name="Đã nhận đủ hồ sơ bổ sung").click()
    expect(desk.get_by_test_id("status")).to_contain_text("Đang thẩm định, xử lý")
    expect(desk.get_by_test_id("status")).not_to_contain_text("tạm dừng")
    restarted = Dossier.objects.get(pk=dossier.pk)
    # the legal time starts again from the complete dossier: never earlier than first promised
    assert restarted.paused_at is None and restarted.due_at >= dossier.due_at
    assert restarted.events.get(action="supplement_received").clock == "restart"


def test_a_commune_officer_cannot_open_another_communes_dossier_by_url(officer, user):
    code = a_received_dossier(user).code
    stranger = officer("tiepnhan.vanhien")
    response = stranger.goto(f"/desk/ho-so/{code}/")
    assert response.status == 404
    expect(stranger.get_by_text("Lê Thị Thu")).to_have_count(0)
    assert_accessible(stranger)


def test_the_dossier_list_filters_as_the_officer_types(officer, user):
    a_received_dossier(user)
    desk = officer("tiepnhan.doluong")
    desk.get_by_role("link", name="Hồ sơ", exact=True).click()
    expect(desk.get_by_test_id("result-count")).to_have_text("1 hồ sơ")
    desk.get_by_label("Người nộp hoặc mã hồ sơ").fill("le thi thu")
    expect(desk).to_have_url(re.compile(r"q=le(\+|%20)thi(\+|%20)thu"))
    expect(desk.get_by_test_id("result-count")).to_have_text("1 hồ sơ")
    with desk.expect_download() as download:
        desk.get_by_test_id("export").click()
    assert download.value.suggested_filename == "ho-so.xlsx"
    desk.get_by_label("Người nộp hoặc mã hồ sơ").fill("khong ai")
    expect(desk.get_by_test_id("result-count")).to_have_text("0 hồ sơ")
    assert_accessible(desk)
    screenshot(desk, "desk-dossiers")


def test_an_action_someone_else_already_took_is_refused_on_screen(officer, user):
    code = a_received_dossier(user).code
    desk = officer("tiepnhan.doluong")
    desk.goto(f"/desk/ho-so/{code}/")
    services.act(user("tiepnhan.doluong"), code, "forward")  # a colleague, a moment earlier
    desk.get_by_role("button", name="Chuyển xử lý").click()
    expect(desk.get_by_test_id("action-error")).to_contain_text("người khác cập nhật")
    expect(desk.get_by_test_id("status")).to_contain_text("Đang thẩm định, xử lý")


def test_the_log_book_opens_on_the_officers_desk_and_its_date_boxes_hold_the_period(officer, user):
    dossier = a_received_dossier(user)
    desk = officer("tiepnhan.doluong")
    desk.get_by_role("link", name="Sổ theo dõi hồ sơ").click()
    today = dossier.received_at.astimezone(VIETNAM).date()
    expect(desk.get_by_label("Bộ phận một cửa")).to_have_value(str(dossier.receiving_agency_id))
    expect(desk.get_by_label("Từ ngày")).to_have_value(f"{today.replace(day=1):%Y-%m-%d}")
    expect(desk.get_by_label("Đến ngày")).to_have_value(f"{today:%Y-%m-%d}")
    desk.get_by_role("button", name="Xem").click()  # the browser sends back what it shows
    expect(desk.get_by_test_id("log-book")).to_contain_text(dossier.code)
    expect(desk.get_by_role("alert")).to_have_count(0)
    assert_accessible(desk)
