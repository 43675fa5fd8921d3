"""A real Chromium (Debian's /usr/bin/chromium) driven by Playwright against a live server."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; the live server's database work
# happens in its own threads, so Django's async-safety guard does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("HAICAP_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: run 'make system-deps' or apt-get install chromium"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# What Chromium writes to the console when a page's own policy blocks something.
POLICY_VIOLATIONS = ("Content Security Policy", "X-Frame-Options")


@pytest.fixture(autouse=True)
def no_policy_violations(browser: Browser) -> Iterator[None]:
    """Fail a browser test when any page it opened broke the Content-Security-Policy or the
    frame policy (a blocked script, style or frame is a page that no longer works)."""
    violations: list[str] = []
    new_context = browser.new_context

    def watched_context(**options: object) -> BrowserContext:
        context = new_context(**options)
        context.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if any(kind in message.text for kind in POLICY_VIOLATIONS)
                else None
            ),
        )
        return context

    browser.new_context = watched_context
    try:
        yield
    finally:
        del browser.new_context
    assert not violations, "\n".join(violations)


@pytest.fixture
def page(browser: Browser, live_server, committed_demo) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page: Page, name: str) -> None:
    """Keep the docs' pictures current: each browser run retakes them."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


AXE = Axe()
BLOCKING_IMPACTS = ("serious", "critical")


def assert_accessible(page: Page) -> None:
    """axe-core finds no serious or critical violation on the page as it stands."""
    violations = AXE.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in blocking
    )


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/desk/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.fixture
def officer(browser: Browser, live_server, committed_demo, demo_password: str):
    """A signed-in page for a demo officer; several may be open at once, one per officer."""
    contexts = []

    def open_as(username: str) -> Page:
        context = browser.new_context(base_url=live_server.url, locale="vi-VN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, username, demo_password)
        page.wait_for_url("**/desk/")
        return page

    yield open_as
    for context in contexts:
        context.close()
