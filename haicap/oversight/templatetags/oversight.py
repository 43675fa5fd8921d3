"""The oversight pages' filters: whether the menu offers them, and a pack's values as read."""

from django import template

from haicap.core.restricted import Viewer
from haicap.oversight import selectors
from haicap.oversight.pack_files import printed

register = template.Library()


@register.filter
def sees_oversight(user: Viewer) -> bool:
    return selectors.sees_oversight(user)


@register.filter
def pack_value(value: object) -> str:
    return printed(value)
