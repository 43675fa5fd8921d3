"""Where each agency's signing credentials and the trusted roots are, as the operator set them.

``settings.SIGNING_DIR`` holds, per issuing body (``result_paper.issuing_body``),
``agencies/<agency code>.p12`` (its private key and certificate chain, PKCS#12) and the
passphrase that opens it, in ``<agency code>.pass`` beside it or in
``HAICAP_SIGNING_PASSPHRASE`` for all; and ``trust/*.pem`` (or ``.crt``, ``.cer``), the root
certificates a result's signature is checked against. The keys stay in files the
operator controls: never in the repository, never in the database.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from haicap.core.errors import DomainError
from haicap.dossiers import pades
from haicap.units.models import Agency

PASSPHRASE_ENV = "HAICAP_SIGNING_PASSPHRASE"  # noqa: S105 (a variable's name)
SAFE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
TRUST_SUFFIXES = (".pem", ".crt", ".cer")


class SigningUnavailable(DomainError):
    """The competent agency cannot sign its result now; nothing was changed."""

    code = "signing_unavailable"
    status = 409
    title = _("The result cannot be signed")


@dataclass(frozen=True)
class Credentials:
    agency_code: str
    pkcs12: bytes
    passphrase: bytes


def required() -> bool:
    """Whether approving a result must sign it (``HAICAP_RESULT_SIGNING``)."""
    return settings.RESULT_SIGNING == "required"


def agencies_dir() -> Path:
    return Path(settings.SIGNING_DIR) / "agencies"


def trust_dir() -> Path:
    return Path(settings.SIGNING_DIR) / "trust"


def credential_paths(agency_code: str) -> tuple[Path, Path]:
    """The PKCS#12 file and the passphrase file of the agency ``agency_code``."""
    if not SAFE_CODE.match(agency_code):
        raise ValueError(f"an agency code that is no file name: {agency_code!r}")
    return agencies_dir() / f"{agency_code}.p12", agencies_dir() / f"{agency_code}.pass"


def credentials_for(agency: Agency) -> Credentials:
    """The agency's key and certificate, opened once to prove they work; a clear refusal when
    the operator has not installed them or they do not open."""
    try:
        key_file, pass_file = credential_paths(agency.code)
    except ValueError:
        raise _unavailable(agency, "") from None
    if not key_file.is_file():
        raise _unavailable(agency, key_file.name)
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if passphrase is None:
        if not pass_file.is_file():
            raise _unavailable(agency, pass_file.name)
        passphrase = pass_file.read_text().strip()
    credentials = Credentials(agency.code, key_file.read_bytes(), passphrase.encode())
    try:
        pades.load_signer(credentials.pkcs12, credentials.passphrase)
    except pades.BadCredentials:
        raise SigningUnavailable(
            _(
                "The signing certificate of %(agency)s does not open with its passphrase, so "
                "its result cannot be signed. Nothing was changed; ask the operator to check "
                "%(file)s."
            )
            % {"agency": agency.name, "file": key_file.name}
        ) from None
    return credentials


def _unavailable(agency: Agency, missing: str) -> SigningUnavailable:
    return SigningUnavailable(
        _(
            "%(agency)s has no signing certificate, so its result cannot be signed. Nothing was "
            "changed; ask the operator to install the agency's certificate (%(file)s)."
        )
        % {"agency": agency.name, "file": missing or agency.code}
    )


def install(agency_code: str, pkcs12: bytes, passphrase: str) -> None:
    """Put an agency's credentials where ``credentials_for`` finds them, readable by the
    owner only."""
    key_file, pass_file = credential_paths(agency_code)
    key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    for path, data in ((key_file, pkcs12), (pass_file, passphrase.encode())):
        path.touch(mode=0o600)
        path.write_bytes(data)


def has_credentials(agency_code: str) -> bool:
    key_file, _pass_file = credential_paths(agency_code)
    return key_file.is_file()


def trust_roots() -> list[bytes]:
    """The root certificates the operator trusts for results (the demo: its test CA)."""
    folder = trust_dir()
    if not folder.is_dir():
        return []
    return [
        path.read_bytes()
        for path in sorted(folder.iterdir())
        if path.suffix.lower() in TRUST_SUFFIXES and path.is_file()
    ]
