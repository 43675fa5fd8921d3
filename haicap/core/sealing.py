"""Short-lived secrets kept encrypted at rest (a receipt's PIN while a retry may need it).

Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) under a key derived from the
project's secret key and a purpose, so a token sealed for one purpose opens for no other. A token
older than ``max_age`` does not open: what is sealed is forgotten by time even where a row
outlives its clean-up.
"""

import base64
import datetime as dt
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from haicap.core import clock


def _fernet(purpose: str) -> Fernet:
    digest = hashlib.sha256(f"haicap-seal:{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(purpose: str, secret: str) -> str:
    # Dated on haicap's clock, like everything else (a replayed day seals and opens alike).
    sealed = _fernet(purpose).encrypt_at_time(secret.encode(), int(clock.now().timestamp()))
    return sealed.decode("ascii")


def unseal(purpose: str, token: str, max_age: dt.timedelta) -> str | None:
    """The sealed secret, or ``None`` when the token is empty, forged, foreign or too old."""
    if not token:
        return None
    try:
        opened = _fernet(purpose).decrypt_at_time(
            token.encode("ascii"), int(max_age.total_seconds()), int(clock.now().timestamp())
        )
    except (InvalidToken, UnicodeEncodeError):
        return None
    return opened.decode()
