"""How the desk says remaining working time: "còn 1 ngày 3 giờ", "quá hạn 2 ngày"."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from haicap.core.notices import notice_sources
from haicap.dossiers.remaining import Remaining

register = template.Library()


@register.filter
def in_words(left: Remaining | None) -> str:
    if left is None:
        return ""
    if left.under_an_hour:
        return _("overdue by less than an hour") if left.overdue else _("less than an hour left")
    parts = []
    if left.days:
        parts.append(ngettext("%(n)d day", "%(n)d days", left.days) % {"n": left.days})
    if left.hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", left.hours) % {"n": left.hours})
    span = " ".join(parts)
    return (_("overdue by %(span)s") if left.overdue else _("%(span)s left")) % {"span": span}


TIMELINESS = {
    "early": gettext_lazy("finished early"),
    "on_time": gettext_lazy("finished on time"),
    "late": gettext_lazy("finished late"),
}


@register.filter
def timeliness(value: str) -> str:
    return str(TIMELINESS.get(value, value))


@register.filter
def get(mapping: dict, key: str) -> object:
    return mapping.get(key)


_UNREAD = "_haicap_unread_notices"


@register.filter
def unread_notices(user: object) -> int:
    """How many notices the user has not read, from every source: for the menu, counted once
    per request (kept on the request's user)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    known = getattr(user, _UNREAD, None)
    if known is None:
        known = sum(source.unread(user) for source in notice_sources.sources())
        setattr(user, _UNREAD, known)
    return known
