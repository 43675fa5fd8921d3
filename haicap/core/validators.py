"""Refusing characters stored text may not hold, in the reader's language: a validator for
Django form and model fields, a mixin that puts it on every text field of a form, and the
message the API gives. The rule itself is ``haicap.core.characters`` (pure)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext, gettext_noop

from haicap.core.characters import (
    CONTROL,
    NONCHARACTER,
    SURROGATE,
    Unacceptable,
    first_unacceptable,
)
from haicap.core.errors import InvalidInput

# The pure rule speaks English; these are its words, so the catalogue holds them.
KINDS = {
    CONTROL: gettext_noop("a control character"),
    SURROGATE: gettext_noop("an unpaired surrogate"),
    NONCHARACTER: gettext_noop("a noncharacter"),
}
MESSAGE = gettext_noop("%(kind)s (U+%(code)s) at position %(position)d is not allowed here")


def describe(found: Unacceptable) -> str:
    """The pure rule's finding as a sentence in the active language."""
    params = found.params() | {"kind": gettext(KINDS[found.kind])}
    return gettext(MESSAGE) % params


@deconstructible
class PlainText:
    """Refuses control characters (tab and line breaks allowed when ``multiline``),
    unpaired surrogates and noncharacters."""

    code = "unacceptable_character"

    def __init__(self, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value: Any) -> None:
        if isinstance(value, str) and (found := first_unacceptable(value, self.multiline)):
            message = describe(found)
            raise ValidationError(message[:1].upper() + message[1:], code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainText) and other.multiline == self.multiline


class PlainTextForm(forms.BaseForm):
    """Mix in before ``forms.Form``: every text field refuses what ``PlainText`` refuses;
    a field drawn as a text area may hold line breaks and tabs, any other only one line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # a password is never stored as text, and refusing one would only lock its owner out
            if isinstance(field, forms.CharField) and not isinstance(
                field.widget, forms.PasswordInput
            ):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(PlainText(multiline=multiline))


def check_text(label: str, value: str, multiline: bool = False) -> None:
    """For services: ``InvalidInput`` when ``value`` holds what ``PlainText`` refuses, so that
    no path around a form or a schema stores it."""
    if found := first_unacceptable(value, multiline):
        raise InvalidInput(f"{label}: {describe(found)}")
