"""The gateway simulator's confirmation reaches haicap over real HTTP: haicap is served by
pytest-django's ``live_server`` (a thread with its own database connection, so the test's
writes really commit: ``committed_demo``), the simulator posts the signed confirmation to
``/api/payments/confirmations`` there, and the payer pays on the simulator's own page.

The dossier: X.HT.006 (fee 8 000 đồng) filed online on Friday 4 December 2026 at 08:00,
accepted at 08:30 and forwarded at 09:00, paused by the system at 10:00 for its unpaid fee.
The payment happens at the real moment of the run (the served thread reads the wall clock), so
these tests check what happened, not the new due moment (test_online_fees works that out).
"""

import http.client
import sqlite3
from urllib.parse import urlencode, urlsplit

import pytest
from django.urls import reverse

from haicap.accounts.models import User
from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.core.models import AuditRecord
from haicap.dossiers import services as dossier_services
from haicap.dossiers.models import Dossier
from haicap.payments import services
from haicap.payments.models import Confirmation, Payment
from haicap.units.models import AdministrativeUnit, Agency
from natsim.payments import Faults
from tests.dossiers.test_scenarios import CITIZEN, DO_LUONG_DESK, at

pytestmark = pytest.mark.usefixtures("committed_demo")


def paused_for_its_fee() -> tuple[Payment, Dossier]:
    officer = User.objects.get(username="tiepnhan.doluong")
    with clock.fixed_at(at(12, 4, 8)):
        submitted = dossier_services.submit_online(
            procedure=Procedure.objects.get(national_code="X.HT.006"),
            desk=Agency.objects.get(code=DO_LUONG_DESK),
            applicant=CITIZEN,
            competent_unit=AdministrativeUnit.objects.get(code="17662"),
        )
        payment = services.request_fee(submitted.submission)
    with clock.fixed_at(at(12, 4, 8, 30)):
        dossier = dossier_services.accept_submission(officer, submitted.submission.pk)
    with clock.fixed_at(at(12, 4, 9)):
        dossier_services.act(officer, dossier.code, "forward")
    with clock.fixed_at(at(12, 4, 10)):
        assert services.settle_all() == {"paused": 1, "resumed": 0}
    dossier.refresh_from_db()
    assert dossier.step == "awaiting_payment"
    return payment, dossier


def pay_on_the_gateway_page(pay_url: str) -> tuple[int, str]:
    """The payer presses "Thanh toán" on the simulator's page; its answer and where it sends
    the payer. The simulator answers after it has sent its confirmations."""
    url = urlsplit(pay_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.request(
            "POST",
            url.path,
            body=urlencode({"payer": CITIZEN.name}),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        answer = connection.getresponse()
        answer.read()
        return answer.status, answer.getheader("Location", "")
    finally:
        connection.close()


def callbacks_sent(reference: str, state) -> int:
    """How many confirmations the simulator sent and had an answer to."""
    with sqlite3.connect(state) as book:
        return book.execute(
            "SELECT callbacks FROM orders WHERE reference = ?", (reference,)
        ).fetchone()[0]


def test_a_confirmation_sent_twice_over_http_is_applied_once_and_the_dossier_goes_on(
    live_server, gateway_for, tmp_path
):
    gateway_for(Faults(duplicate_callback_rate=1.0))  # every confirmation twice
    payment, dossier = paused_for_its_fee()
    back = f"{live_server.url}/tra-cuu-ho-so/"
    pay_url = services.open_order(
        payment.reference, back, live_server.url + reverse("payment_confirmation")
    )

    status, location = pay_on_the_gateway_page(pay_url)

    assert (status, location) == (303, back)
    assert callbacks_sent(payment.reference, tmp_path / "gateway-0.sqlite3") == 2
    payment.refresh_from_db()
    assert payment.status == "paid"
    assert payment.transaction_id.startswith("GD")
    confirmations = Confirmation.objects.filter(payment=payment)
    assert [(c.via, c.transaction_id) for c in confirmations] == [
        ("callback", payment.transaction_id)
    ]
    assert AuditRecord.objects.filter(action="payment.confirmed").count() == 1
    dossier.refresh_from_db()
    assert (dossier.step, dossier.paused_at) == ("processing", None)
    assert [e.action for e in dossier.events.order_by("seq")][-2:] == [
        "request_payment",
        "payment_received",
    ]
    assert dossier.events.filter(action="payment_received").count() == 1
    # Asking the gateway afterwards finds it applied: nothing more happens.
    assert services.poll() == 0


def test_a_confirmation_signed_with_another_secret_is_refused_and_the_payment_found_by_asking(
    live_server, gateway_for, tmp_path, settings
):
    gateway_for()
    settings.HAICAP_PAYMENT_GATEWAY_SECRET = "not-the-gateway-s-secret"
    payment, dossier = paused_for_its_fee()
    pay_url = services.open_order(
        payment.reference, live_server.url, live_server.url + reverse("payment_confirmation")
    )

    assert pay_on_the_gateway_page(pay_url)[0] == 303

    # It did reach haicap (the simulator counts what was answered), and was refused (401).
    assert callbacks_sent(payment.reference, tmp_path / "gateway-0.sqlite3") == 1
    payment.refresh_from_db()
    assert payment.status == "requested"
    assert not Confirmation.objects.exists()
    assert services.poll() == 1  # the worker's next round asks, and applies it
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert payment.status == "paid"
    assert Confirmation.objects.get().via == "poll"
    assert dossier.step == "processing"
