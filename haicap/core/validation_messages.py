"""Pydantic's validation errors in the reader's language.

Pydantic words its errors in English; each error also has a stable ``type`` and, in ``ctx``,
the limit it was checked against. The API words the common types here, through the catalogue,
and keeps each error's location so that a client still knows which field to fix.
"""

import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

_WHOLE_NUMBER = gettext_noop("Enter a whole number.")
_NUMBER = gettext_noop("Enter a number.")
_DATE = gettext_noop("Enter a date as YYYY-MM-DD.")
_MOMENT = gettext_noop("Enter a date and time as YYYY-MM-DDTHH:MM, with or without an offset.")
_CHOICE = gettext_noop("Choose one of: %(expected)s.")
_OBJECT = gettext_noop("Send an object here.")

MESSAGES = {
    "missing": gettext_noop("This field is required."),
    "string_type": gettext_noop("Enter text."),
    "string_too_short": gettext_noop("Enter at least %(min_length)s characters."),
    "string_too_long": gettext_noop("Enter at most %(max_length)s characters."),
    "string_pattern_mismatch": gettext_noop("This text does not have the expected form."),
    "int_type": _WHOLE_NUMBER,
    "int_parsing": _WHOLE_NUMBER,
    "int_from_float": _WHOLE_NUMBER,
    "int_parsing_size": gettext_noop("This number is too large."),
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "finite_number": gettext_noop("Enter a finite number."),
    "greater_than": gettext_noop("Enter a number greater than %(gt)s."),
    "greater_than_equal": gettext_noop("Enter a number of at least %(ge)s."),
    "less_than": gettext_noop("Enter a number less than %(lt)s."),
    "less_than_equal": gettext_noop("Enter a number of at most %(le)s."),
    "bool_type": gettext_noop("Enter true or false."),
    "bool_parsing": gettext_noop("Enter true or false."),
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_type": _MOMENT,
    "datetime_parsing": _MOMENT,
    "datetime_from_date_parsing": _MOMENT,
    "enum": _CHOICE,
    "literal_error": _CHOICE,
    "list_type": gettext_noop("Send a list here."),
    "too_short": gettext_noop("Give at least %(min_length)s items."),
    "too_long": gettext_noop("Give at most %(max_length)s items."),
    "dict_type": _OBJECT,
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "json_invalid": gettext_noop("The body is not valid JSON."),
    "json_type": gettext_noop("The body is not valid JSON."),
    "extra_forbidden": gettext_noop("This field is not accepted."),
    "uuid_type": gettext_noop("Enter a UUID."),
    "uuid_parsing": gettext_noop("Enter a UUID."),
}
OTHER = gettext_noop("This value is not valid.")


# The few errors django-ninja raises with an English sentence of its own.
def _expected(ctx: dict[str, Any]) -> str:
    """Pydantic lists choices as "'a', 'b' or 'c'"; the choices alone need no translation."""
    expected = str(ctx.get("expected", ""))
    return ", ".join(re.findall(r"'([^']*)'", expected)) or expected


def message(error: dict[str, Any]) -> str:
    """One error's message in the active language."""
    ctx = error.get("ctx") or {}
    if error.get("type") in {"value_error", "assertion_error"} and ctx.get("error"):
        return str(ctx["error"])  # the project's own validators word it in the reader's language
    params = {key: value for key, value in ctx.items() if isinstance(value, int | float | str)}
    params["expected"] = _expected(ctx)
    try:
        return _(MESSAGES.get(error.get("type", ""), OTHER)) % params
    except (KeyError, TypeError, ValueError):
        return _(OTHER)


def location(loc: Iterable[Any]) -> list[Any]:
    """Where the wrong value is, as a client names it: ``["body", "received_at"]``.

    django-ninja puts the handler's parameter after the source (``body``, ``body``, field); an
    operation's body is one parameter, so its name says nothing and is left out.
    """
    parts = list(loc)
    return [parts[0], *parts[2:]] if parts[:2] == ["body", "body"] else parts


def readable_errors(errors: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The errors as the problem's ``errors`` list: location, message, pydantic's type."""
    return [
        {"loc": location(e.get("loc", ())), "msg": message(e), "type": e.get("type")}
        for e in errors
    ]


def summary(errors: list[dict[str, Any]]) -> str:
    """The problem's ``detail``: what is wrong, field by field."""
    fields = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors)
    intro = _("Some fields are missing or have the wrong form.")
    return f"{intro} {fields}" if fields else intro
