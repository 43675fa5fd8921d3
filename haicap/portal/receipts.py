"""What a visitor's session remembers of the dossiers it filed online: which confirmations it
may show, and each PIN until the confirmation has shown it once.

The PIN crosses from the filing (a POST) to its confirmation (a GET) here, never in an address;
it is wiped when first shown, so a reload, the history or a shared computer cannot show it again.
"""

from django.contrib.sessions.backends.base import SessionBase

SESSION_KEY = "portal_filed"
KEPT = 20  # the latest filings of one visitor; older confirmations are no longer shown


def remember(session: SessionBase, reference: str, pin: str) -> None:
    filed = {**session.get(SESSION_KEY, {}), reference: pin}
    session[SESSION_KEY] = dict(list(filed.items())[-KEPT:])


def may_show(session: SessionBase, reference: str) -> bool:
    return reference in session.get(SESSION_KEY, {})


def take_pin(session: SessionBase, reference: str) -> str:
    """The PIN of a filing not shown yet, forgotten as it is taken; "" once it has been shown."""
    filed = session.get(SESSION_KEY, {})
    pin = filed.get(reference, "")
    if pin:
        session[SESSION_KEY] = {**filed, reference: ""}
    return pin
