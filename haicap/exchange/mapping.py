"""The province's code mappings at work: preparing an outbox message for its receiver, and
releasing the messages that waited for a mapping once it exists.

``prepare_all`` is what the delivery loop calls on each claimed batch before sending (one read
of the mappings for the batch); ``Unmapped`` puts a message on hold.
"""

from django.db import transaction
from django.db.models import Q

from haicap.core import clock
from haicap.exchange.models import CodeMapping, OutboxMessage
from haicap.exchange.national_codes import Unmapped, codes_needed, translate

__all__ = ["Unmapped", "prepare", "prepare_all", "release_held"]


def prepare_all(messages: list[OutboxMessage]) -> list[dict | Unmapped]:
    """Each message's payload in its receiver's codes, or the ``Unmapped`` saying what is
    missing, in the messages' order. The mappings are read once for all the messages of a
    receiver, whatever their number."""
    wanted: dict[str, set[tuple[str, str]]] = {}
    for message in messages:
        wanted.setdefault(message.target, set()).update(codes_needed(message.payload))
    mappings: dict[tuple[str, str, str], str] = {}
    for target, codes in wanted.items():
        # The distinct codes of a batch are few (its procedures, agencies and statuses), each
        # one probe of the unique (target, kind, local code) index.
        needed = Q()
        for kind, code in sorted(codes):
            needed |= Q(kind=kind, local_code=code)
        rows = CodeMapping.objects.filter(needed, target=target).values_list(
            "kind", "local_code", "national_code"
        )
        for kind, local, national in rows:
            mappings[(target, kind, local)] = national
    prepared: list[dict | Unmapped] = []
    for message in messages:
        try:
            prepared.append(
                translate(
                    message.payload,
                    lambda kind, code, target=message.target: mappings.get((target, kind, code)),
                )
            )
        except Unmapped as missing:
            prepared.append(missing)
    return prepared


def prepare(message: OutboxMessage) -> dict:
    """The message's payload in the receiver's codes, or ``Unmapped`` with what is missing."""
    (prepared,) = prepare_all([message])
    if isinstance(prepared, Unmapped):
        raise prepared
    return prepared


def release_held(target: str | None = None) -> int:
    """Messages held for a missing code go back to the queue when nothing is missing now."""
    released = 0
    held = OutboxMessage.objects.filter(status=OutboxMessage.Status.HELD)
    if target:
        held = held.filter(target=target)
    with transaction.atomic():
        messages = list(held.select_for_update())
        for message, prepared in zip(messages, prepare_all(messages), strict=True):
            if isinstance(prepared, Unmapped):
                still = prepared
                if message.last_error != str(still):
                    message.last_error = str(still)
                    message.save(update_fields=["last_error"])
                continue
            message.status = OutboxMessage.Status.PENDING
            message.next_attempt_at = clock.now()
            message.last_error = ""
            message.save(update_fields=["status", "next_attempt_at", "last_error"])
            released += 1
    return released
