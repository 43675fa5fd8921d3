"""The append-only history of a dossier: one event per receipt or action."""

from haicap.accounts.models import User
from haicap.core import clock
from haicap.dossiers.models import Dossier, DossierEvent
from haicap.units.models import Agency
from haicap.workflow.engine import Clock


def append_event(
    dossier: Dossier,
    actor: User | None,
    action: str,
    from_step: str,
    to_step: str,
    clock_effect: Clock,
    note: str,
    agency: Agency | None,
    data: dict,
    idempotency_key: str,
    seq: int | None = None,
    digest: str = "",
) -> DossierEvent:
    """Append the dossier's next event (its history is never rewritten)."""
    if seq is None:  # a receipt knows it is the first; a later action asks
        seq = (dossier.events.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    return DossierEvent.objects.create(
        dossier=dossier,
        seq=seq,
        at=clock.now(),
        actor=actor,
        actor_label=actor.get_username() if actor else "system",
        action=action,
        from_step=from_step,
        to_step=to_step,
        clock=clock_effect,
        note=note,
        agency=agency,
        data=data,
        idempotency_key=idempotency_key,
        request_digest=digest if idempotency_key else "",
    )
