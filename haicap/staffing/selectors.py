"""Reads of staffing records, each through its kind's one scoping rule (``restrict``)."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from haicap.core import clock
from haicap.core.collation import vietnamese_key
from haicap.core.errors import NotFound
from haicap.core.restricted import Viewer
from haicap.core.roles import Role
from haicap.core.scoping import scope_of
from haicap.core.text import search_key
from haicap.staffing.models import (
    NormRule,
    Officer,
    Position,
    Secondment,
    SecondmentGrant,
    StaffField,
    administers_staffing,
)
from haicap.staffing.permissions import arranges_staff, edits_agency_staff
from haicap.units.models import Agency


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


# --- who works where: lists, filters, personal data (the officers' and positions' pages) ------


def sees_personal_data_in_lists(user: Viewer) -> bool:
    """Lists and exports show citizen ID and phone numbers whole only to those who arrange the
    province's staff; everyone else sees them masked."""
    return arranges_staff(user)


def sees_personal_data(user: Viewer, officer: Officer) -> bool:
    """An officer's own page shows them whole to those who may edit the officer."""
    return edits_agency_staff(user, officer.agency)


def may_edit(user: Viewer, officer: Officer) -> bool:
    """Whether the officer's page offers its edit form (the service decides again)."""
    return not scope_of(user).read_only and edits_agency_staff(user, officer.agency)


def editable_agencies(user: Viewer) -> QuerySet[Agency]:
    """The current agencies whose officers ``user`` may edit: every one for those who arrange
    staff; a commune's offices for its administrator; none for anyone else."""
    agencies = Agency.objects.restrict(user).filter(unit__valid_to=None).select_related("unit")
    if scope_of(user).read_only:
        return agencies.none()
    if arranges_staff(user):
        return agencies
    bodies = scope_of(user).bodies([Role.AGENCY_ADMIN])
    condition = Q(pk__in=[])
    for body in bodies:
        condition |= Q(**body.lookups())
    return agencies.filter(condition)


def visible_fields() -> QuerySet[StaffField]:
    return StaffField.objects.order_by("code")


DESK_ON, DESK_OFF = "yes", "no"


def filter_officers(
    user: Viewer,
    *,
    commune_id: int | None = None,
    agency_id: int | None = None,
    field_code: str | None = None,
    qualification_code: str | None = None,
    on_desk: str | None = None,
    query: str = "",
    on: dt.date | None = None,
) -> QuerySet[Officer]:
    """The officers ``user`` sees that match: their agency's commune (a unit id) or the agency,
    their post's field, a field they qualify in, on a one-stop desk ``on`` a day (``DESK_ON``)
    or not (``DESK_OFF``), and every word of ``query`` in their name (accents ignored)."""
    officers = visible_officers(user)
    if commune_id is not None:
        officers = officers.filter(agency__unit_id=commune_id)
    if agency_id is not None:
        officers = officers.filter(agency_id=agency_id)
    if field_code:
        officers = officers.filter(position__field__code=field_code)
    if qualification_code:
        officers = officers.filter(qualifications__code=qualification_code)
    if on_desk in (DESK_ON, DESK_OFF):
        day = on or clock.now().date()
        posted = Q(desk_posting_from__lte=day) & (
            Q(desk_posting_until=None) | Q(desk_posting_until__gte=day)
        )
        officers = officers.filter(posted) if on_desk == DESK_ON else officers.exclude(posted)
    words = search_key(query).split()
    if words:
        # Names have no folded copy to search in the database: fold them here (a province has
        # a few thousand officers).
        matching = [
            pk
            for pk, name in officers.values_list("pk", "full_name")
            if all(word in search_key(name) for word in words)
        ]
        officers = officers.filter(pk__in=matching)
    return officers.distinct()


def name_order_key(full_name: str) -> tuple:
    """Vietnamese personnel lists run by given name (the last word), then the whole name."""
    parts = full_name.split()
    return vietnamese_key(parts[-1] if parts else ""), vietnamese_key(full_name)


def officer_ids_in_order(officers: QuerySet[Officer], sort: str) -> list[int]:
    """The officers' ids in the order ``sort`` names (``OFFICER_SORTS``): by name in Vietnamese
    order, or by a column, the id breaking ties."""
    if sort in ("name", "-name"):
        rows = list(officers.values_list("pk", "full_name"))
        rows.sort(key=lambda row: (name_order_key(row[1]), row[0]), reverse=sort == "-name")
        return [pk for pk, _name in rows]
    column = OFFICER_SORTS[sort]
    tie = "-pk" if column.startswith("-") else "pk"
    return list(officers.order_by(column, tie).values_list("pk", flat=True))


OFFICER_SORTS = {
    "name": "full_name",
    "-name": "-full_name",
    "staff_number": "staff_number",
    "agency": "agency__code",
    "in_post_since": "in_post_since",
    "-in_post_since": "-in_post_since",
    "-experience": "-experience_years",
}


def officers_by_id(user: Viewer, ids: Iterable[int]) -> list[Officer]:
    """The officers of ``ids`` in that order, with what their rows show."""
    ids = list(ids)
    found = visible_officers(user).prefetch_related("qualifications").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def positions_filled(user: Viewer) -> QuerySet[Position]:
    """The positions ``user`` sees, each with ``filled``: the officers in it."""
    return visible_positions(user).annotate(filled=Count("officers", distinct=True))


def get_position(user: Viewer, position_id: int) -> Position:
    position = visible_positions(user).filter(pk=position_id).first()
    if position is None:
        raise NotFound(_("No such position."))
    return position


def visible_norms(user: Viewer) -> QuerySet[NormRule]:
    return NormRule.objects.restrict(user).select_related("field", "unit", "agency")


def get_norm(user: Viewer, norm_id: int) -> NormRule:
    norm = visible_norms(user).filter(pk=norm_id).first()
    if norm is None:
        raise NotFound(_("No such norm."))
    return norm


def officer_secondments(user: Viewer, officer: Officer) -> list[Secondment]:
    """The officer's secondments ``user`` sees, each with the roles granted for it."""
    return list(
        Secondment.objects.restrict(user)
        .filter(officer=officer)
        .select_related("plan", "from_agency", "to_agency", "field")
        .prefetch_related(
            Prefetch(
                "grants",
                queryset=SecondmentGrant.objects.select_related("agency", "user").order_by(
                    "granted_on", "pk"
                ),
            )
        )
        .order_by("-start_date", "-pk")
    )
