"""Masking of personal data (citizen ID numbers, phone numbers, email addresses) for lists and
logs."""

import re

_CITIZEN_ID = re.compile(r"(?<!\d)(\d{3})\d{6}(\d{3})(?!\d)")
_PHONE = re.compile(r"(?<!\d)(\+84|0)(\d{2,3})\d{3,4}(\d{3})(?!\d)")


def mask_citizen_id(value: str) -> str:
    """Keep the province prefix and the last three digits: ``040*******123``... of 12 digits."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) <= 6:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 6) + digits[-3:]


def mask_phone(value: str) -> str:
    """Keep the first three and last three characters of a phone number."""
    compact = "".join(ch for ch in value if ch.isdigit() or ch == "+")
    if len(compact) <= 6:
        return "*" * len(compact)
    return compact[:3] + "*" * (len(compact) - 6) + compact[-3:]


def mask_email(value: str) -> str:
    """Keep the first letter and the domain: ``d***@example.vn`` (three stars, whatever the
    mailbox's length, so its length is not told either)."""
    local, at, domain = value.partition("@")
    if not at:
        return "*" * len(value)
    return f"{local[:1]}***@{domain}"


def mask_text(text: str) -> str:
    """Mask every 12-digit ID number and every Vietnamese phone number inside free text."""
    text = _CITIZEN_ID.sub(lambda m: m.group(1) + "******" + m.group(2), text)
    return _PHONE.sub(lambda m: m.group(1) + m.group(2) + "****" + m.group(3), text)
