"""URL converters: a record number in an address is at most 18 digits, so it fits a bigint."""

from django.urls import register_converter


class RecordIdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RecordIdConverter, "id")


def record_id(value: str | None) -> int | None:
    """A record number typed or posted, or None for anything else (never an error)."""
    if not value or not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return int(value)
