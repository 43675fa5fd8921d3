"""An online filing with a fee, end to end against the gateway simulator over HTTP: the fee is
requested at filing, the dossier waits for it with its clock paused and goes on by itself when
the payment is confirmed, once however often the confirmation comes.

The scenario, by hand: X.HT.006 (a commune procedure, 1 working day, 15:00 cut-off, fee 8 000
đồng) filed online on Monday 2 March 2026 at 08:00, accepted at 08:30, forwarded at 09:00; the
clock started at 08:00, so it is due Tuesday 3 March 08:00. The system pauses it at 10:00 (the
fee unpaid), and it resumes when the payment is confirmed (worked out in each test).
"""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.core.models import AuditRecord
from haicap.dossiers import services as dossier_services
from haicap.dossiers.models import Dossier
from haicap.payments import selectors, services, wire
from haicap.payments.models import Confirmation, Payment
from haicap.units.models import AdministrativeUnit, Agency
from natsim.payments import Faults
from tests.dossiers.test_scenarios import CITIZEN, DO_LUONG_DESK, DRAFT, at
from tests.payments.conftest import SECRET

pytestmark = pytest.mark.django_db


def file_online(national_code: str = "X.HT.006", when: dt.datetime | None = None):
    with clock.fixed_at(when or at(3, 2, 8)):
        submitted = dossier_services.submit_online(
            procedure=Procedure.objects.get(national_code=national_code),
            desk=Agency.objects.get(code=DO_LUONG_DESK),
            applicant=CITIZEN,
            competent_unit=AdministrativeUnit.objects.get(code="17662"),
        )
        return submitted.submission, services.request_fee(submitted.submission)


def accept_and_forward(user, submission) -> Dossier:
    """Accepted half an hour after the filing, forwarded an hour after it."""
    filed = submission.submitted_at
    with clock.fixed_at(filed + dt.timedelta(minutes=30)):
        dossier = dossier_services.accept_submission(user("tiepnhan.doluong"), submission.pk)
    with clock.fixed_at(filed + dt.timedelta(hours=1)):
        return dossier_services.act(user("tiepnhan.doluong"), dossier.code, "forward")


def open_order(payment: Payment) -> str:
    return services.open_order(payment.reference, "http://haicap.test/back", "http://127.0.0.1:9/")


def signed_post(client: Client, body: dict, secret: str = SECRET):
    data = json.dumps(body).encode()
    return client.post(
        reverse("payment_confirmation"),
        data,
        content_type="application/json",
        headers={"X-Signature": wire.sign(secret, data)},
    )


def test_a_procedure_without_a_fee_requests_no_payment():
    _submission, payment = file_online("X.HT.001")
    assert payment is None
    assert not Payment.objects.exists()


def test_the_fee_of_the_procedure_is_requested_once_with_the_filing():
    submission, payment = file_online()
    assert (payment.amount_vnd, payment.status, payment.payer_name) == (
        8000,
        "requested",
        "Nguyễn Thị Mai",
    )
    assert services.request_fee(submission) == payment  # asked again: the same request
    assert Payment.objects.count() == 1
    assert (
        AuditRecord.objects.filter(action="payment.requested", object_id=str(payment.pk)).count()
        == 1
    )


def test_unpaid_the_dossier_pauses_and_a_lost_confirmation_is_found_by_asking(user, gateway_for):
    gateway = gateway_for(Faults(lost_callback_rate=1.0))  # the gateway never calls back
    submission, payment = file_online()
    pay_url = open_order(payment)
    assert pay_url.endswith(f"/pay/{payment.reference}")
    dossier = accept_and_forward(user, submission)
    # a copy of a civil-status extract is given within the day (Law on Civil Status Arts. 5
    # and 63): accepted Monday 2 March in the morning, due at the close of that day
    assert dossier.due_at == at(3, 2, 17, 30)

    with clock.fixed_at(at(3, 2, 10)):
        assert services.settle_all() == {"paused": 1, "resumed": 0}
        assert services.settle_all() == {"paused": 0, "resumed": 0}  # once
    dossier.refresh_from_db()
    assert (dossier.step, dossier.paused_at) == ("awaiting_payment", at(3, 2, 10))
    pause = dossier.events.order_by("-seq").first()
    assert (pause.action, pause.actor, pause.clock) == ("request_payment", None, "pause")

    gateway.book.pay(payment.reference, "Nguyễn Thị Mai", now=at(3, 4, 9, 55))
    with clock.fixed_at(at(3, 4, 10)):
        assert services.poll() == 1
        assert services.poll() == 0  # asked again: applied already, nothing more
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert payment.status == "paid"
    assert payment.transaction_id == "GD20260304000001"
    assert payment.paid_at == at(3, 4, 9, 55)
    # Paused Monday 10:00, resumed Wednesday 10:00: 16 working hours paused (Monday 10:00-11:30
    # and 13:30-17:30, 5.5; Tuesday, 8; Wednesday 07:30-10:00, 2.5). A whole-day limit moves
    # by them from Monday 17:30, two working days, to the close of Wednesday 4 March.
    assert dossier.step == "processing"
    assert dossier.paused_at is None
    assert dossier.due_at == at(3, 4, 17, 30)
    assert [e.action for e in dossier.events.order_by("seq")][-2:] == [
        "request_payment",
        "payment_received",
    ]


def test_a_confirmation_that_arrives_twice_is_applied_once(user, gateway_for):
    gateway_for()
    submission, payment = file_online()
    dossier = accept_and_forward(user, submission)
    with clock.fixed_at(at(3, 2, 10)):
        services.settle_all()
    confirmation = {
        "transaction_id": "GD20260302000001",
        "reference": payment.reference,
        "amount_vnd": 8000,
        "status": "paid",
        "paid_at": "2026-03-02T11:00:00+07:00",
    }
    client = Client()
    with clock.fixed_at(at(3, 2, 11)):
        first = signed_post(client, confirmation)
        second = signed_post(client, confirmation)
    assert first.status_code == second.status_code == 200
    assert first.json()["applied"] is True
    assert second.json() == {"reference": payment.reference, "applied": False, "duplicate": True}
    assert Confirmation.objects.filter(payment=payment).count() == 1
    dossier.refresh_from_db()
    assert dossier.step == "processing"
    assert dossier.events.filter(action="payment_received").count() == 1
    assert AuditRecord.objects.filter(action="payment.confirmed").count() == 1


def test_the_transaction_id_is_unique_in_the_database():
    _submission, payment = file_online()
    now = clock.now()
    Confirmation.objects.create(
        transaction_id="GD1", payment=payment, amount_vnd=8000, received_at=now, via="poll"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Confirmation.objects.create(
            transaction_id="GD1", payment=payment, amount_vnd=8000, received_at=now, via="callback"
        )


def test_a_confirmation_not_signed_with_the_secret_is_refused_and_changes_nothing(gateway_for):
    gateway_for()
    _submission, payment = file_online()
    body = {
        "transaction_id": "GD9",
        "reference": payment.reference,
        "amount_vnd": 8000,
        "status": "paid",
        "paid_at": "",
    }
    answer = signed_post(Client(), body, secret="not-the-secret")
    assert answer.status_code == 401
    assert answer["Content-Type"].startswith("application/problem+json")
    payment.refresh_from_db()
    assert payment.status == "requested"


def test_a_confirmation_of_another_amount_is_refused(gateway_for):
    gateway_for()
    _submission, payment = file_online()
    body = {
        "transaction_id": "GD9",
        "reference": payment.reference,
        "amount_vnd": 800,
        "status": "paid",
        "paid_at": "",
    }
    answer = signed_post(Client(), body)
    assert answer.status_code == 422
    assert "800" in answer.json()["detail"]
    payment.refresh_from_db()
    assert payment.status == "requested"
    assert not Confirmation.objects.exists()


def test_a_confirmation_that_is_not_a_transaction_is_a_clear_422(gateway_for):
    gateway_for()
    answer = signed_post(Client(), {"reference": "LP-X", "amount_vnd": 1.5, "status": "paid"})
    assert answer.status_code == 422
    assert "whole" in answer.json()["detail"]


def test_paid_before_the_dossier_is_processed_it_is_never_paused(user, gateway_for):
    gateway = gateway_for(Faults(lost_callback_rate=1.0))
    submission, payment = file_online()
    open_order(payment)
    gateway.book.pay(payment.reference, "Nguyễn Thị Mai", now=at(3, 2, 8, 10))
    with clock.fixed_at(at(3, 2, 8, 15)):
        assert services.poll() == 1
    dossier = accept_and_forward(user, submission)
    with clock.fixed_at(at(3, 2, 10)):
        assert services.settle_all() == {"paused": 0, "resumed": 0}
    dossier.refresh_from_db()
    assert dossier.step == "processing"


def test_an_unreachable_gateway_is_a_clear_error_and_nothing_is_lost(settings):
    settings.HAICAP_PAYMENT_GATEWAY_URL = "http://127.0.0.1:9"  # nothing listens there
    _submission, payment = file_online()
    with pytest.raises(services.GatewayUnavailable) as refused:
        open_order(payment)
    assert refused.value.status == 503
    payment.refresh_from_db()
    assert (payment.status, payment.pay_url) == ("requested", "")


def test_the_portal_confirmation_offers_the_fee_and_sends_the_payer_to_the_gateway(gateway_for):
    gateway_for()
    client = Client()
    procedure = Procedure.objects.get(national_code="X.HT.006")
    page = client.get(reverse("portal:file_online", args=[procedure.national_code]))
    token = page.context["form"].initial["filing_token"]
    desk = Agency.objects.get(code=DO_LUONG_DESK)
    answer = client.post(
        reverse("portal:file_online", args=[procedure.national_code]),
        {
            "filing_token": token,
            "desk": desk.code,
            "commune": "17662",
            "name": CITIZEN.name,
            "id_number": CITIZEN.id_number,
            "phone": CITIZEN.phone,
            "papers": SimpleUploadedFile("to-khai.pdf", DRAFT, content_type="application/pdf"),
        },
    )
    assert answer.status_code == 303, answer.content.decode()[:2000]
    filed = client.get(answer["Location"])
    payment = Payment.objects.get()
    assert filed.context["payment"] == payment
    assert 'data-testid="payment-amount">8.000<' in filed.content.decode()
    assert filed.context["payment"].status == "requested"
    reference = payment.submission.reference
    to_gateway = client.post(reverse("portal:pay", args=[reference]))
    assert to_gateway.status_code == 303
    assert to_gateway["Location"].endswith(f"/pay/{payment.reference}")
    assert (
        Client().post(reverse("portal:pay", args=[reference])).status_code == 404
    )  # another browser


def test_dossiers_paid_online_in_a_period_are_counted_for_the_index(user, gateway_for):
    gateway = gateway_for(Faults(lost_callback_rate=1.0))
    counted = []
    for hour in (8, 9):
        submission, payment = file_online(when=at(3, 2, hour))
        accept_and_forward(user, submission)
        open_order(payment)
        gateway.book.pay(payment.reference, "Mai", now=at(3, 2, hour, 30))
        counted.append(payment)
    _unpaid, unpaid_payment = file_online(when=at(3, 2, 10))
    open_order(unpaid_payment)
    with clock.fixed_at(at(3, 2, 12)):
        assert services.poll() == 2
    monday = dt.datetime(2026, 3, 2, tzinfo=VIETNAM)
    officer = user("tiepnhan.doluong")
    assert selectors.dossiers_paid_online(officer, monday, monday + dt.timedelta(days=1)) == 2
    assert selectors.dossiers_paid_online(officer, monday, at(3, 2, 9)) == 1  # 08:30 only
    assert selectors.dossiers_paid_online(user("tiepnhan.vanhien"), monday, at(3, 3)) == 0
