"""``GET /api/v1/businesses/{code}`` against a real HTTP server standing in for the register:
up, down, slow, confused; the cache and its degraded mode."""

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from haicap.accounts.models import User
from haicap.core import clock
from haicap.exchange.models import BusinessRecord
from tests.served import free_port

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
CODE, BRANCH = "2900123456", "2900123456-001"
ENTERPRISES = {
    CODE: {
        "enterprise_code": CODE,
        "name": "Công ty TNHH Hoa Sen Nghệ An",
        "address": "Số 1 Lê Lợi, phường Vinh Phú, Nghệ An",
        "representative": "Nguyễn Văn An",
        "status": "active",
        "founded_on": "2010-05-04",
    },
    BRANCH: {
        "enterprise_code": BRANCH,
        "name": "Chi nhánh Đô Lương",
        "address": "xã Đô Lương",
        "representative": "Trần Thị Bình",
        "status": "active",
    },
}


class Register:
    """What the stub answers: ``mode`` is up, error, slow or garbage."""

    def __init__(self) -> None:
        self.mode = "up"
        self.hits = 0
        self.delay = 2.0


def serve(register: Register) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def answer(self, status: int, raw: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self) -> None:
            register.hits += 1
            prefix = "/api/v1/enterprises/"
            code = self.path[len(prefix) :] if self.path.startswith(prefix) else None
            if register.mode == "slow":
                time.sleep(register.delay)
            if register.mode == "error":
                return self.answer(502, b'{"error": "upstream"}')
            if register.mode == "garbage":
                return self.answer(200, b"<html>maintenance</html>")
            if code not in ENTERPRISES:
                return self.answer(404, b'{"error": "not found"}')
            return self.answer(200, json.dumps(ENTERPRISES[code]).encode())

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def register(settings) -> Iterator[Register]:
    state = Register()
    server = serve(state)
    settings.HAICAP_BUSINESS_REGISTER_URL = f"http://127.0.0.1:{server.server_port}"
    settings.HAICAP_BUSINESS_REGISTER_TIMEOUT_SECONDS = 0.3
    settings.HAICAP_BUSINESS_REGISTER_MAX_AGE_SECONDS = 24 * 3600
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(User.objects.get(username="tiepnhan.doluong"))
    return client


def look_up(client: Client, code: str = CODE):
    return client.get(f"/api/v1/businesses/{code}")


def age_the_copy(hours: float, code: str = CODE) -> None:
    BusinessRecord.objects.filter(enterprise_code=code).update(
        fetched_at=clock.now() - dt.timedelta(hours=hours)
    )


def test_a_live_answer_is_given_and_kept(register, staff):
    response = look_up(staff)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["source"] == "live" and body["stale"] is False and body["note"] is None
    assert (body["name"], body["representative"], body["status"]) == (
        "Công ty TNHH Hoa Sen Nghệ An",
        "Nguyễn Văn An",
        "active",
    )
    record = BusinessRecord.objects.get(enterprise_code=CODE)
    assert record.address == ENTERPRISES[CODE]["address"]
    assert record.payload["founded_on"] == "2010-05-04"
    shown = dt.datetime.fromisoformat(body["fetched_at"])
    assert abs(shown - record.fetched_at) < dt.timedelta(milliseconds=1)


def test_a_recent_copy_is_answered_without_asking_the_register(register, staff):
    look_up(staff)
    again = look_up(staff).json()
    assert (again["source"], again["stale"]) == ("cache", False)
    assert register.hits == 1


def test_an_old_copy_is_refreshed_when_the_register_answers(register, staff):
    look_up(staff)
    age_the_copy(25)
    ENTERPRISES[CODE]["status"] = "suspended"
    try:
        body = look_up(staff).json()
    finally:
        ENTERPRISES[CODE]["status"] = "active"
    assert (body["source"], body["stale"], body["status"]) == ("live", False, "suspended")
    assert register.hits == 2
    assert BusinessRecord.objects.get(enterprise_code=CODE).status == "suspended"


def test_the_maximum_age_is_a_setting(register, staff, settings):
    look_up(staff)
    settings.HAICAP_BUSINESS_REGISTER_MAX_AGE_SECONDS = 60
    age_the_copy(0.1)
    assert look_up(staff).json()["source"] == "live"


@pytest.mark.parametrize("mode", ["down", "error", "slow", "garbage"])
def test_when_the_register_fails_the_last_copy_is_answered_marked_stale(
    register, staff, settings, mode
):
    look_up(staff)
    age_the_copy(48)
    if mode == "down":
        settings.HAICAP_BUSINESS_REGISTER_URL = f"http://127.0.0.1:{free_port()}"
    else:
        register.mode = mode
    started = time.monotonic()
    response = look_up(staff)
    assert time.monotonic() - started < 1.5  # the short timeout, not the register's delay
    assert response.status_code == 200
    body = response.json()
    assert (body["source"], body["stale"]) == ("cache", True)
    assert body["name"] == "Công ty TNHH Hoa Sen Nghệ An"
    kept = clock.now() - dt.timedelta(hours=48)
    assert (
        body["note"]
        and f"{kept.astimezone(dt.timezone(dt.timedelta(hours=7))):%d/%m/%Y}" in (body["note"])
    )


@pytest.mark.parametrize("mode", ["down", "error", "slow", "garbage"])
def test_with_no_copy_kept_an_unreachable_register_is_a_503(register, staff, settings, mode):
    if mode == "down":
        settings.HAICAP_BUSINESS_REGISTER_URL = f"http://127.0.0.1:{free_port()}"
    else:
        register.mode = mode
    response = look_up(staff)
    assert (response.status_code, response["Content-Type"]) == (503, PROBLEM)
    assert response.json()["code"] == "register_unavailable"
    assert not BusinessRecord.objects.exists()


def test_without_a_register_address_only_kept_copies_are_answered(staff, settings, monkeypatch):
    monkeypatch.delenv("HAICAP_BUSINESS_REGISTER_URL", raising=False)
    settings.HAICAP_BUSINESS_REGISTER_URL = None
    assert look_up(staff).status_code == 503
    BusinessRecord.objects.create(
        enterprise_code=CODE, name="Công ty cũ", fetched_at=clock.now() - dt.timedelta(days=9)
    )
    body = look_up(staff).json()
    assert (body["name"], body["stale"], body["source"]) == ("Công ty cũ", True, "cache")


def test_a_branch_code_is_looked_up_too(register, staff):
    body = look_up(staff, BRANCH).json()
    assert (body["enterprise_code"], body["name"]) == (BRANCH, "Chi nhánh Đô Lương")


def test_an_enterprise_the_register_does_not_know_is_a_404(register, staff):
    response = look_up(staff, "0100000000")
    assert (response.status_code, response["Content-Type"]) == (404, PROBLEM)
    assert not BusinessRecord.objects.exists()


@pytest.mark.parametrize("code", ["123", "29001234567", "2900123456-1", "290012345a", "x" * 40])
def test_a_malformed_code_is_a_422_before_the_register_is_asked(register, staff, code):
    response = look_up(staff, code)
    assert (response.status_code, response["Content-Type"]) == (422, PROBLEM)
    assert "enterprise_code" in response.json()["detail"]
    assert register.hits == 0


def test_the_lookup_is_for_signed_in_staff(register):
    response = look_up(Client())
    assert (response.status_code, response["Content-Type"]) == (401, PROBLEM)
    assert register.hits == 0
