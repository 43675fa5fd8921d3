"""A sender's contact as a reader is shown it (pure): whole to the officers who may handle the
petition, masked to everyone else (``core.masking``)."""

from dataclasses import dataclass

from haicap.core.masking import mask_email, mask_phone


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
