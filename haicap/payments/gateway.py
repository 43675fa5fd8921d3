"""One interface for the payment gateway haicap takes fees through, and its HTTP adapter.

``PaymentGateway`` is the seam: haicap's services call only it. ``HttpPaymentGateway`` speaks
haicap's payment wire contract (``wire.py``), which the simulator (``simulate_payment_gateway``)
answers. The national payment platform (Decree 118/2025/NĐ-CP Art. 24) gives its interface
only to connected agencies and it is not public, so haicap cannot claim to speak it: a province
points ``HAICAP_PAYMENT_GATEWAY_URL`` at the platform when it speaks this contract, or at a
bridge that translates, or adds a ``PaymentGateway`` subclass for the platform and returns it
from ``connector()``. Nothing else changes.

Settings (``settings.py`` first, then the environment):

- ``HAICAP_PAYMENT_GATEWAY_URL``: base URL (default ``http://127.0.0.1:8902``, the simulator);
- ``HAICAP_PAYMENT_GATEWAY_TOKEN``: bearer token haicap sends (none when empty);
- ``HAICAP_PAYMENT_GATEWAY_SECRET``: the shared secret the gateway signs confirmations with;
  without it every confirmation is refused (haicap then learns of payments by asking);
- ``HAICAP_PAYMENT_GATEWAY_TIMEOUT``: seconds per request (10).
"""

import datetime as dt
import http.client
import json
import os
import ssl
from abc import ABC, abstractmethod
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from django.utils.translation import gettext as _

from haicap.payments import wire

USER_AGENT = "haicap-payments/1"


class GatewayError(OSError):
    """The gateway could not be reached, or answered something haicap cannot use."""


class PaymentGateway(ABC):
    """What haicap needs from a payment gateway."""

    @abstractmethod
    def open_order(
        self, reference: str, amount_vnd: int, description: str, return_url: str, callback_url: str
    ) -> str:
        """Open (or find again: it is idempotent on ``reference``) an order; its payment page."""

    @abstractmethod
    def transaction(self, reference: str) -> wire.Transaction | None:
        """The order's state at the gateway; None when it does not know the reference."""

    @abstractmethod
    def statement(self, day: dt.date) -> list[wire.Transaction]:
        """Every transaction the gateway took on ``day`` (Vietnam date)."""


class HttpPaymentGateway(PaymentGateway):
    """The gateway over HTTP(S), one connection per request (an answer is never misread)."""

    def __init__(self, base_url: str, *, token: str = "", timeout: float = 10.0) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {base_url!r}")
        self._https = parts.scheme == "https"
        self._host, self._port = parts.hostname, parts.port
        self._prefix = parts.path.rstrip("/")
        self._token = token
        self.timeout = timeout

    def _request(self, method: str, path: str, body: dict | None = None) -> tuple[int, Any]:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json; charset=utf-8"
        if self._https:
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                self._host, self._port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            connection = http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)
        try:
            connection.request(method, self._prefix + path, body=data, headers=headers)
            response = connection.getresponse()
            status, answer = response.status, response.read()
        except (OSError, http.client.HTTPException) as error:
            raise GatewayError(
                _("The payment gateway cannot be reached: %(error)s")
                % {"error": str(error) or error.__class__.__name__}
            ) from error
        finally:
            connection.close()
        try:
            parsed = json.loads(answer) if answer.strip() else {}
        except ValueError:
            parsed = {}
        return status, parsed

    def _failure(self, status: int, parsed: Any) -> GatewayError:
        detail = parsed.get("detail", "") if isinstance(parsed, dict) else ""
        return GatewayError(
            _("The payment gateway answered HTTP %(status)s: %(detail)s")
            % {"status": status, "detail": detail}
        )

    def open_order(
        self, reference: str, amount_vnd: int, description: str, return_url: str, callback_url: str
    ) -> str:
        order = {
            "reference": reference,
            "amount_vnd": amount_vnd,
            "description": description,
            "return_url": return_url,
            "callback_url": callback_url,
        }
        status, parsed = self._request("POST", wire.ORDERS_PATH, order)
        if status not in (200, 201):
            raise self._failure(status, parsed)
        pay_url = parsed.get("pay_url") if isinstance(parsed, dict) else None
        if not isinstance(pay_url, str) or urlsplit(pay_url).scheme not in ("http", "https"):
            raise GatewayError(_("The payment gateway gave no payment page."))
        return pay_url

    def transaction(self, reference: str) -> wire.Transaction | None:
        status, parsed = self._request("GET", f"{wire.ORDERS_PATH}/{quote(reference)}")
        if status == 404:
            return None
        if status != 200:
            raise self._failure(status, parsed)
        try:
            return wire.transaction_from(parsed)
        except ValueError as error:
            raise GatewayError(_("The payment gateway answered in an unknown shape.")) from error

    def statement(self, day: dt.date) -> list[wire.Transaction]:
        query = urlencode({"day": day.isoformat()})
        status, parsed = self._request("GET", f"{wire.STATEMENT_PATH}?{query}")
        if status != 200:
            raise self._failure(status, parsed)
        try:
            return [wire.transaction_from(item) for item in parsed["transactions"]]
        except (KeyError, TypeError, ValueError) as error:
            raise GatewayError(_("The payment gateway answered in an unknown shape.")) from error


def setting(name: str, default: str) -> str:
    from django.conf import settings

    return str(getattr(settings, name, os.environ.get(name, default)))


def connector() -> PaymentGateway:
    """The configured gateway (the seam for another platform's adapter)."""
    return HttpPaymentGateway(
        setting("HAICAP_PAYMENT_GATEWAY_URL", "http://127.0.0.1:8902"),
        token=setting("HAICAP_PAYMENT_GATEWAY_TOKEN", ""),
        timeout=float(setting("HAICAP_PAYMENT_GATEWAY_TIMEOUT", "10")),
    )


def payment_page_origin() -> str:
    """Where the gateway's payment page lives (scheme and host), to which the pay button's
    answer sends the payer: ``HAICAP_PAYMENT_PAGE_ORIGIN``, or the gateway's own address."""
    configured = setting("HAICAP_PAYMENT_PAGE_ORIGIN", "")
    if configured:
        return configured.rstrip("/")
    parts = urlsplit(setting("HAICAP_PAYMENT_GATEWAY_URL", "http://127.0.0.1:8902"))
    return f"{parts.scheme}://{parts.netloc}"


def callback_secret() -> str:
    return setting("HAICAP_PAYMENT_GATEWAY_SECRET", "")
