"""The indicator pages in a browser: a supervisor's dashboard and the public figures."""

from playwright.sync_api import Browser, expect

from haicap.catalog.models import Procedure
from haicap.dossiers import services
from haicap.dossiers.applicant import Applicant
from haicap.units.models import Agency
from tests.e2e.conftest import assert_accessible, screenshot


def some_dossiers(user) -> None:
    for desk, officer in (
        ("17662.05.H40", "tiepnhan.doluong"),
        ("17677.05.H40", "tiepnhan.vanhien"),
    ):
        services.receive(
            user(officer),
            procedure=Procedure.objects.get(national_code="X.HT.001"),
            receiving_agency=Agency.objects.get(code=desk),
            applicant=Applicant(name="Đinh Văn Tú", id_number="040195012345"),
        )


def test_the_supervisor_reads_the_dashboard_and_opens_the_dossiers_behind_a_number(officer, user):
    some_dossiers(user)
    supervisor = officer("giamsat")
    supervisor.get_by_role("link", name="Chỉ số").click()
    expect(supervisor.get_by_test_id("received")).to_have_text("2")
    expect(supervisor.get_by_test_id("heat")).to_be_visible()
    assert_accessible(supervisor)
    screenshot(supervisor, "desk-indicators")
    supervisor.get_by_test_id("summary").get_by_role("link").first.click()
    expect(supervisor.get_by_test_id("result-count")).to_have_text("2 hồ sơ")


def test_the_public_figures_page(browser: Browser, live_server, committed_demo, user):
    some_dossiers(user)
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    page = context.new_page()
    try:
        page.goto("/so-lieu/")
        expect(
            page.get_by_role("heading", name="Tỉnh phục vụ người dân và doanh nghiệp thế nào")
        ).to_be_visible()
        expect(page.get_by_test_id("public-figures")).to_contain_text("Tỷ lệ đúng hạn")
        assert_accessible(page)
        screenshot(page, "portal-figures")
    finally:
        context.close()
