"""A commune officer signs in, browses the registry, filters it and follows a unit's lineage."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot, sign_in


def test_an_officer_signs_in_and_browses_the_registry(page: Page, demo_password: str):
    page.goto("/")
    screenshot(page, "portal-home")

    sign_in(page, "tiepnhan.doluong", demo_password)
    # (the README's picture of the home is taken by the dossier journey, with work in it)
    expect(page.get_by_role("heading", name="Xin chào, Phạm Thị Lan")).to_be_visible()

    page.get_by_role("link", name="Đơn vị hành chính").first.click()
    expect(page.get_by_test_id("result-count")).to_have_text("131 đơn vị")

    # typing filters the table through htmx, without diacritics, and keeps the URL shareable
    page.get_by_label("Tìm kiếm").fill("thuan trung")
    expect(page.get_by_test_id("result-count")).to_have_text("1 đơn vị")
    expect(page).to_have_url(re.compile(r"q=thuan(\+|%20)trung"))
    screenshot(page, "desk-units")

    page.get_by_role("link", name="xã Thuần Trung").click()
    expect(page.get_by_role("heading", name="xã Thuần Trung")).to_be_visible()
    expect(page.get_by_test_id("predecessors")).to_contain_text("xã Minh Sơn")
    expect(page.get_by_text("17689").first).to_be_visible()

    page.get_by_role("link", name="xã Minh Sơn").click()
    expect(page.get_by_test_id("current-successors")).to_contain_text("xã Thuần Trung")
    screenshot(page, "desk-unit-lineage")


def test_an_officer_sees_only_the_agencies_of_their_commune_and_the_province(
    page: Page, demo_password: str
):
    sign_in(page, "tiepnhan.doluong", demo_password)
    page.get_by_role("link", name="Cơ quan", exact=True).click()
    expect(page.get_by_test_id("result-count")).to_have_text("20 cơ quan")
    page.get_by_label("Tìm kiếm").fill("van hien")
    expect(page.get_by_test_id("result-count")).to_have_text("0 cơ quan")


def test_the_desk_switches_to_english(page: Page, demo_password: str):
    sign_in(page, "giamsat", demo_password)
    page.get_by_label("Ngôn ngữ").select_option("en")
    expect(page.get_by_role("heading", name="Welcome, Nguyễn Văn Giám")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_wrong_password_keeps_the_officer_out(page: Page):
    sign_in(page, "tiepnhan.doluong", "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("mật khẩu chính xác")
    expect(page).to_have_url(re.compile(r"/desk/login/"))
