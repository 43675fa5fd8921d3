"""Reads of staffing records, each through its kind's one scoping rule (``restrict``)."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haicap.core.errors import NotFound
from haicap.core.restricted import Viewer
from haicap.core.scoping import scope_of
from haicap.staffing.models import Officer, Position, administers_staffing


def reads_province(user: Viewer) -> bool:
    """Reads every commune's staff and standing (the staffing authority, supervisors)."""
    return administers_staffing(scope_of(user))


def visible_communes(user: Viewer) -> list[int] | None:
    """The communes (unit ids) whose standing ``user`` reads: None for the whole province."""
    return None if reads_province(user) else sorted(scope_of(user).communes)


def visible_officers(user: Viewer) -> QuerySet[Officer]:
    return Officer.objects.restrict(user).select_related("agency__unit", "position__field", "user")


def get_officer(user: Viewer, officer_id: int) -> Officer:
    officer = visible_officers(user).filter(pk=officer_id).first()
    if officer is None:
        raise NotFound(_("No such officer."))
    return officer


def visible_positions(user: Viewer) -> QuerySet[Position]:
    return Position.objects.restrict(user).select_related("agency__unit", "field")
