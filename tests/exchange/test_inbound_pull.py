"""``pull_national_queue`` against a real HTTP server standing in for the portal's queue.

The stub keeps filings in order; ``after`` is the number already taken, ``next`` the number
after the page. It can lose an acknowledgement (answer 500 once) to show that the filing is
offered again, acknowledged again and still received once.
"""

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core.management import CommandError, call_command

from haicap.dossiers.models import Dossier
from haicap.exchange.inbound.pull import cursor_path
from haicap.exchange.models import InboundDossier, InboundRepeat
from tests.exchange.test_inbound_webhook import filing
from tests.served import free_port

pytestmark = pytest.mark.django_db


class Queue:
    def __init__(self, page_size: int = 2) -> None:
        self.items: list[object] = []
        self.page_size = page_size
        self.acks: list[tuple[str, dict]] = []
        self.lose_ack_of: set[str] = set()
        self.afters: list[str] = []
        self.lock = threading.Lock()

    def page(self, after: str) -> dict:
        with self.lock:
            self.afters.append(after)
            start = int(after or 0)
            items = self.items[start : start + self.page_size]
            return {"items": items, "next": str(start + len(items))}

    def ack(self, national_id: str, body: dict) -> int:
        with self.lock:
            if national_id in self.lose_ack_of:
                self.lose_ack_of.discard(national_id)
                return 500
            self.acks.append((national_id, body))
            return 200


def serve(queue: Queue) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def answer(self, status: int, data: object) -> None:
            raw = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path != "/api/v1/queue":
                return self.answer(404, {})
            after = parse_qs(url.query).get("after", [""])[0]
            return self.answer(200, queue.page(after))

        def do_POST(self) -> None:
            parts = urlsplit(self.path).path.split("/")
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            if parts[:4] != ["", "api", "v1", "queue"] or parts[-1] != "ack":
                return self.answer(404, {})
            status = queue.ack(unquote(parts[4]), body)
            return self.answer(status, {"acknowledged": status == 200})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def queue(settings, tmp_path) -> Iterator[Queue]:
    settings.VAR_DIR = tmp_path
    portal = Queue()
    server = serve(portal)
    settings.HAICAP_NATIONAL_PORTAL_URL = f"http://127.0.0.1:{server.server_port}/"
    settings.HAICAP_NATIONAL_PORTAL_TIMEOUT = 2
    yield portal
    server.shutdown()
    server.server_close()


def pull() -> str:
    out = io.StringIO()
    call_command("pull_national_queue", "--once", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def acked(queue: Queue) -> list[str]:
    return [national_id for national_id, _body in queue.acks]


def test_each_waiting_filing_is_received_once_and_acknowledged(queue):
    queue.items = [filing() for _ in range(5)]
    ids = [item["national_id"] for item in queue.items]
    report = pull()
    assert "5 received" in report
    assert Dossier.objects.count() == 5
    assert set(InboundDossier.objects.values_list("national_id", flat=True)) == set(ids)
    assert acked(queue) == ids
    first_ack = queue.acks[0][1]
    assert first_ack["status"] == "received"
    assert first_ack["dossier_code"] == InboundDossier.objects.get(national_id=ids[0]).dossier.code
    assert cursor_path().read_text() == "5"

    # Nothing new: the next round starts from the kept cursor and finds nothing.
    assert "0 received" in pull()
    assert queue.afters[-1] == "5"
    assert Dossier.objects.count() == 5


def test_a_lost_cursor_only_costs_a_second_look(queue):
    queue.items = [filing() for _ in range(3)]
    pull()
    cursor_path().unlink()
    report = pull()
    assert "0 received" in report and "3 already known" in report
    assert Dossier.objects.count() == 3
    assert len(queue.acks) == 6  # each acknowledged again, which the portal ignores


def test_a_lost_acknowledgement_is_sent_again_and_the_filing_still_received_once(queue):
    queue.items = [filing() for _ in range(5)]
    ids = [item["national_id"] for item in queue.items]
    queue.lose_ack_of = {ids[2]}
    with pytest.raises(CommandError, match="ack: HTTP 500"):
        pull()
    assert Dossier.objects.count() == 3  # the third was received; only its ack was lost
    assert cursor_path().read_text() == "2"  # the page with the lost ack is not passed
    pull()
    assert Dossier.objects.count() == 5
    assert InboundDossier.objects.count() == 5
    assert acked(queue) == [ids[0], ids[1], ids[2], ids[3], ids[4]]


def test_the_same_filing_twice_in_the_queue_is_received_once(queue):
    twice = filing()
    queue.items = [twice, filing(), twice]
    report = pull()
    assert "2 received" in report and "1 already known" in report
    assert Dossier.objects.count() == 2
    assert len(queue.acks) == 3


def test_the_same_id_with_another_applicant_is_held_and_acknowledged_as_held(queue):
    first = filing()
    changed = {**first, "applicant": {**first["applicant"], "name": "Trần Văn Bình"}}
    queue.items = [first, changed]
    report = pull()
    assert "1 received" in report and "1 held for an operator" in report
    assert Dossier.objects.get().applicant_name == first["applicant"]["name"]
    assert InboundRepeat.objects.get().payload == changed
    assert [body["status"] for _id, body in queue.acks] == ["received", "held"]


def test_refused_filings_are_acknowledged_with_the_reason_and_unreadable_ones_left(queue):
    refused = filing(procedure_code="X.NO.999")
    queue.items = [refused, {"no": "id"}, filing()]
    out, err = io.StringIO(), io.StringIO()
    call_command("pull_national_queue", "--once", stdout=out, stderr=err)
    assert "1 received, 1 refused" in out.getvalue() and "1 unreadable" in out.getvalue()
    assert "national_id" in err.getvalue()
    acks = dict(queue.acks)
    assert acks[refused["national_id"]]["status"] == "refused"
    assert "procedure_code" in acks[refused["national_id"]]["reason"]
    assert len(acks) == 2
    assert InboundDossier.objects.get(national_id=refused["national_id"]).status == "refused"


def test_an_unreachable_portal_fails_the_round_and_changes_nothing(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.HAICAP_NATIONAL_PORTAL_URL = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(CommandError, match="not emptied"):
        pull()
    assert not InboundDossier.objects.exists()
    assert not cursor_path().exists()


def test_without_an_address_the_command_says_so(settings, monkeypatch):
    monkeypatch.delenv("HAICAP_NATIONAL_PORTAL_URL", raising=False)
    settings.HAICAP_NATIONAL_PORTAL_URL = None
    with pytest.raises(CommandError, match="HAICAP_NATIONAL_PORTAL_URL"):
        pull()
