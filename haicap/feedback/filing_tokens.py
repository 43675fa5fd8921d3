"""The petition form's one-time token.

A signed random nonce is issued with the form; the petition it files keeps the nonce in its
unique ``filing_token`` column, in the same transaction, so whatever sends the form twice (a
double click, a reload, the back button, two tabs) files one petition. The signature proves the
token came from a form this site showed; the unique column, not an expiry, makes it one-time,
so a form left open all afternoon still files.
"""

import secrets

from django.core import signing

SALT = "haicap.feedback.petition-filing-token"
FORM = "petition"


def issue() -> str:
    return signing.dumps({"form": FORM, "nonce": secrets.token_hex(16)}, salt=SALT)


def nonce_of(token: str) -> str | None:
    """The nonce of a token this site issued for the petition form; ``None`` for a missing,
    altered or foreign one (the portal's dossier tokens are signed with another salt)."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("form") != FORM:
        return None
    nonce = payload.get("nonce")
    return nonce if isinstance(nonce, str) and 0 < len(nonce) <= 64 else None
