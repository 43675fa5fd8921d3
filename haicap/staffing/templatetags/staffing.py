"""The staffing pages' filters: which of the section's pages the navigation offers a reader."""

from django import template

from haicap.core.restricted import Viewer
from haicap.staffing import permissions, selectors

register = template.Library()


@register.filter
def arranges_staff(user: Viewer) -> bool:
    """Imports staff and drafts plans: the staffing authority (and system administrators)."""
    return permissions.arranges_staff(user)


@register.filter
def reads_plans(user: Viewer) -> bool:
    return selectors.sees_plans(user)
