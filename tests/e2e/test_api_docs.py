"""The API's documentation page (Swagger UI) in a real browser, under the page's own policy."""

from pathlib import Path
from urllib.parse import urlparse

import ninja
from playwright.sync_api import Page, Route, expect

# There is no network here: the files the page asks the CDN and django-ninja's site for are
# answered with the copies django-ninja ships (the same Swagger UI).
NINJA_STATIC = Path(ninja.__file__).parent / "static" / "ninja"


def from_ninja_copies(route: Route) -> None:
    route.fulfill(path=NINJA_STATIC / Path(urlparse(route.request.url).path).name)


def test_the_api_documentation_page_runs_under_the_content_security_policy(page: Page):
    page.route("https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/*", from_ninja_copies)
    page.route("https://django-ninja.dev/img/*", from_ninja_copies)
    page.goto("/api/v1/docs")
    # Swagger UI ran (its inline start-up script included) and read the OpenAPI document.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("haicap API")
    expect(page.locator(".opblock").first).to_be_visible()
