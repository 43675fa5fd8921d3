"""``Cache-Control: no-store`` on every response that may carry personal data or a PIN."""

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from haicap.accounts import services
from haicap.accounts.models import User
from haicap.catalog.models import Procedure
from haicap.core.middleware import CACHEABLE_PUBLIC_VIEWS, may_be_stored
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
        (None, "/thu-tuc/{code}/nop-truc-tuyen/"),
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


@given(st.one_of(st.none(), st.sampled_from(sorted(CACHEABLE_PUBLIC_VIEWS)), st.text()))
def test_only_the_named_public_pages_asked_anonymously_may_be_stored(view_name):
    for signed_in in (False, True):
        for sends_credentials in (False, True):
            stored = may_be_stored(view_name, signed_in, sends_credentials)
            assert stored == (
                view_name in CACHEABLE_PUBLIC_VIEWS and not signed_in and not sends_credentials
            )
