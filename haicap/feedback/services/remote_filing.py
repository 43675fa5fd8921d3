"""Filing through a machine: the API (staff on a sender's behalf, or the public) and Open311.

A client that sends the same request twice (a retry after a lost answer) with the same
``Idempotency-Key`` files one petition: the key becomes the petition's one-time filing token
(``filing.file_petition``), hashed with whose key it is, so two clients never share one. The
repeat is answered with the petition filed first, without its PIN (a PIN is shown once). The
same key with another request (another category, text or contact) is refused, as the IETF
Idempotency-Key draft says: the first request's answer is not given for a different one.
"""

import hashlib
from typing import Any

from django.utils.translation import gettext as _

from haicap.core.errors import IdempotencyKeyReused
from haicap.core.validators import check_text
from haicap.feedback.models import Category, Petition
from haicap.feedback.services import filing
from haicap.feedback.services.common import contact_key

MAX_KEY = 100


def filing_token(scope: str, key: str) -> str:
    """The one-time token of a machine filing: its key's hash within ``scope`` (whose key it
    is), apart from the web form's tokens; 64 characters, the column's width."""
    digest = hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()
    return f"key-{digest[:60]}"


def public_scope(sender: filing.Sender) -> str:
    """A member of the public's keys are theirs by their contact (they have no account)."""
    return f"public:{contact_key(sender.phone, sender.email)}"


def _same_request(petition: Petition, category: Category, text: str, sender: filing.Sender) -> bool:
    return (
        petition.category_id == category.pk
        and petition.text == text.strip()
        and petition.contact_key == contact_key(sender.phone, sender.email)
    )


def file_once(
    *,
    scope: str,
    key: str,
    category: Category,
    text: str,
    sender: filing.Sender,
    **details: Any,
) -> filing.Filed:
    """``filing.file_petition``, once per ``key`` of ``scope`` (a user, or ``public_scope``);
    without a key, every call files. A repeat answers the first petition, without its PIN."""
    key = key.strip()[:MAX_KEY]
    if key:
        check_text("Idempotency-Key", key)
    try:
        return filing.file_petition(
            category=category,
            text=text,
            sender=sender,
            filing_token=filing_token(scope, key) if key else None,
            **details,
        )
    except filing.AlreadyFiled as earlier:
        if not _same_request(earlier.petition, category, text, sender):
            raise IdempotencyKeyReused(
                _("The Idempotency-Key %(key)s was already used for another petition.")
                % {"key": key}
            ) from None
        return filing.Filed(earlier.petition, pin="", again=True)
