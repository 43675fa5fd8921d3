"""The oversight pages' filters: whether the menu offers them, and a pack's values as read."""

from decimal import Decimal

from django import template

from haicap.core.restricted import Viewer
from haicap.oversight import selectors
from haicap.oversight.pack_files import figure, printed

register = template.Library()


@register.filter
def sees_oversight(user: Viewer) -> bool:
    return selectors.sees_oversight(user)


@register.filter
def pack_value(value: object) -> str:
    return printed(value)


@register.filter
def measured(value: Decimal | None, unit: object = "") -> str:
    """A target's threshold or value, shown as every oversight figure is (``figure``)."""
    if value is None:
        return "—"
    return figure(value, percent=str(getattr(unit, "value", unit)) == "%")
