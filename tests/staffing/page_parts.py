"""Reading parts of a page by their ``data-testid``: an element's attributes, its text (spaces
made single) and the links inside it."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Part:
    tag: str
    attrs: dict[str, str]
    texts: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())


class _Finder(HTMLParser):
    def __init__(self, testid: str) -> None:
        super().__init__(convert_charrefs=True)
        self.testid = testid
        self.found: list[Part] = []
        self._open: list[tuple[Part, int]] = []  # the parts being read, and their depth
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in VOID:
            return
        self._depth += 1
        if values.get("data-testid") == self.testid:
            part = Part(tag, values)
            self.found.append(part)
            self._open.append((part, self._depth))
        if tag == "a":
            for part, _depth in self._open:
                part.links.append(values.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        self._open = [(p, d) for p, d in self._open if d < self._depth]
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        for part, _depth in self._open:
            part.texts.append(data)


def parts(page: str, testid: str) -> list[Part]:
    finder = _Finder(testid)
    finder.feed(page)
    return finder.found


def part(page: str, testid: str) -> Part:
    found = parts(page, testid)
    assert len(found) == 1, (testid, len(found))
    return found[0]
