"""Asking a national system over HTTP for JSON, and where haicap finds its settings.

Only what the inbound side needs (the portal's queue, the business register): one request, a
short timeout, and one exception, ``Unreachable``, for everything that means "no usable answer
now" — refused connection, timeout, a server error, a body that is not JSON.
"""

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings


class Unreachable(Exception):
    """The peer gave no usable answer; try again later."""


@dataclass(frozen=True)
class Reply:
    status: int
    data: Any


def setting(name: str, default: str | None = None) -> str | None:
    """``settings.NAME`` if set, else the environment variable ``NAME``, else ``default``."""
    value = getattr(settings, name, None)
    if value is None or value == "":
        value = os.environ.get(name) or default
    return None if value is None else str(value)


def number_setting(name: str, default: float) -> float:
    value = setting(name)
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default


def request_json(
    method: str,
    url: str,
    *,
    timeout: float,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """Send ``body`` (as JSON, if any) and read the JSON answer.

    A 4xx answer is returned (the peer spoke: the caller decides what it means); a 5xx one,
    a timeout or a broken connection raises ``Unreachable``.
    """
    if not url.lower().startswith(("http://", "https://")):
        raise Unreachable(f"not an http(s) address: {url!r}")
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 (checked above)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        if error.code >= 500:
            raise Unreachable(f"{method} {url}: HTTP {error.code}") from error
        status, raw = error.code, error.read()
    except (OSError, ValueError) as error:  # URLError, timeouts and resets are OSErrors
        raise Unreachable(f"{method} {url}: {error}") from error
    if not raw.strip():
        return Reply(status, None)
    try:
        return Reply(status, json.loads(raw))
    except ValueError as error:
        if status >= 400:
            return Reply(status, None)
        raise Unreachable(f"{method} {url}: the answer is not JSON") from error
