"""The outbox: messages to national systems, written in the same transaction as the change."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One message a national system must receive, exactly once and in order per dossier."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        HELD = "held", _("Held: a code has no national mapping")
        SENT = "sent", _("Sent")
        DEAD = "dead", _("Gave up")

    target = models.CharField(_("target system"), max_length=30)
    kind = models.CharField(_("kind"), max_length=60)
    # Messages about one dossier go out in the order of its events.
    stream = models.CharField(_("stream"), max_length=80, db_index=True)
    position = models.PositiveIntegerField(_("position in the stream"))
    payload = models.JSONField(_("payload"))
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # A worker that took the message holds it until then; a killed worker's lease runs out.
    leased_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "stream", "position"], name="unique_outbox_position"
            )
        ]
        indexes = [
            models.Index(
                fields=["target", "next_attempt_at"],
                name="outbox_due",
                condition=models.Q(status="pending"),
            )
        ]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self) -> str:
        return f"{self.target} {self.stream}#{self.position} {self.kind}"


class CodeMapping(models.Model):
    """A local code and the code a national system knows it by."""

    class Kind(models.TextChoices):
        PROCEDURE = "procedure", _("Procedure")
        STATUS = "status", _("Status")
        UNIT = "unit", _("Administrative unit")
        AGENCY = "agency", _("Agency")

    target = models.CharField(_("target system"), max_length=30)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    local_code = models.CharField(_("local code"), max_length=80)
    national_code = models.CharField(_("national code"), max_length=80)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["target", "kind", "local_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "kind", "local_code"], name="unique_code_mapping"
            )
        ]
        verbose_name = _("code mapping")
        verbose_name_plural = _("code mappings")

    def __str__(self) -> str:
        return f"{self.target} {self.kind} {self.local_code} → {self.national_code}"


class InboundDossier(models.Model):
    """A dossier filed on a national portal, received once whatever the number of deliveries."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received as a dossier")
        REFUSED = "refused", _("Refused")

    source = models.CharField(_("source system"), max_length=30)
    national_id = models.CharField(_("national id"), max_length=80)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    reason = models.TextField(_("why it was refused"), blank=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inbound",
    )
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["source", "national_id"], name="unique_inbound")
        ]
        verbose_name = _("inbound dossier")
        verbose_name_plural = _("inbound dossiers")

    def __str__(self) -> str:
        return f"{self.source} {self.national_id}"


class BusinessRecord(models.Model):
    """What the national business register said of an enterprise, kept for when it is away."""

    enterprise_code = models.CharField(_("enterprise code"), max_length=14, unique=True)
    name = models.CharField(_("name"), max_length=300)
    address = models.CharField(_("address"), max_length=400, blank=True)
    representative = models.CharField(_("legal representative"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=60, blank=True)
    payload = models.JSONField(_("payload"), default=dict)
    fetched_at = models.DateTimeField(_("fetched at"))

    class Meta:
        verbose_name = _("business record")
        verbose_name_plural = _("business records")

    def __str__(self) -> str:
        return f"{self.enterprise_code} {self.name}"


class Reconciliation(models.Model):
    """One comparison, for a target and a day, of what haicap holds and what the target reports."""

    target = models.CharField(_("target system"), max_length=30)
    day = models.DateField(_("day"))
    ran_at = models.DateTimeField(_("ran at"))
    local_count = models.PositiveIntegerField(_("messages held here"))
    remote_count = models.PositiveIntegerField(_("messages the target holds"), null=True)
    local_digest = models.CharField(max_length=64)
    remote_digest = models.CharField(max_length=64, blank=True)
    differences = models.JSONField(_("differences"), default=list)
    resent = models.PositiveIntegerField(_("messages sent again"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-ran_at"]
        indexes = [models.Index(fields=["target", "day"], name="reconciliation_day")]
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")

    def __str__(self) -> str:
        return f"{self.target} {self.day:%d/%m/%Y}"


class InboundRepeat(models.Model):
    """A delivery under a national id already received whose content differs from the first.

    It is not merged into the first filing's dossier, nor received as a new one: an operator
    compares the two and settles it with the national portal, writing down what was done.
    """

    source = models.CharField(_("source system"), max_length=30)
    national_id = models.CharField(_("national id"), max_length=80)
    first = models.ForeignKey(
        InboundDossier,
        verbose_name=_("first delivery"),
        on_delete=models.PROTECT,
        related_name="repeats",
    )
    payload = models.JSONField(_("payload"))
    payload_digest = models.CharField(max_length=64)
    arrived_at = models.DateTimeField(_("arrived at"))
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    settlement = models.TextField(_("what was done"), blank=True)

    class Meta:
        ordering = ["-arrived_at"]
        constraints = [
            # The same differing content sent again is one hold, not a new one each time.
            models.UniqueConstraint(
                fields=["first", "payload_digest"], name="unique_inbound_repeat"
            )
        ]
        verbose_name = _("held repeat of a filing")
        verbose_name_plural = _("held repeats of filings")

    def __str__(self) -> str:
        return f"{self.source} {self.national_id}"
