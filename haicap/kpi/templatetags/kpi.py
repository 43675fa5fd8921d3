"""Rates as Vietnamese readers write them: 66,7 %."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(rate: Decimal | None) -> str:
    if rate is None:
        return "—"
    rounded = (rate * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)  # number_format truncates
    return f"{number_format(rounded, 1)} %"
