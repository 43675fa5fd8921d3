"""What the assets pages show: amounts of đồng as offices write them, and who may do what."""

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from haicap.assets.permissions import arranges_assets as _arranges_assets

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """1250000000 → "1.250.000.000 đ" (in English "1,250,000,000 VND"); nothing for None."""
    if amount is None or amount == "":
        return ""
    grouped = formats.number_format(int(amount), 0, force_grouping=True)
    return _("%(amount)s VND") % {"amount": grouped}


@register.filter
def arranges_assets(user: object) -> bool:
    """Keeps the province's register (Finance, system administrators)."""
    return _arranges_assets(user)
