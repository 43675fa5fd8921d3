"""The daily reconciliation against the simulator's statement (every kind of difference, worked
out by hand), its command and desk page, and the printed receipt."""

import datetime as dt
import io
import re
import subprocess
import unicodedata

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from haicap.core import clock
from haicap.payments import services, wire
from haicap.payments.models import PaymentReconciliation
from natsim.payments import Faults
from tests.conftest import client_for
from tests.dossiers.test_scenarios import at
from tests.payments.test_online_fees import accept_and_forward, file_online, open_order

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)


def paid_through_gateway(gateway, when, minutes_later=10):
    """A filing at ``when`` whose fee is paid at the gateway and confirmed by asking."""
    submission, payment = file_online(when=when)
    open_order(payment)
    gateway.book.pay(
        payment.reference, "Nguyễn Thị Mai", now=when + dt.timedelta(minutes=minutes_later)
    )
    return submission, payment


def test_every_difference_of_the_day_is_listed(gateway_for, capsys):
    gateway = gateway_for(Faults(lost_callback_rate=1.0))
    _s, same = paid_through_gateway(gateway, at(3, 2, 8))
    _s, other_amount = paid_through_gateway(gateway, at(3, 2, 9))
    _s, unheard = file_online(when=at(3, 2, 10))
    open_order(unheard)
    _s, unknown_there = file_online(when=at(3, 2, 11))
    with clock.fixed_at(at(3, 2, 10, 5)):
        services.poll()  # the first two are confirmed by asking
    gateway.book.pay(unheard.reference, "Nguyễn Thị Mai", now=at(3, 2, 10, 10))
    unheard.refresh_from_db()
    assert unheard.status == "requested"  # its confirmation was lost and nobody asked since
    # haicap applies a confirmation the gateway has no record of (the gateway lost it) ...
    services.confirm(
        wire.Transaction(
            "GD-LOST", unknown_there.reference, 8000, "paid", "2026-03-02T11:05:00+07:00"
        ),
        "callback",
    )
    # ... the gateway's own record of the second changes, and it took money for no order.
    gateway.book.alter(other_amount.reference, amount_vnd=80000)
    gateway.book.add_paid("LP-KHONGBIET", 8000, "GD-STRANGER", at(3, 2, 15))

    run = services.reconcile(MONDAY)
    assert (run.local_count, run.remote_count) == (3, 4)
    assert sorted((d["kind"], d["reference"]) for d in run.differences) == sorted(
        [
            ("amount_differs", other_amount.reference),
            ("status_differs", unheard.reference),
            ("missing_there", unknown_there.reference),
            ("missing_here", "LP-KHONGBIET"),
        ]
    )
    assert same.reference not in {d["reference"] for d in run.differences}
    by_kind = {d["kind"]: d for d in run.differences}
    assert by_kind["amount_differs"]["here"]["amount_vnd"] == 8000
    assert by_kind["amount_differs"]["there"]["amount_vnd"] == 80000

    call_command("reconcile_payments", "--day", "2026-03-02")
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "02/03/2026: 3 paid here, 4 at the gateway, 4 differences"
    assert "  missing_here LP-KHONGBIET: here - - -; there 8000 paid GD-STRANGER" in out

    page = client_for("admin").get(reverse("desk:payment_reconciliation"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "LP-KHONGBIET" in text and other_amount.reference in text


def test_an_unreadable_gateway_is_recorded_and_the_command_fails_with_one_line(settings):
    settings.HAICAP_PAYMENT_GATEWAY_URL = "http://127.0.0.1:9"
    with pytest.raises(CommandError, match="the payment gateway cannot be read"):
        call_command("reconcile_payments", "--day", "2026-03-02")
    assert PaymentReconciliation.objects.get().error
    with pytest.raises(CommandError, match="--day must be YYYY-MM-DD"):
        call_command("reconcile_payments", "--day", "2/3/2026")


def test_a_commune_officer_does_not_see_the_province_reconciliation():
    answer = client_for("tiepnhan.doluong").get(reverse("desk:payment_reconciliation"))
    assert answer.status_code == 403


def test_the_printed_receipt_carries_amount_payer_dossier_code_and_transaction(user, gateway_for):
    gateway = gateway_for(Faults(lost_callback_rate=1.0))
    submission, payment = paid_through_gateway(gateway, at(3, 2, 8), minutes_later=5)
    dossier = accept_and_forward(user, submission)
    with clock.fixed_at(at(3, 2, 9, 30)):
        services.poll()
    answer = client_for("tiepnhan.doluong").get(
        reverse("desk:payment_receipt", args=[payment.reference])
    )
    assert answer["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    assert "8.000 đồng" in text
    assert "Nguyễn Thị Mai" in text
    assert dossier.code in text
    assert "GD20260302000001" in text
    # another commune's officer cannot print it
    other = client_for("tiepnhan.vanhien").get(
        reverse("desk:payment_receipt", args=[payment.reference])
    )
    assert other.status_code == 404


def test_an_unpaid_fee_has_no_receipt():
    _submission, payment = file_online()
    answer = client_for("tiepnhan.doluong").get(
        reverse("desk:payment_receipt", args=[payment.reference])
    )
    assert answer.status_code == 403


def pdftotext(content: bytes, tmp_path) -> str:
    (tmp_path / "receipt.pdf").write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "receipt.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return unicodedata.normalize("NFC", text)


def receipt_text(payment, tmp_path) -> str:
    answer = client_for("tiepnhan.doluong").get(
        reverse("desk:payment_receipt", args=[payment.reference])
    )
    assert answer.status_code == 200
    return pdftotext(answer.content, tmp_path)


def test_a_receipt_before_acceptance_names_the_online_filing_and_is_numbered(gateway_for, tmp_path):
    gateway = gateway_for(Faults(lost_callback_rate=1.0))
    submission, first = paid_through_gateway(gateway, at(3, 2, 8), minutes_later=5)
    with clock.fixed_at(at(3, 2, 8, 10)):
        services.poll()  # confirmed first: the first number
    _submission, second = paid_through_gateway(gateway, at(3, 2, 8, 30), minutes_later=5)
    with clock.fixed_at(at(3, 2, 8, 40)):
        services.poll()
    text = receipt_text(first, tmp_path)
    # not accepted yet: the filing's code, said to be the filing's, not a dossier code
    assert f"Mã hồ sơ nộp trực tuyến: {submission.reference}" in text
    assert "Mã hồ sơ:" not in text
    # the amount in words as well as in figures
    assert "Số tiền: 8.000 đồng" in text and "Số tiền bằng chữ: Tám nghìn đồng" in text
    # the desk's first and second receipts of 2026
    assert "Số: 1/2026" in text
    assert "Số: 2/2026" in receipt_text(second, tmp_path)
    # the desk's name breaks into even lines, never one word alone on the last
    assert "TRUNG TÂM PHỤC VỤ" in text and "HÀNH CHÍNH CÔNG" in text
    assert not re.search(r"^\s*CÔNG\s*(Độc lập|$)", text, re.MULTILINE)


def test_a_receipt_after_acceptance_shows_the_dossier_code_once(user, gateway_for, tmp_path):
    gateway = gateway_for(Faults(lost_callback_rate=1.0))
    submission, payment = paid_through_gateway(gateway, at(3, 2, 8), minutes_later=5)
    dossier = accept_and_forward(user, submission)
    with clock.fixed_at(at(3, 2, 9, 30)):
        services.poll()
    text = receipt_text(payment, tmp_path)
    assert text.count(dossier.code) == 1 and f"Mã hồ sơ: {dossier.code}" in text
    assert submission.reference not in text
