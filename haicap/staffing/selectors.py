"""Reads of staffing records, each through its kind's one scoping rule (``restrict``)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from haicap.core.errors import NotFound
from haicap.core.restricted import Viewer
from haicap.core.scoping import scope_of
from haicap.staffing.models import (
    Officer,
    Position,
    Secondment,
    SecondmentGrant,
    SecondmentPlan,
    administers_staffing,
)
from haicap.staffing.standings import in_effect
from haicap.staffing.warnings import DeskRotation, desk_rotations, ending_secondments, warning_days


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


# --- secondments in effect, and what staffing warns about (``effect_views``) ---------------


@dataclass
class SecondmentsAround:
    """The approved secondments a user sees around ``on``: running, starting within ``days``
    days, and ended within the last ``days`` days; each with its grants (``grants.all``)."""

    on: dt.date
    days: int
    running: list[Secondment]
    starting: list[Secondment]
    ended: list[Secondment]


def approved_secondments(user: Viewer) -> QuerySet[Secondment]:
    """The secondments of approved plans ``user`` sees (``Secondment``'s rule), with the roles
    the worker granted for them."""
    return (
        Secondment.objects.restrict(user)
        .filter(plan__status=SecondmentPlan.Status.APPROVED)
        .select_related("plan", "officer__user", "from_agency__unit", "to_agency__unit", "field")
        .prefetch_related(
            Prefetch("grants", queryset=SecondmentGrant.objects.order_by("granted_on", "pk"))
        )
    )


def secondments_around(user: Viewer, on: dt.date, days: int) -> SecondmentsAround:
    seen = approved_secondments(user)
    return SecondmentsAround(
        on,
        days,
        running=list(seen.filter(in_effect(on)).order_by("end_date", "officer__full_name", "pk")),
        starting=list(
            seen.filter(start_date__gt=on, start_date__lte=on + dt.timedelta(days=days)).order_by(
                "start_date", "officer__full_name", "pk"
            )
        ),
        ended=list(
            seen.filter(end_date__lt=on, end_date__gte=on - dt.timedelta(days=days)).order_by(
                "-end_date", "officer__full_name", "pk"
            )
        ),
    )


@dataclass
class StaffWarnings:
    on: dt.date
    days: int
    ending: list[Secondment]
    rotations: list[DeskRotation]


def staff_warnings(user: Viewer, on: dt.date) -> StaffWarnings:
    """What staffing warns about on ``on``, of the secondments and officers ``user`` sees."""
    return StaffWarnings(
        on,
        warning_days(),
        ending=ending_secondments(approved_secondments(user), on),
        rotations=desk_rotations(visible_officers(user), on),
    )
