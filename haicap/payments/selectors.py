"""Reads of online payments, scoped to the acting user (``Payment.objects.restrict``)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from haicap.accounts.models import User
from haicap.core.errors import NotFound, PermissionDenied
from haicap.core.scoping import scope_of
from haicap.dossiers.models import Dossier, OnlineSubmission
from haicap.payments.models import Payment, PaymentReconciliation


def visible_payments(user: User) -> QuerySet[Payment]:
    return Payment.objects.restrict(user)


def payment_of(user: User, reference: str) -> Payment:
    payment = (
        visible_payments(user)
        .select_related("submission__procedure", "submission__desk__unit", "submission__dossier")
        .filter(reference=reference)
        .first()
    )
    if payment is None:
        raise NotFound()
    return payment


def payment_of_submission(submission: OnlineSubmission) -> Payment | None:
    """The fee of a filing, for its confirmation page (shown only to the session that filed
    it, as the filing itself)."""
    return Payment.objects.filter(submission=submission).first()


def payment_of_dossier(user: User, dossier: Dossier) -> Payment | None:
    """The online fee of a dossier the officer sees (None: filed without one, or at the desk)."""
    return visible_payments(user).filter(submission__dossier=dossier).first()


class FeeState(models.TextChoices):
    NO_FEE = "no_fee", _("No fee")
    UNPAID = "unpaid", _("Not paid")
    PAID = "paid", _("Paid")


@dataclass(frozen=True)
class SubmissionFee:
    state: FeeState
    amount_vnd: int  # 0 when the procedure has no fee


def fees_of_submissions(
    user: User, submissions: Iterable[OnlineSubmission]
) -> dict[int, SubmissionFee]:
    """Each online filing's fee, by the filing's id, for the desk's list of filings: paid or
    not, or none for a procedure without one (one query for the whole list; the filings come
    with their procedure). A fee not requested yet is not paid."""
    submissions = list(submissions)
    payments = {
        p.submission_id: p
        for p in visible_payments(user).filter(submission__in=[s.pk for s in submissions])
    }
    fees = {}
    for submission in submissions:
        payment = payments.get(submission.pk)
        if payment is not None:
            paid = payment.status == Payment.Status.PAID
            state = FeeState.PAID if paid else FeeState.UNPAID
            fees[submission.pk] = SubmissionFee(state, payment.amount_vnd)
        elif submission.procedure.fee_vnd > 0:
            fees[submission.pk] = SubmissionFee(FeeState.UNPAID, submission.procedure.fee_vnd)
        else:
            fees[submission.pk] = SubmissionFee(FeeState.NO_FEE, 0)
    return fees


def applicant_payment(
    *, dossier: Dossier | None = None, submission: OnlineSubmission | None = None
) -> Payment | None:
    """The fee of the dossier or filing an applicant has just proved with its PIN (the
    portal's look-up): not scoped to a staff user, the PIN is the applicant's key."""
    if dossier is not None:
        return Payment.objects.filter(submission__dossier=dossier).first()
    if submission is not None:
        return payment_of_submission(submission)
    return None


def applicant_payment_by_reference(reference: str) -> Payment:
    """A payment by its reference, for a browser that proved the filing's PIN (the portal
    checks that first); ``NotFound`` when there is none."""
    payment = (
        Payment.objects.select_related("submission__procedure", "submission__desk__unit")
        .select_related("submission__dossier")
        .filter(reference=reference)
        .first()
    )
    if payment is None:
        raise NotFound()
    return payment


def payments_paid_between(user: User, start: dt.datetime, end: dt.datetime) -> QuerySet[Payment]:
    return (
        visible_payments(user)
        .filter(status=Payment.Status.PAID, paid_at__gte=start, paid_at__lt=end)
        .select_related("submission__dossier", "submission__procedure")
        .order_by("paid_at")
    )


def dossiers_paid_online(user: User, start: dt.datetime, end: dt.datetime) -> int:
    """How many dossiers the user sees had their fee paid online in [start, end): for the
    Decision 766 index's online-payment group (its formula is part (g)'s to state)."""
    return (
        payments_paid_between(user, start, end)
        .filter(submission__dossier__isnull=False)
        .values("submission__dossier")
        .distinct()
        .count()
    )


def reconciliations(user: User, limit: int = 14) -> list[PaymentReconciliation]:
    """The latest runs: the gateway's statement is the whole province's, so the province's
    readers and the system administrators see it."""
    scope = scope_of(user)
    if not (scope.province_wide or scope.is_system_admin):
        raise PermissionDenied()
    return list(PaymentReconciliation.objects.all()[:limit])
