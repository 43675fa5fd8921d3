"""Reads of staffing records, each through its kind's one scoping rule (``restrict``)."""

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core import clock
from haicap.core.collation import vietnamese_key
from haicap.core.errors import NotFound
from haicap.core.restricted import Viewer
from haicap.core.roles import Role
from haicap.core.scoping import scope_of
from haicap.core.text import match_rank, search_key
from haicap.staffing.explain import NO_MOVES, Moves, why
from haicap.staffing.models import (
    NormRule,
    Officer,
    Position,
    Secondment,
    SecondmentGrant,
    SecondmentPlan,
    StaffField,
    administers_staffing,
)
from haicap.staffing.norms import Rule, Standing
from haicap.staffing.permissions import arranges_staff, edits_agency_staff
from haicap.staffing.standings import ProvinceStandings, in_effect, province_standings
from haicap.staffing.warnings import (
    DeskRotation,
    desk_rotations,
    ending_secondments,
    warning_days,
    without_account,
)
from haicap.units.kinds import AgencyKind, Duty
from haicap.units.models import AdministrativeUnit, Agency


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
    without_account: list[Secondment]


def staff_warnings(user: Viewer, on: dt.date) -> StaffWarnings:
    """What staffing warns about on ``on``, of the secondments and officers ``user`` sees."""
    return StaffWarnings(
        on,
        warning_days(),
        ending=ending_secondments(approved_secondments(user), on),
        rotations=desk_rotations(visible_officers(user), on),
        without_account=without_account(approved_secondments(user), on),
    )


# --- shortages: each commune's standing in each field ------------------------------------------


@dataclass(frozen=True)
class GapCell:
    """A commune's standing in a field, with the rule its norm comes from."""

    commune: AdministrativeUnit
    field: StaffField
    standing: Standing
    rule: Rule
    moves: Moves = NO_MOVES  # where its officers seconded in came from, those out went

    @property
    def sentence(self) -> str:
        """Why the commune stands where it does, in the reader's language."""
        return why(self.commune.full_name, self.field.name, self.standing, self.rule, self.moves)


@dataclass(frozen=True)
class GapSum:
    """Standings added up (a row, a column, the table): gaps and surpluses each on their own,
    since one commune's spare officer does not fill another's post."""

    norm: int = 0
    filled: int = 0
    gap: int = 0
    surplus: int = 0
    dossiers_per_month: Decimal = Decimal(0)
    overdue_open: int = 0

    def plus(self, standing: Standing) -> "GapSum":
        return GapSum(
            self.norm + standing.norm,
            self.filled + standing.filled,
            self.gap + standing.gap,
            self.surplus + standing.surplus,
            self.dossiers_per_month + standing.dossiers_per_month,
            self.overdue_open + standing.overdue_open,
        )


@dataclass(frozen=True)
class GapTable:
    """The communes (rows, in Vietnamese alphabetical order) by the fields (columns) a reader
    asked for, on a day."""

    on: dt.date
    window: tuple[dt.date, dt.date]
    communes: list[AdministrativeUnit]
    fields: list[StaffField]
    cells: dict[tuple[int, str], GapCell]

    def cell(self, unit_id: int, field_code: str) -> GapCell | None:
        return self.cells.get((unit_id, field_code))

    def _sum(self, communes: list[AdministrativeUnit], fields: list[StaffField]) -> GapSum:
        total = GapSum()
        for commune in communes:
            for staff_field in fields:
                found = self.cell(commune.pk, staff_field.code)
                if found is not None:
                    total = total.plus(found.standing)
        return total

    def row_total(self, unit_id: int) -> GapSum:
        """One commune's row (only its cells: a table reads a row per commune)."""
        return self._sum([c for c in self.communes if c.pk == unit_id], self.fields)

    def column_total(self, field_code: str) -> GapSum:
        return self._sum(self.communes, [f for f in self.fields if f.code == field_code])

    def total(self) -> GapSum:
        return self._sum(self.communes, self.fields)

    def in_order(self) -> Iterator[GapCell]:
        """Each cell, commune by commune, field by field."""
        for commune in self.communes:
            for staff_field in self.fields:
                found = self.cell(commune.pk, staff_field.code)
                if found is not None:
                    yield found


def staff_fields(user: Viewer) -> list[StaffField]:
    """The fields officers qualify in, in Vietnamese alphabetical order of their names."""
    fields = StaffField.objects.restrict(user).select_related("catalog_field")
    return sorted(fields, key=lambda f: vietnamese_key(f.name))


def _standings(user: Viewer, on: dt.date | None) -> ProvinceStandings:
    return province_standings(on, visible_communes(user))


def _name_matches(unit: AdministrativeUnit, typed: str) -> bool:
    return search_key(typed) in search_key(unit.name)


def gap_table(
    user: Viewer,
    field_code: str | None = None,
    short_only: bool = False,
    query: str = "",
    on: dt.date | None = None,
) -> GapTable:
    """The standing of the communes ``user`` reads (the province, or their own) in each field
    (or ``field_code``'s), those short in it only if ``short_only``, those whose name holds
    ``query`` only if given."""
    standings = _standings(user, on)
    fields = [
        f
        for f in sorted(standings.fields, key=lambda f: vietnamese_key(f.name))
        if field_code in (None, "", f.code)
    ]
    cells = {}
    for commune in standings.communes:
        for staff_field in fields:
            standing = standings.of(commune.pk, staff_field.code)
            if standing is not None:
                rule = standings.rule_of(commune.pk, staff_field.code)
                cells[(commune.pk, staff_field.code)] = GapCell(
                    commune,
                    staff_field,
                    standing,
                    rule,
                    standings.moves_of(commune.pk, staff_field.code),
                )
    communes = [
        c
        for c in standings.communes
        if (not query.strip() or _name_matches(c, query))
        and (
            not short_only
            or any(cells[(c.pk, f.code)].standing.gap for f in fields if (c.pk, f.code) in cells)
        )
    ]
    communes.sort(key=lambda c: vietnamese_key(c.name))
    return GapTable(standings.on, standings.window, communes, fields, cells)


@dataclass(frozen=True)
class CommuneFieldStanding:
    """A commune's standing in a field, with the officers behind it: those in its own posts
    (some of them seconded out), those seconded in and those seconded out, on ``on``."""

    cell: GapCell
    on: dt.date
    window: tuple[dt.date, dt.date]
    own: list[Officer]
    seconded_in: list[Secondment]
    seconded_out: list[Secondment]

    @property
    def away(self) -> dict[int, Secondment]:
        """The secondment out of each officer of the commune's own who is away."""
        return {s.officer_id: s for s in self.seconded_out}


def commune_field_standing(
    user: Viewer, unit_id: int, field_code: str, on: dt.date | None = None
) -> CommuneFieldStanding:
    """One commune's standing in one field; a commune the user does not read, or a field the
    province sets no norm in for it, is not found."""
    communes = visible_communes(user)
    if communes is not None and unit_id not in communes:
        raise NotFound(_("No such commune."))
    standings = province_standings(on, [unit_id])
    standing = standings.of(unit_id, field_code)
    if not standings.communes or standing is None:
        raise NotFound(_("The province sets this commune no norm in this field."))
    commune = standings.communes[0]
    staff_field = next(f for f in standings.fields if f.code == field_code)
    cell = GapCell(
        commune,
        staff_field,
        standing,
        standings.rule_of(unit_id, field_code),
        standings.moves_of(unit_id, field_code),
    )
    own = visible_officers(user).filter(agency__unit_id=unit_id, position__field=staff_field)
    running = (
        Secondment.objects.restrict(user)
        .filter(in_effect(standings.on))
        .select_related("officer__position", "from_agency__unit", "to_agency__unit", "field")
        .order_by("end_date", "officer__full_name", "pk")
    )
    into = running.filter(to_agency__unit_id=unit_id, field=staff_field)
    out = running.filter(officer__agency__unit_id=unit_id, officer__position__field=staff_field)
    return CommuneFieldStanding(
        cell=cell,
        on=standings.on,
        window=standings.window,
        own=sorted(own, key=lambda o: (vietnamese_key(o.full_name), o.pk)),
        seconded_in=list(into),
        seconded_out=list(out),
    )


# --- secondment plans ---------------------------------------------------------------------------


def sees_plans(user: Viewer) -> bool:
    """Plans are the staffing authority's working papers, and the supervisors' to read."""
    return reads_province(user)


def visible_plans(user: Viewer) -> QuerySet[SecondmentPlan]:
    return SecondmentPlan.objects.restrict(user).select_related(
        "revises", "created_by", "approved_by"
    )


def get_plan(user: Viewer, plan_id: int) -> SecondmentPlan:
    plan = visible_plans(user).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(_("No such plan."))
    return plan


def plan_secondments(user: Viewer, plan: SecondmentPlan) -> QuerySet[Secondment]:
    """The plan's secondments, the largest gaps first, with what their page and figures read."""
    return (
        Secondment.objects.restrict(user)
        .filter(plan=plan)
        .select_related(
            "officer",
            "from_agency__unit",
            "to_agency__unit",
            "field",
            "donor_field",
        )
        .order_by("-host_gap_before", "to_agency__unit__name", "field__code", "officer__full_name")
    )


@dataclass(frozen=True)
class DecisionSheet:
    """What the printed list of a plan's secondments says above and below its rows: the body
    issuing it (the staffing authority) under its People's Committee, where and when, and who
    approved the plan."""

    issuer_parent: Agency | None  # the province's People's Committee, above the authority
    issuer: Agency | None  # the staffing authority
    place: str  # the authority's unit, where the list is issued
    day: dt.date  # the approval's, or today's for a draft
    approver: str  # "" while the plan is a draft


def decision_sheet(plan: SecondmentPlan) -> DecisionSheet:
    """The heading and signature of ``plan``'s printed list of secondments."""
    authority = (
        Agency.objects.filter(duties__duty=Duty.STAFFING).select_related("unit").order_by("pk")
    ).first()
    parent = None
    if authority is not None and authority.kind != AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE:
        parent = Agency.objects.filter(
            unit_id=authority.unit_id, kind=AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE
        ).first()
    moment = plan.approved_at or clock.now()
    approver = ""
    if plan.approved_by is not None:
        approver = plan.approved_by.full_name or plan.approved_by.get_username()
    return DecisionSheet(
        issuer_parent=parent,
        issuer=authority,
        place=authority.unit.name if authority is not None else "",
        day=timezone.localtime(moment).date(),
        approver=approver,
    )


_LEADING_NUMBER = re.compile(r"\s*(\d+)")


def decision_order(number: str) -> tuple:
    """Decision numbers in their order: by the running number they start with ("9/QĐ-SNV"
    before "10/QĐ-SNV"), then as written; a secondment without one comes last."""
    text = number.strip()
    found = _LEADING_NUMBER.match(text)
    return (not text, int(found[1]) if found else float("inf"), vietnamese_key(text))


def plan_versions(user: Viewer, plan: SecondmentPlan) -> list[SecondmentPlan]:
    """Every version of the plan's family, the first first: the version it started from and
    each revision of it (a discarded draft included)."""
    plans = visible_plans(user)
    root = plan
    while root.revises_id is not None:
        root = plans.get(pk=root.revises_id)
    family, frontier = [root], [root.pk]
    while frontier:
        found = list(plans.filter(revises_id__in=frontier))
        family += found
        frontier = [p.pk for p in found]
    return sorted(family, key=lambda p: (p.version, p.pk))


def open_revision(user: Viewer, plan: SecondmentPlan) -> SecondmentPlan | None:
    """The draft revising ``plan``, if one is open."""
    return visible_plans(user).filter(revises=plan, status=SecondmentPlan.Status.DRAFT).first()


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
    or not (``DESK_OFF``), and every word of ``query`` in their name or their staff number
    (accents and case ignored)."""
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
            for pk, name, number in officers.values_list("pk", "full_name", "staff_number")
            if all(word in search_key(name) or word in search_key(number) for word in words)
        ]
        officers = officers.filter(pk__in=matching)
    return officers.distinct()


def name_order_key(full_name: str) -> tuple:
    """Vietnamese personnel lists run by given name (the last word), then the whole name."""
    parts = full_name.split()
    return vietnamese_key(parts[-1] if parts else ""), vietnamese_key(full_name)


def officer_ids_in_order(officers: QuerySet[Officer], sort: str, query: str = "") -> list[int]:
    """The officers' ids in the order ``sort`` names (``OFFICER_SORTS``): by name in Vietnamese
    order, or by a column, the id breaking ties; or ``BEST_MATCH`` for ``query``: the staff
    number typed in full first, then the names that hold the typed words as whole words (as a
    phrase first: "thu ha" finds Nguyễn Thị Thu Hà before Trần Thu Hằng or Lê Thị Hà Thu), as
    the desk's procedure search ranks (``core.text.match_rank``), then by name."""
    if sort == BEST_MATCH:
        words = search_key(query).split()
        typed = " ".join(words)
        rows = list(officers.values_list("pk", "full_name", "staff_number"))
        rows.sort(
            key=lambda row: (
                search_key(row[2]) != typed,
                match_rank(search_key(row[1]), words)[0],
                name_order_key(row[1]),
                row[0],
            )
        )
        return [pk for pk, _name, _number in rows]
    if sort in ("name", "-name"):
        rows = list(officers.values_list("pk", "full_name"))
        rows.sort(key=lambda row: (name_order_key(row[1]), row[0]), reverse=sort == "-name")
        return [pk for pk, _name in rows]
    column = OFFICER_SORTS[sort]
    tie = "-pk" if column.startswith("-") else "pk"
    return list(officers.order_by(column, tie).values_list("pk", flat=True))


BEST_MATCH = "match"
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
