"""``Cache-Control: no-store`` on every response that may carry personal data or a PIN."""

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from haicap.accounts import services
from haicap.accounts.models import User
from haicap.catalog.models import Procedure
from haicap.core.middleware import (
    BROWSER_ONLY_FORM_VIEWS,
    CACHEABLE_PUBLIC_VIEWS,
    CacheRule,
    cache_rule,
)
from tests.conftest import client_for


def bearer(username: str) -> Client:
    owner = User.objects.get(username=username)
    _token, plaintext = services.issue_api_token(owner, owner, "test client")
    return Client(headers={"Authorization": f"Bearer {plaintext}"})


def code_of_a_procedure() -> str:
    return Procedure.objects.filter(is_active=True).order_by("national_code")[0].national_code


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("tiepnhan.doluong", "/desk/"),
        ("tiepnhan.doluong", "/desk/ho-so/"),
        ("tiepnhan.doluong", "/"),  # a public page, asked by someone signed in
        ("bearer", "/api/v1/me"),
        (None, "/api/v1/docs"),
        (None, "/desk/login/"),
        (None, "/tra-cuu-ho-so/"),
    ],
)
def test_what_may_carry_personal_data_or_a_pin_is_never_stored(who, url):
    client = bearer("tiepnhan.doluong") if who == "bearer" else client_for(who) if who else Client()
    response = client.get(url.format(code=code_of_a_procedure()))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_public_look_up_answer_is_never_stored():
    response = Client().post("/tra-cuu-ho-so/", {"code": "17662.05.H40-261207-9999", "pin": "1"})
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/thu-tuc/", "/thu-tuc/{code}/", "/so-lieu/"])
def test_public_catalogue_pages_may_be_cached(url):
    response = Client().get(url.format(code=code_of_a_procedure()))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def online_procedure() -> str:
    return (
        Procedure.objects.filter(is_active=True)
        .exclude(online_level="none")
        .order_by("national_code")[0]
        .national_code
    )


@pytest.mark.django_db
def test_a_blank_filing_form_is_kept_by_the_browser_only_and_a_typed_one_by_nobody():
    url = f"/thu-tuc/{online_procedure()}/nop-truc-tuyen/"
    blank = Client().get(url)
    assert blank.status_code == 200
    assert set(blank["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-cache"}
    typed = Client().post(url, {"name": "Lê Thị Mai", "id_number": "040195012345"})
    assert "Lê Thị Mai" in typed.content.decode()
    assert "no-store" in typed["Cache-Control"]


NAMED = sorted(CACHEABLE_PUBLIC_VIEWS | BROWSER_ONLY_FORM_VIEWS)


@given(
    st.one_of(st.none(), st.sampled_from(NAMED), st.text()),
    st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE"]),
)
def test_only_the_named_public_pages_asked_anonymously_may_be_kept(view_name, method):
    for signed_in in (False, True):
        for sends_credentials in (False, True):
            rule = cache_rule(view_name, method, signed_in, sends_credentials)
            anonymous = not signed_in and not sends_credentials
            if anonymous and view_name in CACHEABLE_PUBLIC_VIEWS:
                assert rule is CacheRule.SHARED
            elif anonymous and view_name in BROWSER_ONLY_FORM_VIEWS and method in ("GET", "HEAD"):
                assert rule is CacheRule.BROWSER_ONLY
            else:
                assert rule is CacheRule.NO_STORE
