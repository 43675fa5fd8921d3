"""The fee on the pages people read: the desk's dossier page, and the citizen's look-up with the
code and PIN, which offers "Thanh toán trực tuyến" while the fee is unpaid and the receipt once
it is paid.

The scenario, by hand: X.HT.006 (fee 8 000 đồng) filed online on Monday 2 March 2026 at 08:00
at Đô Lương's desk, accepted at 08:30; the gateway's transaction GD20260302000001 pays it at
11:00. Pages show amounts grouped in thousands with a dot (8.000) and times as 02/03/2026 11:00.
"""

import http.client
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.dossiers import services as dossier_services
from haicap.payments import services, wire
from haicap.payments.models import Payment
from haicap.portal.fee_views import lookup_address
from haicap.units.models import AdministrativeUnit, Agency
from natsim.payments import Faults
from tests.conftest import client_for
from tests.dossiers.test_scenarios import CITIZEN, DO_LUONG_DESK, at

pytestmark = pytest.mark.django_db

PAID = wire.Transaction(
    transaction_id="GD20260302000001",
    reference="",  # filled per test: the payment's own reference
    amount_vnd=8000,
    status=wire.PAID,
    paid_at="2026-03-02T11:00:00+07:00",
)


def filed_and_accepted(user):
    """The filing, its fee and the dossier it became, with the PIN given at filing."""
    with clock.fixed_at(at(3, 2, 8)):
        submitted = dossier_services.submit_online(
            procedure=Procedure.objects.get(national_code="X.HT.006"),
            desk=Agency.objects.get(code=DO_LUONG_DESK),
            applicant=CITIZEN,
            competent_unit=AdministrativeUnit.objects.get(code="17662"),
        )
        payment = services.request_fee(submitted.submission)
    with clock.fixed_at(at(3, 2, 8, 30)):
        dossier = dossier_services.accept_submission(
            user("tiepnhan.doluong"), submitted.submission.pk
        )
    return submitted, payment, dossier


def pay(payment: Payment) -> None:
    found = wire.Transaction(**{**PAID.__dict__, "reference": payment.reference})
    with clock.fixed_at(at(3, 2, 11, 1)):
        assert services.confirm(found, "callback").new


def look_up(client: Client, code: str, pin: str):
    return client.post(reverse("portal:dossier_lookup"), {"code": code, "pin": pin})


def test_the_desk_dossier_page_shows_the_fee_asked_then_paid_with_its_receipt(user):
    _submitted, payment, dossier = filed_and_accepted(user)
    officer = client_for("tiepnhan.doluong")
    page = officer.get(reverse("desk:dossier", args=[dossier.code]))
    text = page.content.decode()
    assert page.context["payment"] == payment
    assert 'data-testid="fee-amount">8.000<' in text
    assert 'data-testid="fee-status">Chờ thanh toán<' in text
    assert 'data-testid="fee-requested-at">02/03/2026 08:00<' in text
    assert 'data-testid="fee-receipt"' not in text  # nothing to print before it is paid

    pay(payment)
    text = officer.get(reverse("desk:dossier", args=[dossier.code])).content.decode()
    assert 'data-testid="fee-status">Đã thanh toán<' in text
    assert 'data-testid="fee-paid-at">02/03/2026 11:00<' in text
    assert 'data-testid="fee-transaction">GD20260302000001<' in text
    receipt_url = reverse("desk:payment_receipt", args=[payment.reference])
    assert receipt_url in text
    printed = officer.get(receipt_url)
    assert printed.status_code == 200
    assert printed["Content-Type"] == "application/pdf"


def test_a_dossier_received_at_the_desk_shows_no_fee_panel(user):
    with clock.fixed_at(at(3, 2, 9)):
        dossier = dossier_services.receive(
            user("tiepnhan.doluong"),
            procedure=Procedure.objects.get(national_code="X.HT.006"),
            receiving_agency=Agency.objects.get(code=DO_LUONG_DESK),
            applicant=CITIZEN,
        ).dossier
    page = client_for("tiepnhan.doluong").get(reverse("desk:dossier", args=[dossier.code]))
    assert page.context["payment"] is None
    assert 'data-testid="fee"' not in page.content.decode()


def test_the_look_up_shows_the_unpaid_fee_with_the_button_that_goes_to_the_gateway(
    user, gateway_for
):
    gateway_for()
    submitted, payment, dossier = filed_and_accepted(user)
    citizen = Client()
    page = look_up(citizen, dossier.code, submitted.pin)
    text = page.content.decode()
    assert page.status_code == 200
    assert page.context["payment"] == payment
    assert 'data-testid="payment-amount">8.000<' in text
    assert 'data-testid="payment-status">Chờ thanh toán<' in text
    assert ">Thanh toán trực tuyến</button>" in text

    to_gateway = citizen.post(reverse("portal:pay_fee", args=[payment.reference]))
    assert to_gateway.status_code == 303
    assert to_gateway["Location"].endswith(f"/pay/{payment.reference}")
    payment.refresh_from_db()
    assert payment.pay_url == to_gateway["Location"]
    # Another browser, which proved no PIN, cannot pay it nor print its receipt.
    assert Client().post(reverse("portal:pay_fee", args=[payment.reference])).status_code == 404


def test_a_filing_looked_up_before_it_is_accepted_shows_its_fee_too(gateway_for):
    gateway_for()
    with clock.fixed_at(at(3, 2, 8)):
        submitted = dossier_services.submit_online(
            procedure=Procedure.objects.get(national_code="X.HT.006"),
            desk=Agency.objects.get(code=DO_LUONG_DESK),
            applicant=CITIZEN,
            competent_unit=AdministrativeUnit.objects.get(code="17662"),
        )
        payment = services.request_fee(submitted.submission)
    citizen = Client()
    page = look_up(citizen, submitted.submission.reference, submitted.pin)
    assert page.context["payment"] == payment
    assert ">Thanh toán trực tuyến</button>" in page.content.decode()
    to_gateway = citizen.post(reverse("portal:pay_fee", args=[payment.reference]))
    assert to_gateway.status_code == 303


def test_a_wrong_pin_shows_no_fee_and_gives_no_right_to_pay(user):
    submitted, payment, dossier = filed_and_accepted(user)
    wrong = "000000" if submitted.pin != "000000" else "111111"
    citizen = Client()
    page = look_up(citizen, dossier.code, wrong)
    assert page.status_code == 404
    assert page.context["payment"] is None
    assert citizen.post(reverse("portal:pay_fee", args=[payment.reference])).status_code == 404
    assert citizen.get(reverse("portal:fee_receipt", args=[payment.reference])).status_code == 404


def test_paid_the_look_up_shows_when_and_the_transaction_and_prints_the_receipt(user):
    submitted, payment, dossier = filed_and_accepted(user)
    pay(payment)
    citizen = Client()
    text = look_up(citizen, dossier.code, submitted.pin).content.decode()
    assert 'data-testid="payment-status">Đã thanh toán<' in text
    assert 'data-testid="payment-paid-at">02/03/2026 11:00<' in text
    assert 'data-testid="payment-transaction">GD20260302000001<' in text
    assert "Thanh toán trực tuyến</button>" not in text
    receipt_url = reverse("portal:fee_receipt", args=[payment.reference])
    assert receipt_url in text
    printed = citizen.get(receipt_url)
    assert printed.status_code == 200
    assert printed["Content-Type"] == "application/pdf"
    # Paid: the button's address refuses to open another order.
    again = citizen.post(reverse("portal:pay_fee", args=[payment.reference]), follow=True)
    assert "Khoản phí này đã được thanh toán." in again.content.decode()


def test_unpaid_the_receipt_is_not_printed(user):
    submitted, payment, dossier = filed_and_accepted(user)
    citizen = Client()
    look_up(citizen, dossier.code, submitted.pin)
    assert citizen.get(reverse("portal:fee_receipt", args=[payment.reference])).status_code == 404


def test_the_gateway_down_the_payer_is_back_on_the_look_up_with_a_clear_message(user, settings):
    settings.HAICAP_PAYMENT_GATEWAY_URL = "http://127.0.0.1:9"  # nothing listens there
    submitted, payment, dossier = filed_and_accepted(user)
    citizen = Client()
    look_up(citizen, dossier.code, submitted.pin)
    answer = citizen.post(reverse("portal:pay_fee", args=[payment.reference]))
    assert answer.status_code == 302
    assert answer["Location"] == f"{reverse('portal:dossier_lookup')}?ma={dossier.code}"
    shown = citizen.get(answer["Location"]).content.decode()
    assert "Hiện không kết nối được cổng thanh toán" in shown
    payment.refresh_from_db()
    assert (payment.status, payment.pay_url) == ("requested", "")


def test_the_return_address_is_the_look_up_of_the_dossier_or_of_the_filing(user):
    submitted, payment, dossier = filed_and_accepted(user)
    payment = Payment.objects.get(pk=payment.pk)  # as the view reads it, after the acceptance
    assert lookup_address(payment) == f"/tra-cuu-ho-so/?ma={dossier.code}"
    payment.submission.dossier = None  # before acceptance, the filing's reference
    assert lookup_address(payment) == f"/tra-cuu-ho-so/?ma={submitted.submission.reference}"


def form_actions(response) -> list[str]:
    """The sources of the page's Content-Security-Policy form-action directive."""
    for directive in response["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        if name == "form-action":
            return sources
    return []


def test_the_page_with_the_pay_button_lets_its_form_lead_to_the_gateway_s_page(user, gateway_for):
    """A browser applies form-action to where the form's answer redirects: without the
    gateway's origin there, Chromium stops the payer on haicap's page."""
    gateway_for()
    submitted, payment, dossier = filed_and_accepted(user)
    citizen = Client()
    page = look_up(citizen, dossier.code, submitted.pin)
    to_gateway = citizen.post(reverse("portal:pay_fee", args=[payment.reference]))
    scheme, _, host, *_path = to_gateway["Location"].split("/")
    assert form_actions(page) == ["'self'", f"{scheme}//{host}"]
    # a look-up with nothing to pay keeps haicap's own policy: forms go to haicap only
    assert form_actions(Client().get(reverse("portal:dossier_lookup"))) == ["'self'"]


def test_an_operator_names_the_payment_page_s_origin_when_it_is_not_the_api_s(
    user, gateway_for, settings
):
    gateway_for()
    settings.HAICAP_PAYMENT_PAGE_ORIGIN = "https://thanhtoan.example.gov.vn"
    submitted, _payment, dossier = filed_and_accepted(user)
    page = look_up(Client(), dossier.code, submitted.pin)
    assert form_actions(page) == ["'self'", "https://thanhtoan.example.gov.vn"]


def pay_on_the_gateway_page(pay_url: str) -> str:
    """The payer presses the gateway page's button; where the gateway sends the browser back."""
    parts = urlsplit(pay_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.request(
        "POST",
        parts.path,
        body=urlencode({"payer": "Nguyễn Thị Mai"}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    answer = connection.getresponse()
    assert answer.status == 303
    location = answer.getheader("Location")
    connection.close()
    return location


def back_message(page) -> str:
    text = page.content.decode()
    if 'data-testid="back-from-gateway"' not in text:
        return ""
    part = text.split('data-testid="back-from-gateway"')[1].split(">", 1)[1].split("</p>")[0]
    return " ".join(part.split())


def test_back_from_the_gateway_the_payer_is_told_so_and_asked_for_the_pin(user, gateway_for):
    """The gateway's confirmation is lost on its way (it reaches haicap later): back on the
    look-up, the payer reads that the gateway answered, then that it is paid once confirmed."""
    gateway_for(Faults(lost_callback_rate=1.0))
    submitted, payment, dossier = filed_and_accepted(user)
    citizen = Client()
    look_up(citizen, dossier.code, submitted.pin)
    to_gateway = citizen.post(reverse("portal:pay_fee", args=[payment.reference]))
    back = urlsplit(pay_on_the_gateway_page(to_gateway["Location"]))
    assert (back.path, parse_qs(back.query)) == (
        "/tra-cuu-ho-so/",
        {"ma": [dossier.code], "thanh_toan": [payment.reference]},
    )
    address = f"{back.path}?{back.query}"
    page = citizen.get(address)
    assert back_message(page) == (
        "Cổng thanh toán chưa báo đã nhận tiền; nhập mã tra cứu (PIN) để xem hồ sơ và tình "
        "trạng khoản phí."
    )
    pay(payment)  # the confirmation arrives
    assert back_message(citizen.get(address)) == (
        "Đã thanh toán 8.000 đồng (mã thanh toán "
        f"{payment.reference}) lúc 02/03/2026 11:00. Nhập mã tra cứu (PIN) để xem hồ sơ và in "
        "biên nhận."
    )


def test_the_return_address_tells_a_browser_without_the_pin_nothing_of_the_payment(user):
    """The return address is guessable: another browser reads only that the gateway answered,
    the same as for a payment that does not exist."""
    _submitted, payment, dossier = filed_and_accepted(user)
    pay(payment)
    generic = "Đã nhận kết quả thanh toán từ cổng thanh toán; nhập mã tra cứu (PIN) để xem hồ sơ."
    stranger = Client()
    page = stranger.get(lookup_address(payment, back_from_gateway=True))
    assert back_message(page) == generic
    main = page.content.decode().split("<main")[1].split("</main>")[0]
    for secret in ("8.000", "11:00", CITIZEN.name, "GD20260302000001", "Đã thanh toán"):
        assert secret not in main
    made_up = f"{reverse('portal:dossier_lookup')}?ma={dossier.code}&thanh_toan=LP-KHONGCO"
    assert back_message(stranger.get(made_up)) == generic
    # the look-up without the parameter says nothing of a payment
    assert back_message(stranger.get(lookup_address(payment))) == ""


def filed_online(national_code: str, hour: int):
    with clock.fixed_at(at(3, 2, hour)):
        submission = dossier_services.submit_online(
            procedure=Procedure.objects.get(national_code=national_code),
            desk=Agency.objects.get(code=DO_LUONG_DESK),
            applicant=CITIZEN,
            competent_unit=AdministrativeUnit.objects.get(code="17662"),
        ).submission
        return submission, services.request_fee(submission)


def test_the_desk_s_list_of_online_filings_says_whether_each_fee_is_paid(user):
    """Before "Tiếp nhận": X.HT.001 has no fee; two X.HT.006 filings (8 000 đồng), one paid."""
    free, no_payment = filed_online("X.HT.001", 7)
    unpaid, _asked = filed_online("X.HT.006", 8)
    paid, payment = filed_online("X.HT.006", 9)
    assert no_payment is None
    pay(payment)
    page = client_for("tiepnhan.doluong").get(reverse("desk:submissions")).content.decode()

    def fee_cell(submission) -> str:
        row = page.split(f'id="submission-{submission.pk}"')[1].split("</tr>")[0]
        cell = row.split('data-testid="fee">')[1].split("</td>")[0]
        return " ".join(re.sub(r"<[^>]+>", " ", cell).split())

    assert '<th scope="col">Phí, lệ phí</th>' in page
    assert fee_cell(free) == "Không thu phí"
    assert fee_cell(unpaid) == "Chưa thanh toán 8.000 đồng"
    assert fee_cell(paid) == "Đã thanh toán 8.000 đồng"
