"""What a reader sees of a page: its text nodes and the attributes read aloud or shown."""

import re
from html.parser import HTMLParser

HIDDEN_CONTENT = {"script", "style", "template"}
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.hidden = 0
        self.header_rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._header: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN_CONTENT:
            self.hidden += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self._add(value)
            if tag == "input" and name == "value" and dict(attrs).get("type") == "submit":
                self._add(value or "")
        if tag == "tr":
            self._row = []
        elif tag == "th" and self._row is not None:
            self._header = []

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_CONTENT:
            self.hidden -= 1
        elif tag == "th" and self._row is not None and self._header is not None:
            self._row.append(" ".join(" ".join(self._header).split()))
            self._header = None
        elif tag == "tr" and self._row is not None:
            if len(self._row) > 1:
                self.header_rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self._add(data)
            if self._header is not None:
                self._header.append(data)

    def _add(self, text: str) -> None:
        squeezed = " ".join(text.split())
        if squeezed:
            self.texts.append(squeezed)


def parse(page: str) -> _VisibleText:
    parser = _VisibleText()
    parser.feed(page)
    parser.close()
    return parser


def visible_texts(page: str) -> list[str]:
    """Each text node and shown attribute of the page, spaces squeezed, in page order."""
    return parse(page).texts


def header_rows(page: str) -> list[list[str]]:
    """The column headings of each table row that has more than one ``<th>``."""
    return parse(page).header_rows


WORD = re.compile(r"[^\W\d_]{2,}")


def words(text: str) -> list[str]:
    """The words of a text: runs of two letters or more (codes' single letters are not words)."""
    return WORD.findall(text)
