"""What a visitor's session remembers of the petitions it filed (``core.filed_receipts``)."""

from haicap.core.filed_receipts import FiledReceipts

PETITIONS = FiledReceipts(session_key="feedback_filed", pin_purpose="feedback-filing-pin")
SESSION_KEY = PETITIONS.session_key
remember = PETITIONS.remember
may_show = PETITIONS.may_show
take_pin = PETITIONS.take_pin
