"""What a visitor's session remembers of the dossiers it filed online: which confirmations it
may show, and each PIN until the confirmation has shown it once.

The PIN crosses from the filing (a POST) to its confirmation (a GET) here, never in an address;
it is wiped when first shown, so a reload, the history or a shared computer cannot show it again.
Sessions are stored in the database, so the PIN waits there sealed (``core.sealing``), and a
confirmation not opened within a few minutes no longer shows it.
"""

import datetime as dt

from django.contrib.sessions.backends.base import SessionBase

from haicap.core import sealing

SESSION_KEY = "portal_filed"
KEPT = 20  # the latest filings of one visitor; older confirmations are no longer shown
PIN_PURPOSE = "portal-filing-pin"
PIN_WAITS_FOR = dt.timedelta(minutes=30)


def remember(session: SessionBase, reference: str, pin: str) -> None:
    filed = {**session.get(SESSION_KEY, {}), reference: sealing.seal(PIN_PURPOSE, pin)}
    session[SESSION_KEY] = dict(list(filed.items())[-KEPT:])


def may_show(session: SessionBase, reference: str) -> bool:
    return reference in session.get(SESSION_KEY, {})


def take_pin(session: SessionBase, reference: str) -> str:
    """The PIN of a filing not shown yet, forgotten as it is taken; "" once it has been shown."""
    filed = session.get(SESSION_KEY, {})
    sealed = filed.get(reference, "")
    if sealed:
        session[SESSION_KEY] = {**filed, reference: ""}
    return sealing.unseal(PIN_PURPOSE, sealed, PIN_WAITS_FOR) or ""


# The fees a visitor may pay or print the receipt of: those of the filings it made in this
# session and of the dossiers it looked up with their PIN here. The payment reference is no
# secret (it is printed), so the PIN proved in this session is what lets the page go on.
FEES_KEY = "portal_fees"


def allow_fee(session: SessionBase, payment_reference: str) -> None:
    fees = [r for r in session.get(FEES_KEY, []) if r != payment_reference]
    session[FEES_KEY] = [*fees, payment_reference][-KEPT:]


def may_see_fee(session: SessionBase, payment_reference: str) -> bool:
    return payment_reference in session.get(FEES_KEY, [])
