"""The province's code mappings at work: preparing an outbox message for its receiver, and
releasing the messages that waited for a mapping once it exists.

``prepare`` is what the delivery loop calls before sending; ``Unmapped`` puts the message on hold.
"""

from django.db import transaction
from django.db.models import Q

from haicap.core import clock
from haicap.exchange.models import CodeMapping, OutboxMessage
from haicap.exchange.national_codes import Unmapped, codes_needed, translate

__all__ = ["Unmapped", "prepare", "release_held"]


def prepare(message: OutboxMessage) -> dict:
    """The message's payload in the receiver's codes, or ``Unmapped`` with what is missing."""
    needed = Q()
    for kind, code in codes_needed(message.payload):
        needed |= Q(kind=kind, local_code=code)
    rows = CodeMapping.objects.filter(needed, target=message.target).values_list(
        "kind", "local_code", "national_code"
    )
    mappings = {(kind, local): national for kind, local, national in rows}
    return translate(message.payload, lambda kind, code: mappings.get((kind, code)))


def release_held(target: str | None = None) -> int:
    """Messages held for a missing code go back to the queue when nothing is missing now."""
    released = 0
    held = OutboxMessage.objects.filter(status=OutboxMessage.Status.HELD)
    if target:
        held = held.filter(target=target)
    with transaction.atomic():
        for message in held.select_for_update():
            try:
                prepare(message)
            except Unmapped as still:
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
