"""What the disbursement pages show: đồng and shares as the reader writes them."""

from decimal import Decimal

from django import template
from django.utils import formats

from haicap.budget.templatetags.budget_money import vnd_unit

register = template.Library()

# Between a figure and its unit: a narrow column breaks the line elsewhere, never there.
NBSP = "\u00a0"


@register.filter
def vnd(amount: int | None) -> str:
    """8000000000 → "8.000.000.000 đ" (in English "8.000.000.000 VND": đồng are written as
    Vietnamese offices write them in both languages, ``budget_money.vnd_unit``)."""
    return vnd_unit(amount)


@register.filter
def share(value: Decimal | None) -> str:
    """32.8 → "32,80 %", 245098040.2 → "245.098.040,20 %" (the reader's marks); "—" when
    there is nothing to measure against."""
    if value is None or value == "":
        return "—"
    return f"{formats.number_format(value, 2, force_grouping=True)}{NBSP}%"
