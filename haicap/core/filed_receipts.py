"""What a visitor's session remembers of what it filed (a dossier online, a petition): which
confirmations it may show, and each PIN until the confirmation has shown it once.

The PIN crosses from the filing (a POST) to its confirmation (a GET) here, never in an address;
it is wiped when first shown, so a reload, the history or a shared computer cannot show it
again. Sessions are stored in the database, so the PIN waits there sealed (``core.sealing``),
and a confirmation not opened within a few minutes no longer shows it.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.sessions.backends.base import SessionBase

from haicap.core import sealing


@dataclass
class FiledReceipts:
    session_key: str  # where in the session the filings are kept
    pin_purpose: str  # the sealing purpose, one per kind of filing
    kept: int = 20  # the latest filings of one visitor; older confirmations are not shown
    pin_waits_for: dt.timedelta = dt.timedelta(minutes=30)

    def remember(self, session: SessionBase, reference: str, pin: str) -> None:
        filed = {
            **session.get(self.session_key, {}),
            reference: sealing.seal(self.pin_purpose, pin),
        }
        session[self.session_key] = dict(list(filed.items())[-self.kept :])

    def may_show(self, session: SessionBase, reference: str) -> bool:
        return reference in session.get(self.session_key, {})

    def take_pin(self, session: SessionBase, reference: str) -> str:
        """The PIN of a filing not shown yet, forgotten as it is taken; "" once it has been
        shown."""
        filed = session.get(self.session_key, {})
        sealed = filed.get(reference, "")
        if sealed:
            session[self.session_key] = {**filed, reference: ""}
        return sealing.unseal(self.pin_purpose, sealed, self.pin_waits_for) or ""
