"""An answer as the public page shows it: the sender's personal data removed (pure).

Citizen ID numbers and phone numbers anywhere in the text, email addresses, and the sender's own
name, phone, email and address wherever they appear, are replaced by "***". The officer sees the
result before it is published and may edit it further; this is the default, not a guarantee
that every personal detail a free text may hold is found.
"""

import re
from collections.abc import Iterable

HIDDEN = "***"
_ID_NUMBER = re.compile(r"(?<!\d)\d{9}(?:\d{3})?(?!\d)")
_PHONE = re.compile(r"(?<![\d+])(?:\+84|0)(?:[\s.-]?\d){8,10}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def redact(text: str, personal: Iterable[str] = ()) -> str:
    """``text`` with ID numbers, phones, emails and each of ``personal`` (longest first, whole
    words, any case) replaced by ``HIDDEN``."""
    for value in sorted(
        {p.strip() for p in personal if p and len(p.strip()) >= 3}, key=len, reverse=True
    ):
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", HIDDEN, text, flags=re.IGNORECASE)
    text = _EMAIL.sub(HIDDEN, text)
    text = _PHONE.sub(HIDDEN, text)
    return _ID_NUMBER.sub(HIDDEN, text)
