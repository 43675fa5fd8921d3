"""Every page writes a date one way, in both languages: 06/12/2026 and 14:05."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from haicap.accounts.models import User
from haicap.accounts.services import issue_api_token
from haicap.core import clock
from tests.conftest import client_for
from tests.dossiers.test_scenarios import act, at, receive

pytestmark = pytest.mark.django_db

OTHER_FORMATS = {
    "an ISO date": r"\b\d{4}-\d{2}-\d{2}\b",
    "a month's name": r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.? \d{1,2}\b",
    "a date in words": r"[Nn]gày \d{1,2} tháng \d{1,2}",
    "a.m. or p.m.": r"\b\d{1,2}(:\d{2})? ?([ap]\.m\.|[AP]M)(?!\w)",
    # a time after no date of its own, then a date (two cells in a row are "date time date time")
    "the time before the date": r"(?<!\d{4} )\b\d{1,2}:\d{2} \d{1,2}/\d{1,2}/\d{4}",
    "seconds": r"\b\d{2}:\d{2}:\d{2}\b",
    "a day or month without its zero": r"(?<![\d/])\d/\d{1,2}/\d{4}|\b\d{1,2}/\d/\d{4}",
}


class VisibleText(HTMLParser):
    """The text a reader sees: no scripts, styles or attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        self.hidden += tag in ("script", "style")

    def handle_endtag(self, tag) -> None:
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible(response) -> str:
    assert response.status_code == 200, response.content[:300]
    parser = VisibleText()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


def in_language(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def afternoon_dossier(user) -> tuple[str, str]:
    """A dossier received at 14:05 on 6 December, moved on, with the PIN of its slip."""
    received = receive(user, at(12, 7, 14, 5), "X.XD.001")  # a Monday
    act(user, "tiepnhan.doluong", at(12, 7, 15, 30), received.dossier.code, "forward")
    issue_api_token(user("tiepnhan.doluong"), user("tiepnhan.doluong"), "máy quét")
    return received.dossier.code, received.pin


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_page_writes_dates_as_dd_mm_yyyy_and_times_as_hh_mm(afternoon_dossier, language):
    code, pin = afternoon_dossier
    desk = in_language(client_for("tiepnhan.doluong"), language)
    admin = in_language(client_for("admin"), language)
    User.objects.filter(username="admin").update(last_login=at(12, 7, 17, 20))
    with clock.fixed_at(at(12, 8, 9)):
        pages = {
            "home": visible(desk.get(reverse("desk:home"))),
            "list": visible(desk.get(reverse("desk:dossier_list"))),
            "dossier": visible(desk.get(reverse("desk:dossier", args=[code]))),
            "account": visible(desk.get(reverse("desk:account"))),
            "outbox": visible(admin.get(reverse("desk:outbox"))),
            "audit log": visible(admin.get("/desk/admin/core/auditrecord/")),
            "staff": visible(admin.get("/desk/admin/accounts/user/")),
            "lookup": visible(
                in_language(Client(), language).post(
                    reverse("portal:dossier_lookup"), {"code": code, "pin": pin}
                )
            ),
        }
    for page, text in pages.items():
        for name, pattern in OTHER_FORMATS.items():
            found = re.search(pattern, text)
            assert found is None, f"{page} ({language}) shows {name}: {found.group(0)!r}"
    for page in ("list", "dossier", "lookup"):
        assert "07/12/2026 14:05" in pages[page], page
    assert "07/12/2026 15:30" in pages["dossier"]
    for page in ("account", "audit log", "staff"):  # the token's, the records', the sign-in's
        assert re.search(r"\b\d{2}/\d{2}/\d{4} \d{2}:\d{2}\b", pages[page]), page
