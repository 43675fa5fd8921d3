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
    known = known_history(dossier)
    if seq is None and known is not None:  # the history this request read already
        seq = (known[-1].seq if known else 0) + 1
    if seq is None:  # a receipt knows it is the first; a later action asks
        seq = (dossier.events.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    event = DossierEvent.objects.create(
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
    if known is not None:
        keep_history(dossier, [*known, event])
    return event


# The history a request read, kept on the dossier object (Django's prefetch cache, so
# ``dossier.events.all()`` answers it too) while the dossier row is locked: the action's checks,
# its event's number and the answer built after it read the events once.
def read_history(dossier: Dossier) -> list[DossierEvent]:
    """The dossier's events in order, read once a request (each with its agency)."""
    known = known_history(dossier)
    if known is None:
        known = list(dossier.events.select_related("agency").order_by("seq"))
        keep_history(dossier, known)
    return known


def history_of(dossier: Dossier) -> list[DossierEvent]:
    """The dossier's events in order: those this request read or made, else read now."""
    known = known_history(dossier)
    return known if known is not None else read_history(dossier)


def known_history(dossier: Dossier) -> list[DossierEvent] | None:
    cached = (getattr(dossier, "_prefetched_objects_cache", None) or {}).get("events")
    return None if cached is None else list(cached)


def keep_history(dossier: Dossier, events: list[DossierEvent]) -> None:
    """Keep ``events`` as Django's prefetch does: a queryset holding them, so
    ``dossier.events.all()`` answers from them and any other query on the manager (``get``,
    ``filter``, ``order_by``) still asks the database."""
    cache = dossier.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.pop("events", None)
    queryset = dossier.events.get_queryset()
    queryset._result_cache = list(events)
    queryset._prefetch_done = True
    cache["events"] = queryset
