"""Reads of online payments, scoped to the acting user (``Payment.objects.restrict``)."""

import datetime as dt

from django.db.models import QuerySet

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
