"""What a visitor's session remembers of the dossiers it filed online (``core.filed_receipts``),
and the fees it may pay or print the receipt of."""

from django.contrib.sessions.backends.base import SessionBase

from haicap.core.filed_receipts import FiledReceipts

FILINGS = FiledReceipts(session_key="portal_filed", pin_purpose="portal-filing-pin")
SESSION_KEY = FILINGS.session_key
KEPT = FILINGS.kept  # also the fees a visitor may pay
remember = FILINGS.remember
may_show = FILINGS.may_show
take_pin = FILINGS.take_pin


# The fees a visitor may pay or print the receipt of: those of the filings it made in this
# session and of the dossiers it looked up with their PIN here. The payment reference is no
# secret (it is printed), so the PIN proved in this session is what lets the page go on.
FEES_KEY = "portal_fees"


def allow_fee(session: SessionBase, payment_reference: str) -> None:
    fees = [r for r in session.get(FEES_KEY, []) if r != payment_reference]
    session[FEES_KEY] = [*fees, payment_reference][-KEPT:]


def may_see_fee(session: SessionBase, payment_reference: str) -> bool:
    return payment_reference in session.get(FEES_KEY, [])
