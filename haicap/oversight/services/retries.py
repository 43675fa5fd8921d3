"""Creating through the API at most once per ``Idempotency-Key``: a retry of the same request
gets the record the first made; another request sent with the key is refused."""

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.core import clock
from haicap.core.validators import check_text
from haicap.dossiers.services.retries import check_retry, request_digest
from haicap.oversight.models import CreationRequest, Directive, Finding, Inspection, WorkingGroup

Made = TypeVar("Made", bound=models.Model)
Kind = CreationRequest.Kind
MODELS = {
    Kind.GROUP: WorkingGroup,
    Kind.INSPECTION: Inspection,
    Kind.FINDING: Finding,
    Kind.DIRECTIVE: Directive,
}


def plain(value: object) -> object:
    """What a request asked for, in values a fingerprint can hold: records by their id."""
    if isinstance(value, models.Model):
        return value.pk
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, dt.date | Decimal):
        return str(value)
    if hasattr(value, "read"):  # an uploaded file
        return [getattr(value, "name", ""), getattr(value, "size", None)]
    return value


def _earlier(actor: User, key: str, kind: str, digest: str) -> models.Model | None:
    earlier = CreationRequest.objects.filter(user=actor, key=key).first()
    if earlier is None:
        return None
    check_retry(
        earlier.request_digest if earlier.kind == kind else "-",
        digest,
        _("The Idempotency-Key %(key)s was already used for another request.") % {"key": key},
    )
    return MODELS[Kind(kind)].objects.get(pk=earlier.record_id)


def once(actor: User, key: str, kind: str, request: object, make: Callable[[], Made]) -> Made:
    """``make()`` the record ``request`` asks for, once per ``key`` of ``actor``; without a key,
    each call makes one."""
    if not key:
        return make()
    check_text("idempotency_key", key)
    digest = request_digest(kind=kind, request=plain(request))
    earlier = _earlier(actor, key, kind, digest)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            made = make()
            CreationRequest.objects.create(
                user=actor,
                key=key,
                kind=kind,
                record_id=made.pk,
                request_digest=digest,
                created_at=clock.now(),
            )
    except IntegrityError:
        # A retry that raced its first attempt: both found no earlier request, the first won.
        earlier = _earlier(actor, key, kind, digest)
        if earlier is None:
            raise
        return earlier
    return made
