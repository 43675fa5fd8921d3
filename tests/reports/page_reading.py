"""Reading the province's pages in the reports tests: rows marked ``data-testid`` and the
values marked inside them."""

import html
import re


def text(response) -> str:
    return html.unescape(response.content.decode())


def rows(page: str, testid: str) -> list[str]:
    """The inside of each ``<tr data-testid=testid ...>``, in order."""
    return re.findall(rf'<tr data-testid="{testid}"(.*?)</tr>', page, flags=re.S)


def marked(row: str, testid: str) -> str:
    """The text of the element marked ``testid`` in ``row`` (tags inside dropped)."""
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', row, flags=re.S)
    assert found, (testid, row)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def attribute(row: str, name: str) -> str:
    found = re.search(rf'{name}="([^"]*)"', row)
    assert found, (name, row)
    return found.group(1)
