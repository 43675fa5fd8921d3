"""Cursor (keyset) pagination: stable under inserts, constant cost at any depth."""

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Field, Model, Q, QuerySet
from django.utils.translation import gettext as _

from haicap.core import moments
from haicap.core.errors import InvalidInput

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
BIGINT_RANGE = range(-(2**63), 2**63)


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None


def _value(row: Model, path: str) -> Any:
    value: Any = row
    for part in path.split("__"):
        value = getattr(value, part)
    return value


def _json(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _field(model: type[Model], path: str) -> Field:
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


def decode_cursor(cursor: str, fields: Sequence[Field]) -> list[Any]:
    """The values a cursor carries, each checked against its field: a forged cursor is a 422."""
    invalid = InvalidInput(_("The cursor is not one this list gave out."))
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise invalid from error
    if not isinstance(values, list) or len(values) != len(fields):
        raise invalid
    cleaned = []
    for field, value in zip(fields, values, strict=True):
        if value is None or isinstance(value, bool | list | dict):
            raise invalid
        try:
            value = field.to_python(value)
        except (ValidationError, TypeError, ValueError) as error:
            raise invalid from error
        if isinstance(value, int) and value not in BIGINT_RANGE:
            raise invalid
        if isinstance(value, str) and "\x00" in value:
            raise invalid
        if isinstance(value, dt.datetime):
            # The lists give out moments with their offset; one without, or near year 1 or
            # 9999, would overflow when the database compares it in UTC.
            try:
                moments.check_moment(value)
            except moments.OutOfRange as error:
                raise invalid from error
        cleaned.append(value)
    return cleaned


def _after(order: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after ``values`` in ``order``: (a > x) or (a = x and b > y) ...

    A field written ``-name`` runs in descending order, so "after" means smaller.
    """
    condition = Q(pk__in=[])
    for i, field in enumerate(order):
        name = field.lstrip("-")
        step = Q(**{f"{name}__{'lt' if field.startswith('-') else 'gt'}": values[i]})
        for earlier, value in zip(order[:i], values[:i], strict=True):
            step &= Q(**{earlier.lstrip("-"): value})
        condition |= step
    return condition


def keyset_page(
    queryset: QuerySet, order: Sequence[str], cursor: str | None, limit: int = DEFAULT_LIMIT
) -> Page:
    """One page of ``queryset`` in ``order`` (which must end in a unique field)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(_("limit must be between 1 and %(max)d.") % {"max": MAX_LIMIT})
    queryset = queryset.order_by(*order)
    if cursor:
        fields = [_field(queryset.model, path.lstrip("-")) for path in order]
        queryset = queryset.filter(_after(order, decode_cursor(cursor, fields)))
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return Page(rows, None)
    last = rows[limit - 1]
    return Page(rows[:limit], encode_cursor([_json(_value(last, f.lstrip("-"))) for f in order]))
