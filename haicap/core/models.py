"""The shared kernel's tables: the append-only, hash-chained audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haicap.core.append_only import AppendOnlyTable, register


class AuditRecord(models.Model):
    """One change made through a service: who, when, from where, on what, before and after.

    Rows are only ever inserted (database triggers refuse UPDATE and DELETE). The log is
    several chains (``core.audit_chain``); in its ``chain``, ``seq`` runs 1, 2, 3… without gaps
    and each row's ``hash`` chains it to the row before. ``id`` is the order across chains.
    """

    chain = models.SmallIntegerField(default=0, editable=False)
    seq = models.BigIntegerField(editable=False)
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the log outlives the accounts it mentions
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True, default="")
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("record type"), max_length=80)
    object_id = models.CharField(_("record id"), max_length=64)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="unique_audit_chain_seq")
        ]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"#{self.chain}.{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The head of one chain: appends to that chain lock it, and it remembers the last link.
    ``chain`` -1 is the anchors' head (``AuditAnchor``)."""

    chain = models.SmallIntegerField(unique=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"audit chain {self.chain} at #{self.last_seq}"


class AuditAnchor(models.Model):
    """Every chain's head at a moment, chained to the anchor before (append-only like the log):
    a record cut off a chain's end together with its head is missing from a later anchor."""

    seq = models.BigIntegerField(unique=True, editable=False)
    made_at = models.DateTimeField(editable=False)
    heads = models.JSONField(editable=False)  # [[chain, last seq, last hash], ...]
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit anchor")

    def __str__(self) -> str:
        return f"anchor #{self.seq}"


# The anchors are history like the log: the same triggers, made by the migration that made them.
AUDIT_ANCHORS = register(
    AppendOnlyTable(
        table="core_auditanchor",
        refusal="the audit anchors are append-only",
        postgres_function="haicap_refuse_audit_anchor_change",
    )
)
