"""A citizen on a phone files online, the desk accepts, the citizen follows the dossier."""

from playwright.sync_api import Browser, expect

from haicap.dossiers.models import Dossier
from tests.e2e.conftest import assert_accessible, screenshot

PHONE = {"width": 360, "height": 740}
SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_citizen_files_online_desk_accepts_citizen_looks_it_up(
    browser: Browser, live_server, committed_demo, officer
):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=PHONE)
    citizen = context.new_page()
    citizen.set_default_timeout(15_000)
    try:
        citizen.goto("/thu-tuc/")
        citizen.get_by_label("Tìm kiếm", exact=True).fill("dang ky khai sinh")
        citizen.get_by_role("link", name="Đăng ký khai sinh", exact=True).click()
        expect(citizen.get_by_role("heading", name="Đăng ký khai sinh")).to_be_visible()
        assert no_sideways_scroll(citizen)
        assert_accessible(citizen)
        screenshot(citizen, "portal-catalogue")

        citizen.get_by_role("link", name="Nộp trực tuyến").first.click()
        citizen.get_by_label("Họ tên người nộp").fill("Phan Thị Ngọc")
        citizen.get_by_label("Số định danh cá nhân").fill("040195012345")
        citizen.get_by_label("Số điện thoại").fill("0912345678")
        citizen.get_by_label("Bộ phận một cửa").select_option(
            label="Trung tâm Phục vụ hành chính công xã Đô Lương"
        )
        citizen.get_by_label("Bản quét giấy tờ").set_input_files(
            {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": SCAN}
        )
        assert no_sideways_scroll(citizen)
        assert_accessible(citizen)
        citizen.get_by_role("button", name="Nộp hồ sơ").click()
        reference = citizen.get_by_test_id("reference").inner_text().strip()
        pin = citizen.get_by_test_id("pin").inner_text().strip()
        assert reference.startswith("TT-") and len(pin) == 6
        assert_accessible(citizen)

        desk = officer("tiepnhan.doluong")
        desk.get_by_role("link", name="Hồ sơ nộp trực tuyến").first.click()
        row = desk.locator("tr", has_text=reference)
        expect(row.get_by_role("link", name="to-khai")).to_be_visible()
        assert_accessible(desk)
        row.get_by_role("button", name="Tiếp nhận").click()
        expect(row).to_contain_text("Đã tiếp nhận thành hồ sơ")
        code = Dossier.objects.get(applicant_name="Phan Thị Ngọc").code

        citizen.get_by_role("link", name="Tra cứu hồ sơ của bạn").click()
        citizen.get_by_label("Mã tra cứu").fill(pin)
        citizen.get_by_role("button", name="Tra cứu").click()
        expect(citizen.get_by_test_id("submission-status")).to_contain_text(code)
        citizen.get_by_role("link", name="Tra cứu hồ sơ", exact=True).last.click()
        citizen.get_by_label("Mã tra cứu").fill(pin)
        citizen.get_by_role("button", name="Tra cứu").click()
        expect(citizen.get_by_test_id("dossier-status")).to_contain_text(
            "Đã tiếp nhận, chờ chuyển xử lý"
        )
        assert no_sideways_scroll(citizen)
        assert_accessible(citizen)
        screenshot(citizen, "portal-lookup")
    finally:
        context.close()
