"""The desk's menu entry for petitions: shown to whoever works for an agency (or reads them all)."""

from django import template

from haicap.core.scoping import scope_of

register = template.Library()


@register.filter
def sees_petitions(user: object) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_of(user)
    return bool(scope.memberships) or scope.superuser
