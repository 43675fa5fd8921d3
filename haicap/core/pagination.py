"""Cursor (keyset) pagination: stable under inserts, constant cost at any depth."""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from haicap.core.errors import InvalidInput

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None


def _value(row: Model, path: str) -> Any:
    value: Any = row
    for part in path.split("__"):
        value = getattr(value, part)
    return value


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, width: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise InvalidInput(_("The cursor is not one this list gave out.")) from error
    if not isinstance(values, list) or len(values) != width:
        raise InvalidInput(_("The cursor is not one this list gave out."))
    return values


def _after(order: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after ``values`` in ascending ``order``: (a > x) or (a = x and b > y) ..."""
    condition = Q(pk__in=[])
    for i, field in enumerate(order):
        step = Q(**{f"{field}__gt": values[i]})
        for earlier, value in zip(order[:i], values[:i], strict=True):
            step &= Q(**{earlier: value})
        condition |= step
    return condition


def keyset_page(
    queryset: QuerySet, order: Sequence[str], cursor: str | None, limit: int = DEFAULT_LIMIT
) -> Page:
    """One page of ``queryset`` in ascending ``order`` (which must end in a unique field)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(_("limit must be between 1 and %(max)d.") % {"max": MAX_LIMIT})
    queryset = queryset.order_by(*order)
    if cursor:
        queryset = queryset.filter(_after(order, decode_cursor(cursor, len(order))))
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return Page(rows, None)
    last = rows[limit - 1]
    return Page(rows[:limit], encode_cursor([_value(last, f) for f in order]))
