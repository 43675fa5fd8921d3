"""The same filing delivered several times at the same moment is received once.

Runs on real commits (``committed_demo``), on PostgreSQL when ``DATABASE_URL`` points there.
"""

import json
import threading

import pytest
from django.db import connections
from django.test import Client

from haicap.accounts.models import Membership
from haicap.core import clock
from haicap.dossiers.models import Dossier
from haicap.exchange.inbound import parsing as inbound
from haicap.exchange.models import InboundDossier
from tests.exchange.test_inbound_webhook import SECRET, URL, filing

THREADS = 6


@pytest.fixture(autouse=True)
def shared_secret(settings, monkeypatch):
    monkeypatch.delenv("HAICAP_NATIONAL_WEBHOOK_SECRET", raising=False)
    settings.HAICAP_NATIONAL_WEBHOOK_SECRET = SECRET


def post(message: dict):
    body = json.dumps(message).encode()
    stamp = str(int(clock.now().timestamp()))
    headers = {"X-Signature": inbound.signature(SECRET.encode(), stamp, body), "X-Timestamp": stamp}
    return Client().post(URL, body, content_type="application/json", headers=headers)


def at_once(messages: list[dict]) -> list:
    responses: list = [None] * len(messages)
    barrier = threading.Barrier(len(messages))

    def worker(number: int) -> None:
        try:
            barrier.wait()
            responses[number] = post(messages[number])
        except BaseException as error:  # reported by the assertions below
            responses[number] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(len(messages))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


@pytest.mark.usefixtures("committed_demo")
def test_concurrent_deliveries_of_one_filing_make_one_dossier():
    message = filing()
    responses = at_once([message] * THREADS)
    statuses = sorted(getattr(r, "status_code", r) for r in responses)
    assert statuses == [200] * (THREADS - 1) + [201], [getattr(r, "content", r) for r in responses]
    assert len({r.json()["dossier_code"] for r in responses}) == 1
    assert Dossier.objects.count() == 1
    assert InboundDossier.objects.filter(national_id=message["national_id"]).count() == 1


@pytest.mark.usefixtures("committed_demo")
def test_concurrent_first_filings_at_a_desk_share_one_service_account_membership():
    messages = [filing(agency_code="17677.05.H40") for _ in range(THREADS)]
    responses = at_once(messages)
    assert [getattr(r, "status_code", r) for r in responses] == [201] * THREADS, [
        getattr(r, "content", r) for r in responses
    ]
    assert Dossier.objects.count() == THREADS
    assert Membership.objects.filter(user__username="dvcqg").count() == 1


@pytest.mark.usefixtures("committed_demo")
def test_a_refused_filing_delivered_at_once_is_recorded_once():
    message = filing(procedure_code="X.NO.999")
    responses = at_once([message] * THREADS)
    assert [getattr(r, "status_code", r) for r in responses] == [422] * THREADS
    assert len({r.json()["detail"] for r in responses}) == 1
    assert InboundDossier.objects.count() == 1
    assert not Dossier.objects.exists()
