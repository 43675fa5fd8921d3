"""Dossier codes and look-up PINs (pure).

Code: ``<agency code>-YYMMDD-NNNN`` (Circular 03/2025 Art. 13): the receiving agency's code,
the day of receipt, the agency's sequence for that day, at least four digits. From 25/1/2026
one reading of Art. 13(3) as Circular 04/2025 amends it prefixes the resolving agency's code;
that reading is unconfirmed (domain.md 7, confidence L), so convention 8 stands: why is written
where the code is made (``services.intake``).
"""

import datetime as dt
import hashlib
import hmac
import secrets

PIN_LENGTH = 6


def dossier_code(agency_code: str, day: dt.date, number: int) -> str:
    if number < 1:
        raise ValueError("daily numbers start at 1")
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def new_pin() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PIN_LENGTH))


def pin_digest(key: bytes, pin: str, salt: str | None = None) -> str:
    """A keyed, salted digest of a PIN: ``salt$hex``.

    A slow password hash would add nothing: six digits are a million tries whatever the hash.
    What protects a PIN is the throttle on wrong attempts and, should the table leak, the key
    kept outside the database. The digest is not bound to a dossier code, so an online
    submission's PIN keeps working for the dossier it becomes.
    """
    salt = salt or secrets.token_hex(8)
    return f"{salt}${hmac.new(key, f'{salt}:{pin}'.encode(), hashlib.sha256).hexdigest()}"


def pin_matches(key: bytes, pin: str, stored: str) -> bool:
    salt, _, _digest = stored.partition("$")
    return bool(salt) and hmac.compare_digest(pin_digest(key, pin, salt), stored)
