"""The filing form's one-time token.

A signed random nonce is issued with the form; the submission it files keeps the nonce in a
unique column, in the same transaction, so whatever sends the form twice (a double click, a
reload, the back button, two tabs) files one submission. The signature proves the token came
from a form this site showed for this procedure; the unique column, not an expiry, makes it
one-time, so a form left open all afternoon still files.
"""

import secrets

from django.core import signing

SALT = "haicap.portal.filing-token"


def issue(national_code: str) -> str:
    return signing.dumps({"procedure": national_code, "nonce": secrets.token_hex(16)}, salt=SALT)


def nonce_of(token: str, national_code: str) -> str | None:
    """The nonce of a token this site issued for the procedure; ``None`` for a missing, altered
    or foreign one."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("procedure") != national_code:
        return None
    nonce = payload.get("nonce")
    return nonce if isinstance(nonce, str) and nonce else None
