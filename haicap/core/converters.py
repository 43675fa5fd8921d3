"""URL converters: a record number in an address is at most 18 digits, so it fits a bigint; a
day is written as ISO 8601 (2026-11-01), within the span haicap reckons in
(``moments.FIRST_DAY``..``LAST_DAY``: the months around year 9999 overflow Python's dates)."""

import datetime as dt

from django.urls import register_converter

from haicap.core.moments import check_day


class RecordIdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RecordIdConverter, "id")


class DayConverter:
    regex = "[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> dt.date:
        # ValueError (OutOfRange is one): the address matches nothing (404)
        return check_day(dt.date.fromisoformat(value))

    def to_url(self, value: dt.date) -> str:
        return value.isoformat()


register_converter(DayConverter, "day")


def record_id(value: str | None) -> int | None:
    """A record number typed or posted, or None for anything else (never an error)."""
    if not value or not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return int(value)
