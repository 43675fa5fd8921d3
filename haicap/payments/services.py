"""Writes of online payments: the fee requested at filing, the order at the gateway, the
confirmation applied once, the dossier paused and resumed by itself, the daily reconciliation.

Sources: Decree 118/2025/NĐ-CP Art. 24 (fees and charges paid online through the national
payment platform); haicap's convention 5 (domain.md): waiting for the applicant's financial
obligation pauses the clock, which resumes where it stopped.
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.context import acting_as
from haicap.core.errors import Conflict, DomainError, InvalidInput, NotFound
from haicap.dossiers import services as dossier_services
from haicap.dossiers.models import OnlineSubmission
from haicap.payments import matching, wire
from haicap.payments.gateway import GatewayError, PaymentGateway, connector
from haicap.payments.models import Confirmation, Payment, PaymentReconciliation
from haicap.units.models import Agency

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
POLL_FOR = dt.timedelta(days=7)  # an order unpaid after a week is not asked about every minute
PAUSE_NOTE = "Chờ nộp phí, lệ phí trực tuyến"  # the event's note, in the dossier's language
RESUME_NOTE = "Đã nhận xác nhận thanh toán trực tuyến"


class GatewayUnavailable(DomainError):
    code = "payment_gateway_unavailable"
    status = 503
    title = _("The payment gateway cannot be reached")


def request_fee(submission: OnlineSubmission) -> Payment | None:
    """The fee of the submission's procedure, requested once; None for a procedure without one."""
    amount = submission.procedure.fee_vnd
    if amount <= 0:
        return None
    with transaction.atomic():
        payment, made = Payment.objects.get_or_create(
            submission=submission,
            defaults={
                "reference": "LP-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(12)),
                "amount_vnd": amount,
                "payer_name": submission.applicant_name,
                "requested_at": clock.now(),
            },
        )
        if made:
            record_change(
                "payment.requested",
                payment,
                after={"reference": payment.reference, "amount_vnd": amount},
            )
    return payment


def open_order(
    reference: str, return_url: str, callback_url: str, gateway: PaymentGateway | None = None
) -> str:
    """The payer's page at the gateway for an unpaid payment (opened there the first time)."""
    payment = (
        Payment.objects.select_related("submission__procedure").filter(reference=reference).first()
    )
    if payment is None:
        raise NotFound()
    if payment.status == Payment.Status.PAID:
        raise Conflict(_("This fee is already paid."))
    try:
        pay_url = (gateway or connector()).open_order(
            payment.reference,
            payment.amount_vnd,
            payment.submission.procedure.name[:200],
            return_url,
            callback_url,
        )
    except GatewayError as error:
        raise GatewayUnavailable(
            _("The payment gateway cannot be reached now; nothing was paid. Try again later.")
        ) from error
    if pay_url != payment.pay_url:
        with transaction.atomic():
            Payment.objects.filter(pk=payment.pk).update(pay_url=pay_url)
            record_change("payment.ordered", payment, after={"pay_url": pay_url})
    return pay_url


@dataclass(frozen=True)
class Applied:
    payment: Payment
    new: bool  # False: this transaction was applied before; nothing changed now


def confirm(found: wire.Transaction, via: str) -> Applied:
    """Apply the gateway's word that a payment is made: once per transaction id.

    The amount must be the one requested (integer VND, exactly); a confirmation of another
    amount, or of a transaction that is not paid, is refused and changes nothing (the
    reconciliation lists it). The dossier waiting for the payment resumes at once.
    """
    if found.status != wire.PAID:
        raise InvalidInput(_("The gateway reports this payment as not paid."))
    now = clock.now()
    try:
        with transaction.atomic():
            payment = Payment.objects.select_for_update().filter(reference=found.reference).first()
            if payment is None:
                raise NotFound(_("No payment has this reference."))
            if found.amount_vnd != payment.amount_vnd:
                raise InvalidInput(
                    _("The gateway reports %(paid)s đồng; %(asked)s đồng were asked.")
                    % {"paid": found.amount_vnd, "asked": payment.amount_vnd}
                )
            # The unique transaction id: a second confirmation fails here, changing nothing.
            Confirmation.objects.create(
                transaction_id=found.transaction_id,
                payment=payment,
                amount_vnd=found.amount_vnd,
                received_at=now,
                via=via,
            )
            if payment.status == Payment.Status.PAID:
                raise Conflict(_("This payment was already paid by another transaction."))
            payment.status = Payment.Status.PAID
            payment.transaction_id = found.transaction_id
            payment.paid_at = _moment(found.paid_at) or now
            payment.receipt_year, payment.receipt_number = _next_receipt(payment)
            payment.save(
                update_fields=[
                    "status",
                    "transaction_id",
                    "paid_at",
                    "receipt_year",
                    "receipt_number",
                ]
            )
            record_change(
                "payment.confirmed",
                payment,
                after={
                    "transaction_id": found.transaction_id,
                    "amount_vnd": found.amount_vnd,
                    "via": via,
                    "receipt_number": payment.receipt_number,
                },
            )
            settle(payment)
    except IntegrityError:
        known = Confirmation.objects.filter(transaction_id=found.transaction_id).first()
        if known is None or known.payment.reference != found.reference:
            raise Conflict(_("This transaction was applied to another payment.")) from None
        return Applied(known.payment, new=False)
    return Applied(payment, new=True)


def _next_receipt(payment: Payment) -> tuple[int, int]:
    """The year the fee was paid (in Vietnam) and the desk's next receipt number in it; the
    desk's row is locked, so two confirmations at one desk never share a number."""
    desk_id = payment.submission.desk_id
    Agency.objects.select_for_update().filter(pk=desk_id).first()
    year = payment.paid_at.astimezone(VIETNAM).year
    last = Payment.objects.filter(submission__desk_id=desk_id, receipt_year=year).aggregate(
        Max("receipt_number")
    )["receipt_number__max"]
    return year, (last or 0) + 1


def _moment(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM)
    return moment


def settle(payment: Payment) -> str:
    """Pause the payment's dossier while the fee is unpaid, resume it once paid; what it did.

    The pause is the process's own (``request_payment``, taken when the dossier is being
    processed); only a pause the system took for this payment is resumed by it.
    """
    dossier = payment.submission.dossier if payment.submission_id else None
    if dossier is None:
        return ""
    pause_key = f"payment:{payment.reference}:pause"
    if payment.status != Payment.Status.PAID:
        moved = dossier_services.take_automatic(
            dossier.code,
            dossier_services.PAYMENT_PAUSE,
            note=PAUSE_NOTE,
            idempotency_key=pause_key,
            data={"payment": payment.reference, "amount_vnd": payment.amount_vnd},
        )
        return "paused" if moved else ""
    last = dossier.events.order_by("-seq").values_list("idempotency_key", flat=True).first()
    if last != pause_key:
        return ""
    moved = dossier_services.take_automatic(
        dossier.code,
        dossier_services.PAYMENT_RESUME,
        note=RESUME_NOTE,
        idempotency_key=f"payment:{payment.reference}:resume",
        data={"payment": payment.reference, "transaction_id": payment.transaction_id},
    )
    return "resumed" if moved else ""


def settle_all() -> dict[str, int]:
    """Every dossier in processing with its fee unpaid is paused; every one paused for a fee
    since paid is resumed (a confirmation that came before the pause, or a missed one)."""
    done = {"paused": 0, "resumed": 0}
    unpaid = Payment.objects.filter(
        status=Payment.Status.REQUESTED,
        submission__dossier__step__in=_pausing_steps(),
    )
    paid = Payment.objects.filter(
        status=Payment.Status.PAID, submission__dossier__step="awaiting_payment"
    )
    for payment in [*unpaid.select_related("submission__dossier"), *paid]:
        if what := settle(payment):
            done[what] += 1
    return done


def _pausing_steps() -> list[str]:
    """The steps the standard process pauses for a fee from (one-stop-standard.json); a
    template that pauses from elsewhere is handled by ``take_automatic``'s own check."""
    return ["processing"]


def poll(gateway: PaymentGateway | None = None) -> int:
    """Ask the gateway about the orders it has not confirmed (a lost callback); how many
    confirmations were applied now."""
    gateway = gateway or connector()
    since = clock.now() - POLL_FOR
    applied = 0
    waiting = Payment.objects.filter(
        status=Payment.Status.REQUESTED, requested_at__gte=since
    ).exclude(pay_url="")
    for reference in waiting.values_list("reference", flat=True)[:500]:
        try:
            found = gateway.transaction(reference)
        except GatewayError:
            break  # the gateway is down: the next round asks again
        if found is None or found.status != wire.PAID:
            continue
        try:
            applied += confirm(found, "poll").new
        except DomainError:
            continue  # refused (another amount): the reconciliation lists it
    return applied


def run_scheduled() -> str:
    """The worker's job, every minute: ask about unconfirmed orders, then pause and resume."""
    with acting_as("payments"):
        applied = poll()
        done = settle_all()
    return f"confirmed by asking {applied}, paused {done['paused']}, resumed {done['resumed']}"


def reconcile(day: dt.date, gateway: PaymentGateway | None = None) -> PaymentReconciliation:
    """Compare haicap's payments of ``day`` (Vietnam) with the gateway's statement; keep every
    difference. A gateway that cannot be read is recorded as such, and nothing is compared."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=VIETNAM)
    paid_here = Payment.objects.filter(paid_at__gte=start, paid_at__lt=start + dt.timedelta(1))
    now = clock.now()
    try:
        statement = (gateway or connector()).statement(day)
    except GatewayError as error:
        with transaction.atomic():
            run = PaymentReconciliation.objects.create(
                day=day, ran_at=now, local_count=paid_here.count(), error=str(error)
            )
            record_change("payments.reconciled", run, after={"day": day, "error": str(error)})
        return run
    named = {line.reference for line in statement}
    here = [
        matching.Line(p.reference, p.transaction_id or "", p.amount_vnd, p.status)
        for p in {
            *paid_here,
            *Payment.objects.filter(reference__in=named),
        }
    ]
    there = [
        matching.Line(t.reference, t.transaction_id, t.amount_vnd, t.status) for t in statement
    ]
    differences = matching.compare(here, there)
    with transaction.atomic():
        run = PaymentReconciliation.objects.create(
            day=day,
            ran_at=now,
            local_count=paid_here.count(),
            remote_count=len(statement),
            differences=[_difference(d) for d in differences],
        )
        record_change(
            "payments.reconciled", run, after={"day": day, "differences": len(differences)}
        )
    return run


def _difference(found: matching.Difference) -> dict:
    def side(line: matching.Line | None) -> dict | None:
        if line is None:
            return None
        return {
            "transaction_id": line.transaction_id,
            "amount_vnd": line.amount_vnd,
            "status": line.status,
        }

    return {
        "kind": found.kind,
        "reference": found.reference,
        "here": side(found.here),
        "there": side(found.there),
    }


def reconcile_yesterday() -> PaymentReconciliation:
    """The worker's nightly job: yesterday (Vietnam time) against the gateway's statement."""
    with acting_as("payments-reconciliation"):
        return reconcile(clock.now().astimezone(VIETNAM).date() - dt.timedelta(days=1))
