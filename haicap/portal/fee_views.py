"""The fee of a dossier the visitor has proved with its PIN (Decree 118/2025/NĐ-CP Art. 24:
fees and charges paid online): go to the payment gateway while it is unpaid, print the
receipt once it is paid. The look-up page shows the fee and remembers, in the session, that
this visitor may do both (``receipts.allow_fee``)."""

from dataclasses import dataclass

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.core.errors import DomainError, NotFound
from haicap.dossiers.printing import pdf_response
from haicap.payments import selectors as payment_selectors
from haicap.payments import services as payments
from haicap.payments.models import Payment
from haicap.payments.receipt import receipt
from haicap.portal import receipts


def _proved_payment(request: HttpRequest, reference: str) -> Payment:
    if not receipts.may_see_fee(request.session, reference):
        raise NotFound(
            _("Look up your dossier with its code and PIN first, then pay or print from there.")
        )
    return payment_selectors.applicant_payment_by_reference(reference)


# The look-up's parameter that says the visitor comes back from the gateway's page, naming the
# payment: its address is guessable, so it shows nothing of the payment by itself (``returned``).
BACK_FROM_GATEWAY = "thanh_toan"


def lookup_address(payment: Payment, back_from_gateway: bool = False) -> str:
    """The look-up page, with the dossier's code (or, before it has one, the filing's); the
    address the gateway sends the payer back to names the payment too."""
    submission = payment.submission
    query = {"ma": submission.dossier.code if submission.dossier_id else submission.reference}
    if back_from_gateway:
        query[BACK_FROM_GATEWAY] = payment.reference
    return f"{reverse('portal:dossier_lookup')}?{urlencode(query)}"


@dataclass(frozen=True)
class BackFromGateway:
    """A visitor back on the look-up from the gateway's page: ``payment`` only for a browser
    that proved the dossier's PIN here (who else comes to the address learns nothing of it)."""

    payment: Payment | None


def returned(request: HttpRequest) -> BackFromGateway | None:
    """Whether the look-up was opened on the way back from the gateway's page."""
    reference = request.GET.get(BACK_FROM_GATEWAY, "")[:20]
    if not reference:
        return None
    if not receipts.may_see_fee(request.session, reference):
        return BackFromGateway(None)
    try:
        return BackFromGateway(payment_selectors.applicant_payment_by_reference(reference))
    except NotFound:
        return BackFromGateway(None)


@require_POST
def pay_fee(request: HttpRequest, reference: str) -> HttpResponse:
    """Send the visitor to the gateway's page for the fee; back to the look-up afterwards."""
    payment = _proved_payment(request, reference)
    back = request.build_absolute_uri(lookup_address(payment, back_from_gateway=True))
    callback = request.build_absolute_uri(reverse("payment_confirmation"))
    try:
        pay_url = payments.open_order(payment.reference, back, callback)
    except DomainError as failure:
        flash.error(request, failure.detail)
        return redirect(lookup_address(payment))
    response = HttpResponseRedirect(pay_url)
    response.status_code = 303
    return response


def fee_receipt(request: HttpRequest, reference: str) -> HttpResponse:
    """The printed receipt of a fee paid online, for the visitor who proved the dossier."""
    payment = _proved_payment(request, reference)
    if payment.status != Payment.Status.PAID:
        raise NotFound(_("A receipt is printed once the fee is paid."))
    return pdf_response(receipt(payment), f"bien-nhan-{payment.reference}.pdf")
