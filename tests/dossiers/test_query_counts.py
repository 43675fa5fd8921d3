"""The number of SQL statements one API intake and one API action take, pinned.

Every statement is a round trip to the database; these counts are what keeps an intake fast.
A change that adds one must say so here. The second request of each kind takes exactly as many
as the first, so nothing read once per request creeps in. Counted inside the test's
transaction, so the service's transaction shows as a savepoint and its release.
"""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from haicap.accounts import services as account_services
from haicap.accounts.models import User

pytestmark = pytest.mark.django_db

NEW_DOSSIER = {
    "procedure_code": "X.HT.007",
    "receiving_agency_code": "17662.05.H40",
    "applicant": {"name": "Lê Thị Hương", "id_number": "040195012345"},
}

# Per database: PostgreSQL adds every table of figures in one statement, SQLite one a table.
STATEMENTS = {
    "postgresql": {"intake": 23, "forward": 16},
    "sqlite": {"intake": 30, "forward": 16},
}


@pytest.fixture
def desk() -> Client:
    owner = User.objects.get(username="tiepnhan.doluong")
    _token, plaintext = account_services.issue_api_token(owner, owner, "counts")
    client = Client(headers={"Authorization": f"Bearer {plaintext}"})
    intake(client, "warm-up")  # the token's first use is recorded once: not counted
    return client


def intake(client: Client, key: str) -> dict:
    response = client.post(
        "/api/v1/dossiers",
        json.dumps(NEW_DOSSIER),
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )
    assert response.status_code == 201, response.content
    return response.json()


def forward(client: Client, code: str) -> dict:
    response = client.post(
        f"/api/v1/dossiers/{code}/actions",
        json.dumps({"action": "forward", "expected_version": 1}),
        content_type="application/json",
        headers={"Idempotency-Key": f"forward-{code}"},
    )
    assert response.status_code == 200, response.content
    return response.json()


def counted(call, *args) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as statements:
        answer = call(*args)
    return len(statements.captured_queries), answer


def test_an_api_intake_takes_a_fixed_number_of_statements(desk):
    first, received = counted(intake, desk, "first")
    second, _ = counted(intake, desk, "second")
    assert (first, second) == (STATEMENTS[connection.vendor]["intake"],) * 2
    # the answer still carries what an intake answers (nothing read again was dropped)
    assert [event["action"] for event in received["events"]] == ["receive"]
    assert received["documents"] == [] and received["pin"]
    assert [action["code"] for action in received["allowed_actions"]] == [
        "forward",
        "transfer",
        "withdraw",
    ]


def test_an_api_forward_takes_a_fixed_number_of_statements(desk):
    codes = [intake(desk, f"to-forward-{n}")["code"] for n in range(2)]
    first, moved = counted(forward, desk, codes[0])
    second, _ = counted(forward, desk, codes[1])
    assert (first, second) == (STATEMENTS[connection.vendor]["forward"],) * 2
    assert [event["action"] for event in moved["events"]] == ["receive", "forward"]
    assert (moved["step"], moved["version"]) == ("processing", 2)
