"""Idempotency: telling a retry of a request from another request sent with the same key."""

import hashlib
import json
from dataclasses import asdict

from haicap.core.errors import IdempotencyKeyReused
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
