"""What a visitor's session remembers of the petitions it filed: which confirmations it may
show, and each PIN until the confirmation has shown it once.

The PIN crosses from the filing (a POST) to its confirmation (a GET) here, never in an address;
it is wiped when first shown, so a reload, the history or a shared computer cannot show it
again. Sessions are stored in the database, so the PIN waits there sealed (``core.sealing``),
and a confirmation not opened within a few minutes no longer shows it.
"""

import datetime as dt

from django.contrib.sessions.backends.base import SessionBase

from haicap.core import sealing

SESSION_KEY = "feedback_filed"
KEPT = 20  # the latest petitions of one visitor; older confirmations are no longer shown
PIN_PURPOSE = "feedback-filing-pin"
PIN_WAITS_FOR = dt.timedelta(minutes=30)


def remember(session: SessionBase, code: str, pin: str) -> None:
    filed = {**session.get(SESSION_KEY, {}), code: sealing.seal(PIN_PURPOSE, pin)}
    session[SESSION_KEY] = dict(list(filed.items())[-KEPT:])


def may_show(session: SessionBase, code: str) -> bool:
    return code in session.get(SESSION_KEY, {})


def take_pin(session: SessionBase, code: str) -> str:
    """The PIN of a petition not shown yet, forgotten as it is taken; "" once shown."""
    filed = session.get(SESSION_KEY, {})
    sealed = filed.get(code, "")
    if sealed:
        session[SESSION_KEY] = {**filed, code: ""}
    return sealing.unseal(PIN_PURPOSE, sealed, PIN_WAITS_FOR) or ""
