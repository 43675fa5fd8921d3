"""Issue 16's one-stop journey, end to end in a real browser (Decree 118/2025).

A citizen on a phone files X.HT.006 (a copy of a civil-status extract; fee 8 000 đồng, Decree
118 Art. 24) online at the Đô Lương desk, asking for the result electronically, and pays on the
payment simulator's own page (the browser really goes there and back: the page's
Content-Security-Policy must let the pay form lead there). She uploaded a scan of her citizen ID
card and brings the signed request form on paper: the desk accepts the filing and digitises that
paper, received on paper (Decree 118 Art. 17(1)(c)). The specialist drafts and submits, the
leader approves and the result is signed (Art. 22) with the demo test CA; the citizen downloads
it with the code and PIN and the signature checks valid, and invalid once a byte changes; the
desk hands it back electronically and her look-up says so.
"""

from concurrent.futures import ThreadPoolExecutor

from playwright.sync_api import Browser, expect

from haicap.dossiers import pades, signing
from haicap.dossiers.models import DigitisedPaper, Dossier, SignedResult
from haicap.payments.models import Payment
from tests.dossiers.test_digitising import page_image
from tests.dossiers.test_signed_results import signing_on  # noqa: F401 (a fixture)
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_citizen_journey import PHONE, SCAN, no_sideways_scroll
from tests.e2e.test_dossier_journeys import DRAFT
from tests.payments.conftest import gateway_for  # noqa: F401 (a fixture)

REQUEST_FORM = "Tờ khai cấp bản sao trích lục hộ tịch"  # X.HT.006's one paper to digitise


def verdict(pdf: bytes) -> pades.Verdict:
    """The project's check of a signed PDF. It runs in a thread of its own: the validator starts
    an event loop, and Playwright's sync API already runs one in the test's thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(pades.verify, pdf, signing.trust_roots()).result().verdict


def test_file_pay_digitise_sign_and_return_electronically(
    browser: Browser,
    live_server,
    committed_demo,
    officer,
    gateway_for,  # noqa: F811
    signing_on,  # noqa: F811
):
    gateway = gateway_for()
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=PHONE)
    citizen = context.new_page()
    citizen.set_default_timeout(15_000)
    try:
        # --- the citizen files online, the result to come electronically
        citizen.goto("/thu-tuc/X.HT.006/nop-truc-tuyen/")
        citizen.get_by_label("Họ tên người nộp").fill("Phan Thị Ngọc")
        citizen.get_by_label("Số định danh cá nhân").fill("040195012345")
        citizen.get_by_label("Số điện thoại").fill("0912345678")
        citizen.get_by_label("Bộ phận một cửa").select_option(
            label="Trung tâm Phục vụ hành chính công xã Đô Lương"
        )
        citizen.get_by_label("Nhận bản điện tử").check()
        citizen.get_by_label("Bản quét giấy tờ").set_input_files(
            {"name": "can-cuoc.pdf", "mimeType": "application/pdf", "buffer": SCAN}
        )
        assert no_sideways_scroll(citizen)
        citizen.get_by_role("button", name="Nộp hồ sơ").click()
        reference = citizen.get_by_test_id("reference").inner_text().strip()
        pin = citizen.get_by_test_id("pin").inner_text().strip()
        expect(citizen.get_by_test_id("payment-amount")).to_have_text("8.000")
        assert_accessible(citizen)

        # --- she pays on the gateway's page, and is sent back to her confirmation
        citizen.get_by_test_id("pay-online").click()
        host, port = gateway.server_address[:2]
        citizen.wait_for_url(f"http://{host}:{port}/**")
        citizen.get_by_label("Người nộp").fill("Phan Thị Ngọc")
        citizen.get_by_role("button", name="Thanh toán").click()
        citizen.wait_for_url(f"**/nop-truc-tuyen/{reference}/")
        expect(citizen.get_by_test_id("payment-status")).to_have_text("Đã thanh toán")
        assert Payment.objects.get().status == "paid"

        # --- the desk accepts the filing and digitises the paper she brought
        desk = officer("tiepnhan.doluong")
        desk.get_by_role("link", name="Hồ sơ nộp trực tuyến").first.click()
        row = desk.locator("tr", has_text=reference)
        row.get_by_role("button", name="Tiếp nhận").click()
        expect(row).to_contain_text("Đã tiếp nhận thành hồ sơ")
        dossier = Dossier.objects.get(applicant_name="Phan Thị Ngọc")
        code = dossier.code
        assert (dossier.channel, dossier.result_delivery) == ("online", "electronic")

        desk.goto(f"/desk/ho-so/{code}/")
        expect(desk.get_by_test_id("online-papers-note")).to_be_visible()
        desk.get_by_label("Giấy tờ được quét").select_option(REQUEST_FORM)
        desk.get_by_label("Các trang đã quét").set_input_files(
            {"name": "to-khai.png", "mimeType": "image/png", "buffer": page_image()}
        )
        desk.get_by_label("Số trang anh/chị đếm được trên giấy tờ").fill("1")
        desk.get_by_role("button", name="Số hóa giấy tờ").click()
        row = desk.get_by_test_id("digitised-papers").locator("tr", has_text=REQUEST_FORM)
        expect(row).to_contain_text("1 trang · quét tại bộ phận một cửa")
        assert DigitisedPaper.objects.get(dossier__code=code).pages == 1
        assert_accessible(desk)
        desk.get_by_role("button", name="Chuyển xử lý").click()
        expect(desk.get_by_test_id("status")).to_contain_text("Đang thẩm định, xử lý")

        # --- the specialist drafts and submits, the leader approves: the result is signed
        specialist = officer("chuyenvien.doluong")
        specialist.goto(f"/desk/ho-so/{code}/")
        specialist.get_by_label("Tên giấy tờ").fill("Dự thảo bản sao trích lục")
        specialist.get_by_label("Tệp (PDF, PNG hoặc JPEG, tối đa 10 MB)").set_input_files(
            {"name": "du-thao.pdf", "mimeType": "application/pdf", "buffer": DRAFT}
        )
        specialist.get_by_role("button", name="Thêm giấy tờ").click()
        expect(specialist.get_by_role("link", name="Dự thảo bản sao trích lục")).to_be_visible()
        specialist.get_by_role("button", name="Trình lãnh đạo").click()
        expect(specialist.get_by_test_id("status")).to_contain_text("Chờ lãnh đạo phê duyệt")

        leader = officer("lanhdao.doluong")
        leader.get_by_role("link", name="Phê duyệt", exact=True).click()
        leader.locator("tr", has_text=code).get_by_role("button", name="Phê duyệt").click()
        expect(leader.locator("tr", has_text=code)).to_contain_text("Đã phê duyệt")
        assert SignedResult.objects.filter(dossier__code=code).exists()

        # --- the citizen downloads the signed result with the code and PIN
        citizen.goto("/tra-cuu-ho-so/")
        citizen.get_by_label("Mã tra cứu").fill(pin)
        citizen.get_by_label("Mã hồ sơ hoặc mã nộp trực tuyến").fill(code)
        citizen.get_by_role("button", name="Tra cứu").click()
        expect(citizen.get_by_test_id("signed-result")).to_be_visible()
        assert no_sideways_scroll(citizen)
        assert_accessible(citizen)
        href = citizen.get_by_role("link", name="Tải kết quả đã ký số (PDF)").get_attribute("href")
        download = citizen.request.get(href)
        assert download.headers["content-type"] == "application/pdf"
        pdf = download.body()
        assert verdict(pdf) == pades.Verdict.VALID
        changed = bytearray(pdf)
        changed[len(changed) // 4] ^= 0x20  # inside the first signed range
        assert verdict(bytes(changed)) == pades.Verdict.INVALID

        # --- the desk hands it back electronically; her look-up says so
        desk.reload()
        desk.get_by_test_id("returned-via").select_option("electronic")
        desk.get_by_role("button", name="Trả kết quả cho người nộp").click()
        expect(desk.get_by_test_id("status")).to_contain_text("Đã trả kết quả")
        citizen.get_by_label("Mã tra cứu").fill(pin)
        citizen.get_by_label("Mã hồ sơ hoặc mã nộp trực tuyến").fill(code)
        citizen.get_by_role("button", name="Tra cứu").click()
        expect(citizen.get_by_test_id("returned-via")).to_have_text("Nhận bản điện tử")
        expect(citizen.get_by_test_id("dossier-status")).to_contain_text("Đã trả kết quả")
        assert_accessible(citizen)
    finally:
        context.close()
