"""Writes of the exchange: the outbox (called by other services inside their own transaction,
so a message exists exactly when the change it reports was committed), the code mappings, and
an operator's retry."""

import datetime as dt

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.accounts.services import require_writable
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.errors import PermissionDenied
from haicap.core.scoping import scope_of
from haicap.dossiers.changes import DossierChange
from haicap.exchange.mapping import release_held
from haicap.exchange.mapping_sheet import MappingRow
from haicap.exchange.messages import NATIONAL_PORTAL, dossier_status
from haicap.exchange.models import CodeMapping, OutboxMessage, Reconciliation
from haicap.exchange.reconciliation import reconcile


def on_dossier_change(change: DossierChange) -> None:
    """Every receipt and action is a message to the national portal, in its transaction."""
    enqueue_dossier_event(change.dossier, change.event)


def enqueue_dossier_event(dossier: object, event: object) -> OutboxMessage:
    """Tell the national portal what happened to a dossier (its event ``seq`` orders the stream)."""
    if not connection.in_atomic_block:
        raise RuntimeError("the outbox is written inside the transaction of the change")
    return OutboxMessage.objects.create(
        target=NATIONAL_PORTAL,
        kind=f"dossier.{event.action}",
        stream=dossier.code,
        position=event.seq,
        payload=dossier_status(
            code=dossier.code,
            procedure_code=dossier.procedure.national_code,
            receiving_agency=dossier.receiving_agency.code,
            competent_agency=dossier.competent_agency.code,
            applicant_name=dossier.applicant_name,
            applicant_id_number=dossier.applicant_id_number,
            business_code=dossier.business_code,
            channel=dossier.channel,
            event_seq=event.seq,
            action=event.action,
            step=dossier.step,
            outcome=dossier.outcome,
            received_at=dossier.received_at,
            due_at=dossier.due_at,
            finished_at=dossier.finished_at,
            happened_at=event.at,
        ),
        created_at=clock.now(),
    )


def require_operator(actor: User | None) -> None:
    """The exchange is run by the province's system administrators."""
    if actor is None:
        return
    require_writable(actor)
    if not scope_of(actor).is_system_admin:
        raise PermissionDenied(_("Only a system administrator runs the exchange."))


def import_mappings(actor: User | None, rows: list[MappingRow]) -> tuple[int, int, int]:
    """Create or update mappings; then release the messages that waited for them.

    Returns (created, updated, released).
    """
    require_operator(actor)
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            mapping, made = CodeMapping.objects.get_or_create(
                target=row.target,
                kind=row.kind,
                local_code=row.local_code,
                defaults={"national_code": row.national_code, "note": row.note},
            )
            if made:
                created += 1
            elif (mapping.national_code, mapping.note) != (row.national_code, row.note):
                mapping.national_code, mapping.note = row.national_code, row.note
                mapping.save(update_fields=["national_code", "note"])
                updated += 1
        if created or updated:
            record_change(
                "code_mappings.imported",
                ("exchange.codemapping", "import"),
                actor=actor,
                after={"created": created, "updated": updated},
            )
        released = release_held()
    return created, updated, released


def retry(actor: User, messages: QuerySet[OutboxMessage]) -> int:
    """An operator sends given-up messages again, from a fresh count of attempts."""
    require_operator(actor)
    with transaction.atomic():
        chosen = list(messages.select_for_update().filter(status=OutboxMessage.Status.DEAD))
        for message in chosen:
            message.status = OutboxMessage.Status.PENDING
            message.attempts = 0
            message.next_attempt_at = clock.now()
            message.leased_until = None
            message.save(update_fields=["status", "attempts", "next_attempt_at", "leased_until"])
        if chosen:
            record_change(
                "outbox.retried",
                ("exchange.outboxmessage", "retry"),
                actor=actor,
                after={"messages": [m.pk for m in chosen][:1000], "count": len(chosen)},
            )
    released = release_held()
    return len(chosen) + released


def reconcile_now(actor: User | None, target: str, day: dt.date) -> Reconciliation:
    """Reconcile one day with a target now (an operator's button, the command, the daily job)."""
    require_operator(actor)
    from haicap.exchange.connector import remote_entries  # the connector to the target

    return reconcile(target, day, remote_entries)


def reconcile_yesterday() -> list[Reconciliation]:
    """The worker's nightly job: yesterday (Vietnam time) against every target messages went to."""
    day = clock.now().astimezone(VIETNAM).date() - dt.timedelta(days=1)
    targets = OutboxMessage.objects.values_list("target", flat=True).distinct()
    return [reconcile_now(None, target, day) for target in sorted(set(targets))]
