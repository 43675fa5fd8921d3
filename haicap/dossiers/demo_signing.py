"""The demo's signing credentials: a test certificate authority ("TEST CA — not for production")
and one certificate for each current body that issues results in its own name, installed where
``signing.credentials_for`` finds them. Running it again adds only what is missing.

A real deployment uses certificates a licensed provider issued to each agency instead (README,
"Signed electronic results"); nothing outside this demo trusts the test authority.
"""

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from haicap.core import clock
from haicap.dossiers import demo_authority, signing
from haicap.dossiers.result_paper import ACTS_FOR_COMMITTEE, issuing_body
from haicap.units.models import Agency

TRUST_FILE = "haicap-test-ca.pem"


@dataclass(frozen=True)
class DemoSigning:
    authority_created: bool
    certificates_issued: int
    agencies_with_credentials: int


# The demo's approvals are loaded at moments up to a few months back (demo_queues), and each
# result claims its approval's moment as its signing time: the test certificates are valid from
# before them, or a reader would see a result signed before its certificate existed.
VALID_BEFORE_LOAD = dt.timedelta(days=120)


def authority_dir() -> Path:
    return Path(settings.SIGNING_DIR) / "demo-ca"


def _authority() -> tuple[demo_authority.Authority, bool]:
    """The demo's test authority, made the first time and kept (its key sealed by a passphrase
    beside it: it is a test key, readable by the owner only)."""
    folder = authority_dir()
    certificate, key, passphrase = (folder / n for n in ("ca.pem", "ca-key.pem", "passphrase"))
    if certificate.is_file() and key.is_file() and passphrase.is_file():
        secret = passphrase.read_bytes()
        loaded = demo_authority.load_authority(certificate.read_bytes(), key.read_bytes(), secret)
        return loaded, False
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(24).encode()
    authority = demo_authority.make_authority(clock.now() - VALID_BEFORE_LOAD)
    for path, data in (
        (passphrase, secret),
        (key, authority.key_pem(secret)),
        (certificate, authority.pem),
    ):
        path.touch(mode=0o600)
        path.write_bytes(data)
    return authority, True


def issuing_bodies() -> list[Agency]:
    """The current bodies a result is issued (and signed) in the name of: every deciding agency
    but an office that acts for its People's Committee, which issues in the Committee's name
    (``result_paper.issuing_body``); such an office without a Committee issues in its own."""
    agencies = Agency.objects.filter(is_one_stop_desk=False, unit__valid_to=None)
    bodies = {a.pk: a for a in agencies if a.kind not in ACTS_FOR_COMMITTEE}
    for office in agencies.filter(kind__in=ACTS_FOR_COMMITTEE):
        body = issuing_body(office)
        bodies[body.pk] = body
    return sorted(bodies.values(), key=lambda body: body.code)


def ensure_demo_signing() -> DemoSigning:
    """The test authority, trusted, and a certificate for each current issuing body."""
    authority, created = _authority()
    trust = signing.trust_dir()
    trust.mkdir(parents=True, exist_ok=True)
    (trust / TRUST_FILE).write_bytes(authority.pem)
    now = clock.now() - VALID_BEFORE_LOAD
    issued = total = 0
    for body in issuing_bodies():
        code, name = body.code, body.name
        if not signing.SAFE_CODE.match(code):
            continue  # not a file name; such an agency gets no demo certificate
        total += 1
        if signing.has_credentials(code):
            continue
        passphrase = secrets.token_urlsafe(18)
        pkcs12 = demo_authority.issue_pkcs12(authority, now, code, name, passphrase.encode())
        signing.install(code, pkcs12, passphrase)
        issued += 1
    return DemoSigning(created, issued, total)
