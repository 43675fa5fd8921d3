"""Writes to the outbox. Called by other services inside their own transaction, so a message
exists exactly when the change it reports was committed."""

from django.db import connection

from haicap.core import clock
from haicap.exchange.messages import NATIONAL_PORTAL, dossier_status
from haicap.exchange.models import OutboxMessage


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
