"""A province's day against a running haicap, for locust (run by ``bench/load_test.py``).

Four kinds of people, weighted roughly as a province's day brings them:

- ``IntakeOfficer``: a one-stop desk officer's client over the API (bearer token): receives
  dossiers and forwards them for processing. Each user takes the next desk of the list, so the
  load is spread over many communes' desks.
- ``DeskOfficer``: an officer in a browser (signed in through the sign-in form with its CSRF
  token): the desk's home and the dossier lists.
- ``ProvinceSupervisor``: the province's dashboard and the province-wide lists, in a browser.
- ``Citizen``: the public portal's look-up by receipt code and PIN, from many addresses (the
  server trusts 127.0.0.1 as its proxy, as behind a real one), with the portal's pages.

What the load needs (desks with their tokens and procedures, browser accounts, dossiers
citizens can look up) comes from the JSON file named by ``HAICAP_LOAD_CONFIG``; the runner
writes it. Every request is named by its kind, so locust's statistics are per kind.
"""

import itertools
import json
import os
import random
import re
import uuid
from collections import deque
from pathlib import Path
from threading import Lock

from locust import HttpUser, between, task

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def load_config() -> dict:
    path = os.environ.get("HAICAP_LOAD_CONFIG")
    if not path:
        return {"desks": [], "desk_accounts": [], "province_accounts": [], "password": ""}
    return json.loads(Path(path).read_text())


CONFIG = load_config()
_desk_turn = itertools.count()
_account_turn = itertools.count()
# Dossiers citizens can look up: (code, PIN), those the runner made and those received since.
# Bounded so the load generator's own memory stays flat.
LOOKUPS: deque[tuple[str, str]] = deque(
    (tuple(pair) for pair in CONFIG.get("lookups", [])), maxlen=5000
)
_lookups_lock = Lock()


def next_of(items: list, turn: itertools.count):
    return items[next(turn) % len(items)] if items else None


def applicant() -> dict:
    return {
        "name": random.choice(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"]),
        "id_number": f"0401{random.randrange(10**8):08d}",
    }


class IntakeOfficer(HttpUser):
    """A desk's API client: receive, forward what was received, read one back."""

    weight = 3
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.desk = next_of(CONFIG["desks"], _desk_turn)
        if self.desk is None:
            raise RuntimeError("HAICAP_LOAD_CONFIG names no desks")
        self.headers = {"Authorization": f"Bearer {self.desk['token']}"}
        self.received: deque[tuple[str, int]] = deque(maxlen=50)

    @task(4)
    def receive(self) -> None:
        body = {
            "procedure_code": random.choice(self.desk["procedures"]),
            "receiving_agency_code": self.desk["agency_code"],
            "applicant": applicant(),
        }
        headers = {**self.headers, "Idempotency-Key": str(uuid.uuid4())}
        with self.client.post(
            "/api/v1/dossiers", json=body, headers=headers, name="api: receive", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            made = response.json()
            self.received.append((made["code"], made["version"]))
            with _lookups_lock:
                LOOKUPS.append((made["code"], made["pin"]))

    @task(3)
    def forward(self) -> None:
        if not self.received:
            return
        code, version = self.received.popleft()
        headers = {**self.headers, "Idempotency-Key": str(uuid.uuid4())}
        with self.client.post(
            f"/api/v1/dossiers/{code}/actions",
            json={"action": "forward", "expected_version": version},
            headers=headers,
            name="api: act (forward)",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(1)
    def read_back(self) -> None:
        if not self.received:
            return
        code, _version = random.choice(self.received)
        self.client.get(
            f"/api/v1/dossiers/{code}", headers=self.headers, name="api: dossier detail"
        )


class BrowserUser(HttpUser):
    """Signs in through the desk's sign-in form, as a browser does."""

    abstract = True
    accounts_key = ""

    def on_start(self) -> None:
        username = next_of(CONFIG[self.accounts_key], _account_turn)
        if username is None:
            raise RuntimeError(f"HAICAP_LOAD_CONFIG names no {self.accounts_key}")
        page = self.client.get("/desk/login/", name="desk: sign-in page")
        found = CSRF_FIELD.search(page.text)
        with self.client.post(
            "/desk/login/",
            data={
                "username": username,
                "password": CONFIG["password"],
                "csrfmiddlewaretoken": found.group(1) if found else "",
                "next": "/desk/",
            },
            headers={"Referer": page.url},
            name="desk: sign in",
            catch_response=True,
        ) as response:
            # Signed in, the form redirects to the desk; a refusal shows the form again.
            if "/desk/login/" in response.url or "sessionid" not in self.client.cookies:
                response.failure(f"{username} was not signed in")


class DeskOfficer(BrowserUser):
    weight = 4
    wait_time = between(2, 6)
    accounts_key = "desk_accounts"

    @task(4)
    def home(self) -> None:
        self.client.get("/desk/", name="desk: home")

    @task(3)
    def dossier_list(self) -> None:
        self.client.get("/desk/ho-so/", name="desk: dossier list")

    @task(2)
    def filtered_list(self) -> None:
        step = random.choice(["received", "processing", "approval", "result_ready"])
        self.client.get(f"/desk/ho-so/?step={step}", name="desk: dossier list by status")

    @task(1)
    def overdue_list(self) -> None:
        self.client.get("/desk/ho-so/?overdue=yes", name="desk: overdue dossiers")


class ProvinceSupervisor(BrowserUser):
    weight = 1
    wait_time = between(3, 8)
    accounts_key = "province_accounts"

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/desk/chi-so/", name="desk: province dashboard")

    @task(1)
    def home(self) -> None:
        self.client.get("/desk/", name="desk: home (province)")

    @task(1)
    def overdue_list(self) -> None:
        self.client.get("/desk/ho-so/?overdue=yes", name="desk: overdue dossiers (province)")


class Citizen(HttpUser):
    """Follows a dossier on the portal with the code and PIN of the receipt slip."""

    weight = 4
    wait_time = between(2, 6)

    def on_start(self) -> None:
        # Each citizen comes from an address of its own, through the trusted proxy.
        self.headers = {"X-Forwarded-For": f"10.{random.randrange(256)}.{random.randrange(256)}.7"}

    @task(4)
    def look_up(self) -> None:
        with _lookups_lock:
            pair = random.choice(LOOKUPS) if LOOKUPS else None
        if pair is None:
            return
        code, pin = pair
        page = self.client.get("/tra-cuu-ho-so/", headers=self.headers, name="portal: look-up form")
        found = CSRF_FIELD.search(page.text)
        with self.client.post(
            "/tra-cuu-ho-so/",
            data={
                "code": code,
                "pin": pin,
                "csrfmiddlewaretoken": found.group(1) if found else "",
            },
            headers={**self.headers, "Referer": page.url},
            name="portal: look up a dossier",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or code not in response.text:
                response.failure(f"{code}: {response.status_code}")

    @task(1)
    def home(self) -> None:
        self.client.get("/", headers=self.headers, name="portal: home")

    @task(1)
    def procedures(self) -> None:
        self.client.get("/thu-tuc/", headers=self.headers, name="portal: procedures")
