"""Amounts of đồng on the capital pages, as Vietnamese offices write them (``money.format_vnd``):
"8.000.000.000", in both languages, so that a figure reads the same on the page, in the export
and in the decision it comes from."""

from django import template
from django.utils.translation import gettext as _

from haicap.budget.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """8000000000 → "8.000.000.000"; nothing for None."""
    if amount is None or amount == "":
        return ""
    return format_vnd(int(amount))


@register.filter
def vnd_unit(amount: int | None) -> str:
    """8000000000 → "8.000.000.000 đ" (in English "8.000.000.000 VND"), the unit held to the
    figure by a no-break space: a narrow column breaks the line elsewhere, never there."""
    if amount is None or amount == "":
        return ""
    return (_("%(amount)s VND") % {"amount": format_vnd(int(amount))}).replace(" ", "\u00a0")


@register.filter
def signed_vnd(amount: int | None) -> str:
    """An entry's amount with its sign: "+8.000.000.000", "-1.000"."""
    if amount is None or amount == "":
        return ""
    amount = int(amount)
    return f"+{format_vnd(amount)}" if amount > 0 else format_vnd(amount)


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """``mapping[key]`` in a template (a level's amount in a row); nothing when absent."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
