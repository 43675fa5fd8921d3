"""A test certificate authority for the demo, and one signing certificate per agency (no Django).

Real results are signed with certificates a licensed provider issues to the agency (Decree
23/2025/NĐ-CP on electronic signatures); the operator configures them. This authority only lets
the demo sign: its name says "TEST CA — not for production" and nothing outside trusts it.
Keys are ECDSA P-256: quick to make for every agency of a province.
"""

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

CA_NAME = "haicap TEST CA — not for production"
TEST_MARK = "TEST — not for production"  # in every demo certificate's subject
CA_YEARS = 10
AGENCY_YEARS = 3


@dataclass(frozen=True)
class Authority:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def key_pem(self, passphrase: bytes) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase),
        )


# The usual abbreviations of official names, so a long agency name still ends with its commune.
ABBREVIATIONS = (("Hội đồng nhân dân", "HĐND"), ("Ủy ban nhân dân", "UBND"))


def _fit(text: str) -> str:
    """At most 64 bytes of UTF-8, the most a name attribute holds (RFC 5280 upper bounds):
    abbreviated first, cut only if still too long."""
    if len(text.encode()) > 64:
        for long, short in ABBREVIATIONS:
            text = text.replace(long, short)
    return text.encode()[:64].decode(errors="ignore").strip()


def _name(common_name: str, organisation: str, unit: str = "") -> x509.Name:
    parts = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(organisation)),
    ]
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, _fit(unit)))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, _fit(common_name)))
    return x509.Name(parts)


def make_authority(now: dt.datetime, name: str = CA_NAME) -> Authority:
    """A self-signed root that may sign agency certificates (and nothing below them)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(name, "haicap demo")
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(sign_certificates=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Authority(key, certificate)


def load_authority(certificate_pem: bytes, key_pem: bytes, passphrase: bytes) -> Authority:
    key = serialization.load_pem_private_key(key_pem, passphrase)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError("the test authority's key is not an ECDSA key")
    return Authority(key, x509.load_pem_x509_certificate(certificate_pem))


def issue_pkcs12(
    authority: Authority, now: dt.datetime, agency_code: str, agency_name: str, passphrase: bytes
) -> bytes:
    """A PKCS#12 file with a new key, its certificate for the agency, and the authority's
    certificate, sealed with ``passphrase``."""
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(agency_name, agency_code, TEST_MARK))
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * AGENCY_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(sign_certificates=False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()),
            critical=False,
        )
        .sign(authority.key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        agency_code.encode(),
        key,
        certificate,
        [authority.certificate],
        # OpenSSL 3's own default for PKCS#12 (PBES2, AES-256, 2048 rounds): a province's
        # worth of agencies is made in seconds, and it opens in any tool
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(2048)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(passphrase),
    )


def _usage(*, sign_certificates: bool) -> x509.KeyUsage:
    # A signer needs non-repudiation (content commitment) for a document signature.
    return x509.KeyUsage(
        digital_signature=not sign_certificates,
        content_commitment=not sign_certificates,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=sign_certificates,
        crl_sign=sign_certificates,
        encipher_only=False,
        decipher_only=False,
    )
