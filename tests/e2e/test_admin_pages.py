"""The administration pages in a real browser: their scripts run under the page's policy."""

import re

from playwright.sync_api import Page, expect

from haicap.units.models import Agency


def test_the_administration_pages_run_under_the_content_security_policy(officer):
    page: Page = officer("admin")
    page.goto("/desk/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    page.goto("/desk/admin/units/agency/")
    # The change list's own script (select all, then count the chosen rows) runs.
    expect(page.locator(".action-counter")).to_contain_text(re.compile(r"^\s*0 "))
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text(re.compile(r"^\s*[1-9]"))
    page.goto(f"/desk/admin/units/agency/{Agency.objects.order_by('pk')[0].pk}/change/")
    expect(page.locator("#agency_form")).to_be_visible()
