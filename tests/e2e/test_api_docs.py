"""The API documentation page works on a machine with no internet."""

from urllib.parse import urlparse

from playwright.sync_api import Page, Route, expect


def test_the_api_docs_render_with_every_request_kept_on_this_server(page: Page, live_server):
    here = urlparse(live_server.url).netloc
    elsewhere: list[str] = []

    def only_here(route: Route) -> None:
        if urlparse(route.request.url).netloc == here:
            route.continue_()
        else:  # no internet: anything fetched from another host fails
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_here)
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("haicap API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert elsewhere == []
