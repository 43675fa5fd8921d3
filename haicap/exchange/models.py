"""The outbox: messages to national systems, written in the same transaction as the change."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One message a national system must receive, exactly once and in order per dossier."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
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

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "stream", "position"], name="unique_outbox_position"
            )
        ]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self) -> str:
        return f"{self.target} {self.stream}#{self.position} {self.kind}"
