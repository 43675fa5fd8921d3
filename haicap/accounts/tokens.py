"""API token format and digests (pure: no Django).

A token is ``hc_<prefix>_<secret>``: the prefix identifies it in lists, the secret has
256 bits of randomness. Only the SHA-256 digest is stored; a fast hash is enough because
the token is random, not a password a person chose.
"""

import hashlib
import secrets
from dataclasses import dataclass

TOKEN_MARK = "hc"  # noqa: S105 (a public prefix, not a secret)


@dataclass(frozen=True)
class NewToken:
    plaintext: str
    prefix: str
    digest: str


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def generate() -> NewToken:
    prefix = secrets.token_hex(4)
    plaintext = f"{TOKEN_MARK}_{prefix}_{secrets.token_urlsafe(32)}"
    return NewToken(plaintext, prefix, digest_of(plaintext))


def looks_like_token(value: str) -> bool:
    parts = value.split("_", 2)
    return len(parts) == 3 and parts[0] == TOKEN_MARK and len(parts[1]) == 8 and len(parts[2]) > 20
