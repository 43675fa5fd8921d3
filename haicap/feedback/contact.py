"""A sender's contact as a reader is shown it (pure): whole to the officers who may handle the
petition, masked to everyone else (``core.masking`` for the phone)."""

from dataclasses import dataclass

from haicap.core.masking import mask_phone


def mask_email(value: str) -> str:
    """Keep the first letter and the domain: ``d***@example.vn``."""
    local, at, domain = value.partition("@")
    if not at:
        return "*" * len(value)
    return f"{local[:1]}***@{domain}"


@dataclass(frozen=True)
class Contact:
    phone: str
    email: str
    address: str  # empty when masked: an address cannot be masked and stay useful
    whole: bool


def shown_contact(phone: str, email: str, address: str, whole: bool) -> Contact:
    if whole:
        return Contact(phone, email, address, True)
    return Contact(
        mask_phone(phone) if phone else "", mask_email(email) if email else "", "", False
    )
