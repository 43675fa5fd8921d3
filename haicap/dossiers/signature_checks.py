"""A signed PDF's signature checked once per file and set of trusted roots: the result kept in
``SignatureCheck`` and read from there by every page that shows it afterwards."""

import hashlib
from collections.abc import Sequence

from haicap.core import clock
from haicap.dossiers import pades
from haicap.dossiers.models import SignatureCheck


def roots_digest(roots: Sequence[bytes]) -> str:
    """One SHA-256 for a set of trusted roots, whatever order their files are read in."""
    digest = hashlib.sha256()
    for each in sorted(hashlib.sha256(root).digest() for root in roots):
        digest.update(each)
    return digest.hexdigest()


def checked(pdf: bytes, roots: Sequence[bytes]) -> pades.Verification:
    """``pades.verify(pdf, roots)``, made once: a file (by its SHA-256) checked against the same
    roots before gives the verdict kept then. A check that could not run is not kept."""
    key = {"pdf_sha256": hashlib.sha256(pdf).hexdigest(), "roots_sha256": roots_digest(roots)}
    kept = SignatureCheck.objects.filter(**key).first()
    if kept is not None:
        return _from_row(kept)
    found = pades.verify(pdf, roots)
    if found.verdict != pades.Verdict.UNCHECKED:
        SignatureCheck.objects.get_or_create(**key, defaults=_row_values(found))
    return found


def _row_values(found: pades.Verification) -> dict:
    names = found.names
    return {
        "verdict": found.verdict.value,
        "signer": found.signer[:400],
        "common_name": names.common_name[:200],
        "organisation": names.organisation[:200],
        "unit": names.unit[:200],
        "signed_at": found.signed_at,
        "reason": found.reason[:200],
        "checked_at": clock.now(),
    }


def _from_row(row: SignatureCheck) -> pades.Verification:
    return pades.Verification(
        pades.Verdict(row.verdict),
        row.signer,
        row.reason,
        pades.Signer(row.common_name, row.organisation, row.unit),
        row.signed_at,
    )
