"""Signing a result PDF with a PAdES signature and checking one (no Django).

An electronic result is an electronic document signed by the competent agency (Decree 118/2025
Art. 22; Decree 45/2020/NĐ-CP Arts. 14 and 16 as amended by Decree 118 Art. 40). The signature
is a standard PDF signature, PAdES baseline B-B (ETSI EN 319 142-1): the signer's certificate
and a signed digest of the document, with no timestamp from a time-stamping authority (none is
configured; B-T needs one). pyHanko makes and checks it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO
from typing import TYPE_CHECKING, TypeVar

from cryptography.utils import CryptographyDeprecationWarning

# pyHanko imports cryptography's DSA key type to recognise DSA keys, which cryptography has
# deprecated; haicap signs with ECDSA or RSA only, so that import's warning says nothing here.
warnings.filterwarnings(
    "ignore", message="DSA is deprecated", category=CryptographyDeprecationWarning
)

# pyHanko and asn1crypto are imported inside the functions that sign or check: a web worker
# that never does either does not carry them.
if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign import signers

LEVEL = "PAdES-B-B"
FIELD_NAME = "KetQua"  # the signature field the result carries


class BadCredentials(ValueError):
    """A PKCS#12 file that cannot be opened with its passphrase, or holds no key."""


@dataclass(frozen=True)
class Signed:
    pdf: bytes
    signer: str  # the certificate's subject, as readable text
    serial: str  # the certificate's serial number, in hex
    fingerprint: str  # SHA-256 of the certificate, in hex


class Verdict(StrEnum):
    VALID = "valid"  # intact, covers the whole file, and the chain ends at a trusted root
    UNTRUSTED = "untrusted"  # intact, but no configured root vouches for the signer
    INVALID = "invalid"  # altered, partly covering, unreadable, or not signed at all
    # the check could not be made: the validator failed, or no root is configured to check the
    # signer against; says nothing of the file, and is worth trying again
    UNCHECKED = "unchecked"


@dataclass(frozen=True)
class Signer:
    """Who a certificate names: its subject's common name, organisation and organisational
    unit (a Vietnamese organisation's certificate: its name, and its code or parent)."""

    common_name: str = ""
    organisation: str = ""
    unit: str = ""

    @classmethod
    def of(cls, certificate: asn1_x509.Certificate | None) -> Signer:
        if certificate is None:
            return cls()
        subject = certificate.subject.native

        def first(key: str) -> str:
            value = subject.get(key, "")
            return str(value[0] if isinstance(value, list) and value else value)

        return cls(
            first("common_name"), first("organization_name"), first("organizational_unit_name")
        )


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    signer: str = ""
    reason: str = ""  # why it is not valid, in English, for the log
    names: Signer = Signer()
    signed_at: dt.datetime | None = None  # the signing time the signature claims

    @property
    def valid(self) -> bool:
        return self.verdict == Verdict.VALID


def load_signer(pkcs12: bytes, passphrase: bytes) -> signers.SimpleSigner:
    from pyhanko.sign import signers

    try:
        return signers.SimpleSigner.load_pkcs12_data(pkcs12, (), passphrase=passphrase)
    except ValueError as error:
        raise BadCredentials(str(error)) from error


@functools.cache
def _signer_at_class() -> type[signers.PdfSigner]:
    from pyhanko.sign import signers

    class _SignerAt(signers.PdfSigner):
        """pyHanko's signer, claiming ``at`` as the signing time instead of the machine's clock:
        a result is signed at the moment its leader approves it, which a loaded history or a
        replayed approval sets (``clock.fixed_at``), not the moment the process happens to run."""

        def __init__(self, meta: signers.PdfSignatureMetadata, signer: signers.Signer, at):
            super().__init__(meta, signer=signer)
            self._at = at

        def init_signing_session(self, pdf_out, existing_fields_only=False):
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = self._at
            return session

    return _SignerAt


T = TypeVar("T")


def _outside_any_event_loop(work: Callable[[], T]) -> T:
    """Run ``work`` where pyHanko may start its own event loop: its synchronous calls use
    ``asyncio.run``, which refuses to run in a thread whose loop is running (an ASGI server's,
    or a browser driver's in the same process); such a thread hands the work to another."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # no loop runs here: the usual case, under gunicorn or a command
        return work()
    with ThreadPoolExecutor(max_workers=1) as elsewhere:
        return elsewhere.submit(work).result()


def sign(
    pdf: bytes,
    pkcs12: bytes,
    passphrase: bytes,
    *,
    reason: str,
    location: str,
    name: str,
    at: dt.datetime | None = None,
) -> Signed:
    """``pdf`` signed with the key and certificate chain in ``pkcs12`` (PAdES B-B, SHA-256),
    claiming ``at`` (timezone-aware) as the signing time, or now when it is not given."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = load_signer(pkcs12, passphrase)
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=name,
    )
    if at is None:
        out = _outside_any_event_loop(lambda: signers.sign_pdf(writer, meta, signer=signer))
    else:
        out = _outside_any_event_loop(lambda: _signer_at_class()(meta, signer, at).sign_pdf(writer))
    cert = signer.signing_cert
    return Signed(
        pdf=out.getvalue(),
        signer=cert.subject.human_friendly,
        serial=format(cert.serial_number, "x"),
        fingerprint=cert.sha256.hex(),
    )


def load_certificate(data: bytes) -> asn1_x509.Certificate:
    """A certificate from PEM or DER bytes."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return asn1_x509.Certificate.load(data)


def verify(pdf: bytes, trust_roots: Sequence[bytes]) -> Verification:
    """Whether ``pdf`` carries one intact PAdES signature over the whole file, from a
    certificate that chains to one of ``trust_roots`` (PEM or DER).

    Nothing is fetched from the network (no revocation look-up: the demo certificates name no
    CRL or OCSP responder); anything unreadable is INVALID rather than an exception. When the
    validator itself fails, or no root is given, an intact file cannot be vouched for either
    way: UNCHECKED, never INVALID.
    """
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception as error:  # a damaged file is an invalid result, whatever broke
        return Verification(Verdict.INVALID, reason=f"unreadable: {error}")
    if len(signatures) != 1:
        return Verification(Verdict.INVALID, reason=f"{len(signatures)} signatures")
    context = ValidationContext(
        trust_roots=[load_certificate(root) for root in trust_roots],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    try:
        status = _outside_any_event_loop(lambda: validate_pdf_signature(signatures[0], context))
    except (PdfError, SignatureValidationError) as error:
        # the signature's own objects are malformed (a changed /Type /Sig, a broken CMS
        # blob): the file is not what was signed
        return Verification(Verdict.INVALID, reason=f"the signature is malformed: {error}")
    except Exception as error:  # the check did not run to its end: nothing is known
        return Verification(Verdict.UNCHECKED, reason=f"the validator failed: {error}")
    signer = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    facts = {"names": Signer.of(status.signing_cert), "signed_at": status.signer_reported_dt}
    if not (status.intact and status.valid):
        return Verification(Verdict.INVALID, signer, "the signed bytes were changed", **facts)
    if status.coverage is None or status.coverage.name != "ENTIRE_FILE":
        reason = "the signature does not cover the file"
        return Verification(Verdict.INVALID, signer, reason, **facts)
    if not trust_roots:
        reason = "no trusted root is configured"
        return Verification(Verdict.UNCHECKED, signer, reason, **facts)
    if not status.trusted:
        reason = "no trusted root vouches for the signer"
        return Verification(Verdict.UNTRUSTED, signer, reason, **facts)
    return Verification(Verdict.VALID, signer, **facts)
