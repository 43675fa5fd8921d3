"""Online payments of a procedure's fees and charges (Decree 118/2025/NĐ-CP Art. 24: through
the national payment platform) and the daily reconciliation with the gateway's statement.

Money is integer VND (haicap's design rule): no amount here has a fraction.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haicap.core.restricted import RestrictedQuerySet
from haicap.core.roles import Role
from haicap.core.scoping import Scope
from haicap.dossiers.models import Dossier


class PaymentQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """A payment is seen by whoever sees its filing: the desk it was filed at, and, once it
        is a dossier, everybody who sees the dossier (the dossiers' one rule)."""
        dossiers = Dossier.objects.filter(Dossier.objects.all().visible_to(scope))
        return Q(submission__desk_id__in=scope.agencies_where(Role.INTAKE_OFFICER)) | Q(
            submission__dossier__in=dossiers.values("pk")
        )


class Payment(models.Model):
    """The fee of one online filing: requested when filed, paid through the gateway."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for payment")
        PAID = "paid", _("Paid")

    reference = models.CharField(_("payment reference"), max_length=20, unique=True)
    submission = models.OneToOneField(
        "dossiers.OnlineSubmission", on_delete=models.PROTECT, related_name="payment"
    )
    amount_vnd = models.PositiveBigIntegerField(_("amount (VND)"))
    payer_name = models.CharField(_("payer"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_at = models.DateTimeField(_("requested at"))
    pay_url = models.URLField(_("payment page"), max_length=500, blank=True)
    # Null until paid; unique, so one gateway transaction pays one payment only.
    transaction_id = models.CharField(
        _("gateway transaction"), max_length=100, null=True, blank=True, unique=True
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True, db_index=True)
    # The receipt's number: the desk's running number of paid fees in the year it was paid
    # (a receipt is numbered in its issuer's series); given when the payment is confirmed.
    receipt_year = models.PositiveSmallIntegerField(null=True, blank=True)
    receipt_number = models.PositiveIntegerField(_("receipt number"), null=True, blank=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return self.reference


class Confirmation(models.Model):
    """One confirmation applied: a gateway transaction is applied once, however often it comes
    (the callback twice, the callback and the poll). The unique transaction id makes the second
    one fail to insert, on every database, even when both arrive at the same moment."""

    transaction_id = models.CharField(max_length=100, unique=True)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="confirmations")
    amount_vnd = models.PositiveBigIntegerField()
    received_at = models.DateTimeField()
    via = models.CharField(max_length=10)  # "callback" or "poll"

    def __str__(self) -> str:
        return self.transaction_id


class PaymentReconciliation(models.Model):
    """One day of haicap's payments against the gateway's statement, and every difference."""

    day = models.DateField(_("day"), db_index=True)
    ran_at = models.DateTimeField(_("ran at"))
    local_count = models.PositiveIntegerField(_("payments here"))
    remote_count = models.PositiveIntegerField(_("transactions there"), null=True)
    differences = models.JSONField(default=list)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-day", "-ran_at"]

    def __str__(self) -> str:
        return f"{self.day}"
