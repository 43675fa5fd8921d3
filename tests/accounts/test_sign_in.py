"""Signing in to the desk, and the throttle on failed attempts."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from haicap.accounts import services
from haicap.accounts.models import LoginThrottle, User
from haicap.core import clock
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
    record = AuditRecord.objects.filter(action="auth.signed_in").latest("id")
    assert (record.actor_label, record.ip) == ("tiepnhan.doluong", "10.1.1.1")


def test_a_wrong_password_is_refused_in_vietnamese():
    response = sign_in(Client(), "tiepnhan.doluong", "sai-mat-khau")
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()
    assert AuditRecord.objects.filter(action="auth.sign_in_failed").exists()


@override_settings(LOGIN_THROTTLE_MAX_FAILURES=3)
def test_after_repeated_failures_even_the_right_password_is_refused_from_that_address(
    demo_password,
):
    client = Client()
    for _ in range(3):
        sign_in(client, "tiepnhan.doluong", "sai-mat-khau", ip="10.9.9.9")
    response = sign_in(client, "tiepnhan.doluong", demo_password, ip="10.9.9.9")
    assert response.status_code == 200
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # another account is not held back by this one's failures, even from that address
    assert sign_in(Client(), "tiepnhan.vanhien", demo_password, ip="10.9.9.9").status_code == 302


@override_settings(LOGIN_THROTTLE_MAX_FAILURES=3)
def test_failures_from_elsewhere_do_not_lock_the_officer_out_of_their_desk(demo_password):
    for _ in range(10):
        sign_in(Client(), "tiepnhan.doluong", "sai-mat-khau", ip="10.9.9.9")
    assert sign_in(Client(), "tiepnhan.doluong", demo_password, ip="10.1.1.1").status_code == 302


@override_settings(LOGIN_THROTTLE_MAX_FAILURES=2, LOGIN_THROTTLE_ACCOUNT_MAX_FAILURES=6)
def test_guessing_spread_over_many_addresses_holds_the_account_back_but_not_at_its_usual_desk(
    demo_password,
):
    assert sign_in(Client(), "tiepnhan.doluong", demo_password, ip="10.1.1.1").status_code == 302
    for machine in range(3):
        for _ in range(2):
            sign_in(Client(), "tiepnhan.doluong", "sai-mat-khau", ip=f"10.5.5.{machine}")
    # six failures from three machines, none over its own limit: the account is held back...
    refused = sign_in(Client(), "tiepnhan.doluong", demo_password, ip="10.5.5.99")
    assert "Đăng nhập sai quá nhiều lần" in refused.content.decode()
    # ...except at the desk it signed in from before
    assert sign_in(Client(), "tiepnhan.doluong", demo_password, ip="10.1.1.1").status_code == 302


@override_settings(LOGIN_THROTTLE_MAX_FAILURES=2)
def test_one_address_trying_many_accounts_is_held_back(demo_password):
    for name in ("a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"):
        sign_in(Client(), name, "x", ip="10.6.6.6")
    assert sign_in(Client(), "tiepnhan.vanhien", demo_password, ip="10.6.6.6").status_code == 200
    assert sign_in(Client(), "tiepnhan.vanhien", demo_password, ip="10.7.7.7").status_code == 302


def test_pages_of_the_desk_need_a_sign_in():
    response = Client().get(reverse("desk:unit_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_admin_has_no_sign_in_of_its_own():
    response = Client().post(
        "/desk/admin/login/?next=/desk/admin/", {"username": "admin", "password": "x"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Fdesk%2Fadmin%2F"
    assert "_auth_user_id" not in Client().session


def test_an_officer_is_refused_the_administration_pages_without_a_redirect_loop():
    client = Client()
    client.force_login(User.objects.get(username="quantri.doluong"))
    response = client.get("/desk/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1
    assert "Chỉ quản trị hệ thống" in response.content.decode()


def test_a_system_administrator_reaches_the_administration_pages():
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    assert client.get("/desk/admin/").status_code == 200


@override_settings(LOGIN_THROTTLE_MAX_FAILURES=2)
def test_attempts_are_counted_before_the_password_is_checked():
    # Two attempts still running (their password not yet checked) use up the budget,
    # so a third in parallel is refused instead of slipping past.
    assert services.begin_sign_in("tiepnhan.doluong", "10.2.2.2")
    assert services.begin_sign_in("tiepnhan.doluong", "10.2.2.2")
    assert not services.begin_sign_in("tiepnhan.doluong", "10.2.2.2")


@override_settings(LOGIN_THROTTLE_MAX_FAILURES=3, LOGIN_THROTTLE_WINDOW_SECONDS=600)
def test_the_throttle_lifts_once_its_window_has_passed(demo_password):
    for _ in range(3):
        sign_in(Client(), "tiepnhan.doluong", "sai-mat-khau")
    assert sign_in(Client(), "tiepnhan.doluong", demo_password).status_code == 200
    # ten minutes and a second later
    LoginThrottle.objects.update(window_started_at=clock.now() - timedelta(seconds=601))
    assert sign_in(Client(), "tiepnhan.doluong", demo_password).status_code == 302


def test_what_was_typed_as_a_username_is_not_kept():
    sign_in(Client(), "040195012345", "x")  # a citizen ID typed into the wrong field
    record = AuditRecord.objects.filter(action="auth.sign_in_failed").latest("id")
    assert "040195012345" not in str(record.object_id) + str(record.after)
    assert record.object_type == "auth.unknown_account"


@override_settings(TRUSTED_PROXIES=frozenset({"127.0.0.9"}))
def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(demo_password):
    client = Client()
    client.post(
        LOGIN,
        {"username": "tiepnhan.doluong", "password": demo_password},
        REMOTE_ADDR="127.0.0.9",
        HTTP_X_FORWARDED_FOR="203.0.113.5, 127.0.0.9",
    )
    record = AuditRecord.objects.filter(action="auth.signed_in").latest("id")
    assert record.ip == "203.0.113.5"
    # an untrusted peer cannot choose the address it is logged under
    Client().post(
        LOGIN,
        {"username": "tiepnhan.doluong", "password": demo_password},
        REMOTE_ADDR="10.3.3.3",
        HTTP_X_FORWARDED_FOR="203.0.113.77",
    )
    assert AuditRecord.objects.filter(action="auth.signed_in").latest("id").ip == "10.3.3.3"
