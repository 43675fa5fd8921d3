"""The wire contract with a payment gateway: its paths, the signature of its confirmations and
the shape of its answers (pure: no Django).

haicap's adapter (``gateway.py``) speaks it and the gateway simulator (``natsim/payments.py``)
answers it, so the two cannot drift apart; the simulator's docstring describes every endpoint.

The national payment platform (Decree 118/2025/NĐ-CP Art. 24: fees and charges of
administrative procedures are paid through it) publishes its interface only to connected
agencies; haicap's adapter speaks this contract, and a province whose platform speaks another
puts a bridge, or another ``PaymentGateway`` subclass, at the seam ``gateway.connector()``.
"""

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

ORDERS_PATH = "/api/v1/orders"
STATEMENT_PATH = "/api/v1/statement"
HEALTH_PATH = "/api/v1/health"
PAY_PAGE_PATH = "/pay"
SIGNATURE_HEADER = "X-Signature"
PAID = "paid"
OPEN = "open"
FAILED = "failed"
STATUSES = (OPEN, PAID, FAILED)


def sign(secret: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of a confirmation's body under the merchant's shared secret."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(secret: str, body: bytes, signature: str | None) -> bool:
    """Whether ``signature`` is the body's, compared in constant time."""
    if not secret or not signature:
        return False
    return hmac.compare_digest(sign(secret, body), signature.strip().lower())


@dataclass(frozen=True)
class Transaction:
    """A payment as the gateway reports it (a confirmation, a status, a statement line)."""

    transaction_id: str
    reference: str
    amount_vnd: int
    status: str
    paid_at: str  # ISO 8601 moment, "" when not paid


def transaction_from(data: Any) -> Transaction:
    """A gateway's JSON object as a ``Transaction``; ``ValueError`` for anything else."""
    if not isinstance(data, dict):
        raise ValueError("a transaction is a JSON object")
    amount = data.get("amount_vnd")
    # Money is integer VND: 1.5 or "20000" is not an amount.
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise ValueError("amount_vnd must be a whole, non-negative number of đồng")
    status = data.get("status")
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    fields = {}
    for name in ("transaction_id", "reference", "paid_at"):
        value = data.get(name) or ""
        if not isinstance(value, str) or len(value) > 100:
            raise ValueError(f"{name} must be a short text")
        fields[name] = value
    if not fields["reference"]:
        raise ValueError("reference is required")
    if status == PAID and not fields["transaction_id"]:
        raise ValueError("a paid transaction has a transaction_id")
    return Transaction(amount_vnd=amount, status=status, **fields)
