"""Idempotency: telling a retry of a request from another request sent with the same key."""

import hashlib
import json
from dataclasses import asdict

from django.utils.translation import gettext

from haicap.core.errors import IdempotencyKeyReused
from haicap.core.models import AuditRecord
from haicap.dossiers.applicant import Applicant


def request_digest(**request: object) -> str:
    """A fingerprint of what a request asked for, to tell a retry from another request."""
    canonical = json.dumps(
        {k: asdict(v) if isinstance(v, Applicant) else v for k, v in request.items()},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_retry(recorded: str, digest: str, refusal: str) -> None:
    """An Idempotency-Key sent again must come with the request it first came with; one recorded
    before fingerprints were kept ("") is taken as before."""
    if recorded and recorded != digest:
        raise IdempotencyKeyReused(refusal)


def earlier_request(action: str, actor_id: int | None, key: str, digest: str) -> AuditRecord | None:
    """The audit record of what an earlier request of ``actor_id`` with ``key`` did as
    ``action`` (the record keeps the key and the request's fingerprint), or None; a key that
    came with another request is refused (``check_retry``)."""
    earlier = (
        AuditRecord.objects.filter(action=action, actor_id=actor_id, after__idempotency_key=key)
        .order_by("-id")
        .first()
    )
    if earlier is not None:
        check_retry(
            earlier.after.get("request_digest", ""),
            digest,
            gettext("The Idempotency-Key %(key)s was already used for another request.")
            % {"key": key},
        )
    return earlier
