"""What the petition services share: events, holders, notices, the sender's contact key."""

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db.models import Max

from haicap.core import clock
from haicap.feedback.models import Petition, PetitionEvent, PetitionHolder, PetitionNotification


def contact_key(phone: str, email: str) -> str:
    """A keyed digest of the sender's contact (the phone's digits, else the email in lower
    case): the filing throttle counts per contact without keeping it in clear."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    basis = f"tel:{digits[-9:]}" if digits else f"mail:{email.strip().lower()}"
    key = hashlib.sha256(f"haicap-petition-contact:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, basis.encode(), hashlib.sha256).hexdigest()


def add_event(
    petition: Petition,
    kind: str,
    *,
    actor: object | None = None,
    actor_label: str = "",
    from_agency_id: int | None = None,
    to_agency_id: int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> PetitionEvent:
    """Append one event (call with the petition's row locked, inside the transaction)."""
    last = petition.events.aggregate(last=Max("seq"))["last"] or 0
    return PetitionEvent.objects.create(
        petition=petition,
        seq=last + 1,
        kind=kind,
        at=at or clock.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label,
        from_agency_id=from_agency_id,
        to_agency_id=to_agency_id,
        state_after=petition.state,
        note=note,
    )


def hold(petition: Petition, agency_id: int) -> None:
    PetitionHolder.objects.get_or_create(petition=petition, agency_id=agency_id)


def notify(
    users: object, petition: Petition, kind: str, round: int = 1, at: dt.datetime | None = None
) -> int:
    """One notice per recipient (a repeat of the same kind and round is not sent twice, even
    by two workers at once: ``get_or_create`` takes the unique constraint's refusal as found)."""
    sent = 0
    now = at or clock.now()
    for user in users:  # type: ignore[attr-defined]
        _row, made = PetitionNotification.objects.get_or_create(
            recipient=user,
            petition=petition,
            kind=kind,
            round=round,
            defaults={"created_at": now},
        )
        sent += int(made)
    return sent
