"""What the portal tests share: an English-speaking visitor, papers, and a filing."""

import re
from html.parser import HTMLParser

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from haicap.core import clock
from tests.dossiers.test_scenarios import at

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
DO_LUONG_DESK = "17662.05.H40"
FILED_AT = at(3, 2, 21, 30)  # a Monday evening, after office hours


def visitor(**kwargs) -> Client:
    """A citizen who chose English, so the tests read the source strings."""
    client = Client(**kwargs)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text(response) -> str:
    """The page's main content with tags removed and spaces squeezed."""
    page = response.content.decode()
    main = page[page.find("<main") : page.find("</main>")] if "<main" in page else page
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


VOID_TAGS = {"br", "hr", "img", "input", "link", "meta", "wbr"}


class _Alerts(HTMLParser):
    """The text of each element with role="alert", nested tags included."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[list[str]] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in VOID_TAGS:
            return
        if self.depth:
            self.depth += 1
        elif ("role", "alert") in attrs:
            self.depth = 1
            self.found.append([])

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.found[-1].append(data)


def alerts(response) -> list[str]:
    parser = _Alerts()
    parser.feed(response.content.decode())
    return [" ".join(" ".join(parts).split()) for parts in parser.found]


def paper(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def filing(desk: str = DO_LUONG_DESK, **overrides) -> dict:
    return {
        "name": "Hồ Văn Sơn",
        "id_number": "040190054321",
        "phone": "0987654321",
        "email": "son@example.vn",
        "address": "Xóm 3, xã Đô Lương",
        "desk": desk,
        "papers": [paper("to-khai.pdf", PDF), paper("anh-cccd.png", PNG)],
        **overrides,
    }


def filing_url(national_code: str = "X.HT.007") -> str:
    return f"/thu-tuc/{national_code}/nop-truc-tuyen/"


def form_token(client: Client, national_code: str = "X.HT.007") -> str:
    """The one-time token of a filing form freshly shown to the client ("" when none is)."""
    page = client.get(filing_url(national_code)).content.decode()
    found = re.search(r'name="filing_token" value="([^"]+)"', page)
    return found.group(1) if found else ""


def file_online(
    client: Client,
    national_code: str = "X.HT.007",
    when=FILED_AT,
    token: str | None = None,
    follow: bool = True,
    **overrides,
):
    """Open the filing form, fill it in and send it; by default follow to the confirmation."""
    if token is None:
        token = form_token(client, national_code)
    with clock.fixed_at(when):
        return client.post(
            filing_url(national_code), filing(filing_token=token, **overrides), follow=follow
        )


def reference_and_pin(response) -> tuple[str, str]:
    page = response.content.decode()
    reference = re.search(r'data-testid="reference">(TT-[A-Z0-9]+)<', page)
    pin = re.search(r'data-testid="pin">(\d{6})<', page)
    assert reference and pin, page
    return reference.group(1), pin.group(1)


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
