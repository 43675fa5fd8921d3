"""Signing in to the desk, and the throttle on failed attempts."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from haicap.core.models import AuditRecord

pytestmark = pytest.mark.django_db
LOGIN = reverse("desk:login")


def sign_in(client: Client, username: str, password: str, ip: str = "10.1.1.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_a_staff_member_signs_in_and_reaches_the_desk(demo_password):
    client = Client()
    response = sign_in(client, "tiepnhan.doluong", demo_password)
    assert response.status_code == 302 and response["Location"] == reverse("desk:home")
    home = client.get(reverse("desk:home"))
    assert "Phạm Thị Lan" in home.content.decode()
    record = AuditRecord.objects.filter(action="auth.signed_in").latest("seq")
    assert (record.actor_label, record.ip) == ("tiepnhan.doluong", "10.1.1.1")


def test_a_wrong_password_is_refused_in_vietnamese():
    response = sign_in(Client(), "tiepnhan.doluong", "sai-mat-khau")
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()
    assert AuditRecord.objects.filter(action="auth.sign_in_failed").exists()


@override_settings(LOGIN_THROTTLE_MAX_FAILURES=3)
def test_after_repeated_failures_even_the_right_password_is_refused(demo_password):
    client = Client()
    for _ in range(3):
        sign_in(client, "tiepnhan.doluong", "sai-mat-khau")
    response = sign_in(client, "tiepnhan.doluong", demo_password, ip="10.9.9.9")
    assert response.status_code == 200
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # another account is not held back by this one's failures
    assert sign_in(Client(), "tiepnhan.vanhien", demo_password).status_code == 302


@override_settings(LOGIN_THROTTLE_MAX_FAILURES=2)
def test_one_address_trying_many_accounts_is_held_back(demo_password):
    for name in ("a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"):
        sign_in(Client(), name, "x", ip="10.6.6.6")
    assert sign_in(Client(), "tiepnhan.vanhien", demo_password, ip="10.6.6.6").status_code == 200
    assert sign_in(Client(), "tiepnhan.vanhien", demo_password, ip="10.7.7.7").status_code == 302


@override_settings(LOGIN_THROTTLE_MAX_FAILURES=3, LOGIN_THROTTLE_WINDOW_SECONDS=0)
def test_the_throttle_lifts_when_the_window_has_passed(demo_password):
    for _ in range(3):
        sign_in(Client(), "tiepnhan.doluong", "sai-mat-khau")
    assert sign_in(Client(), "tiepnhan.doluong", demo_password).status_code == 302


def test_pages_of_the_desk_need_a_sign_in():
    response = Client().get(reverse("desk:unit_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
