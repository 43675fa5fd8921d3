"""A citizen files online, reloads the confirmation, goes back and sends the form again: one
submission, and the PIN shown once."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from haicap.dossiers.models import OnlineSubmission
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, assert_accessible

SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def citizen(browser: Browser, live_server, committed_demo) -> Iterator[Page]:
    """A browser as citizens have it: Playwright turns the back-forward cache off, Chromium
    has it on, and it is what brings back the very form (its token and files) on Back."""
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    context = chromium.new_context(base_url=live_server.url, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    chromium.close()


def test_reload_back_and_resubmit_file_one_submission(citizen: Page):
    page = citizen
    page.goto("/thu-tuc/X.HT.001/nop-truc-tuyen/")
    form_url = page.url
    page.get_by_label("Họ tên người nộp").fill("Lê Thị Mai")
    page.get_by_label("Số định danh cá nhân").fill("040195012345")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Bộ phận một cửa").select_option(
        label="Trung tâm Phục vụ hành chính công xã Đô Lương"
    )
    page.get_by_label("Bản quét giấy tờ").set_input_files(
        {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": SCAN}
    )
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page).to_have_url(re.compile(r"/nop-truc-tuyen/TT-[A-Z0-9]+/$"))
    reference = page.get_by_test_id("reference").inner_text().strip()
    pin = page.get_by_test_id("pin").inner_text().strip()
    assert len(pin) == 6 and pin not in page.url
    confirmation_url = page.url

    page.reload()
    expect(page.get_by_test_id("reference")).to_have_text(reference)
    expect(page.get_by_test_id("pin")).to_have_count(0)
    expect(page.get_by_test_id("pin-already-shown")).to_be_visible()
    assert pin not in page.content()
    assert_accessible(page)

    page.go_back(wait_until="commit")  # a page from the back-forward cache fires no load
    expect(page).to_have_url(form_url)  # the redirect left no POST in the history to resend
    expect(page.get_by_label("Họ tên người nộp")).to_have_value("Lê Thị Mai")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page).to_have_url(confirmation_url)
    expect(page.get_by_test_id("reference")).to_have_text(reference)
    expect(page.get_by_test_id("pin")).to_have_count(0)

    assert OnlineSubmission.objects.filter(applicant_name="Lê Thị Mai").count() == 1
