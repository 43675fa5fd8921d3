"""Reads of the registry. The scoping rule for agencies lives here and only here.

Units are public administrative facts (Decision 19/2025/QĐ-TTg publishes them), so every
signed-in staff member may read all of them. Agencies follow the tree rule of
``haicap.core.scoping``: a user sees the agencies of their own units, of the units below
them and of the units above them, never those of a sibling commune.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from haicap.accounts.models import User
from haicap.accounts.selectors import scope_for
from haicap.core.errors import NotFound
from haicap.core.scoping import Scope
from haicap.core.text import search_key
from haicap.units.models import AdministrativeUnit, Agency, UnitLineage

UNIT_STATUSES = ("current", "former", "all")


def agency_scope_filter(scope: Scope) -> Q:
    """The one rule for agencies, as a query condition."""
    if scope.province_wide:
        return Q()
    if scope.user_id is None or not scope.memberships:
        return Q(pk__in=[])
    condition = Q(unit_id__in=scope.ancestor_unit_ids)
    for path in scope.own_unit_paths:
        condition |= Q(unit__path__startswith=path)
    return condition


def visible_agencies(user: User) -> QuerySet[Agency]:
    return Agency.objects.filter(agency_scope_filter(scope_for(user)))


def list_agencies(
    user: User,
    *,
    unit_id: int | None = None,
    kind: str | None = None,
    tier: str | None = None,
    query: str = "",
) -> QuerySet[Agency]:
    agencies = visible_agencies(user).select_related("unit")
    if unit_id is not None:
        agencies = agencies.filter(unit_id=unit_id)
    if kind:
        agencies = agencies.filter(kind=kind)
    if tier:
        agencies = agencies.filter(unit__tier=tier)
    for word in search_key(query).split():
        agencies = agencies.filter(Q(search_name__contains=word) | Q(code__icontains=word))
    return agencies.order_by("unit__tier", "unit__name", "code")


def get_agency(user: User, agency_id: int) -> Agency:
    agency = visible_agencies(user).select_related("unit").filter(pk=agency_id).first()
    if agency is None:  # the same answer whether it does not exist or is out of scope
        raise NotFound()
    return agency


def list_units(
    *,
    status: str = "current",
    kind: str | None = None,
    tier: str | None = None,
    query: str = "",
    parent_id: int | None = None,
) -> QuerySet[AdministrativeUnit]:
    units = AdministrativeUnit.objects.all()
    if status == "current":
        units = units.filter(valid_to__isnull=True)
    elif status == "former":
        units = units.filter(valid_to__isnull=False)
    if kind:
        units = units.filter(kind=kind)
    if tier:
        units = units.filter(tier=tier)
    if parent_id is not None:
        units = units.filter(parent_id=parent_id)
    for word in search_key(query).split():
        units = units.filter(Q(search_name__contains=word) | Q(code=word))
    return units.order_by("tier", "name", "pk")


def get_unit(unit_id: int) -> AdministrativeUnit:
    unit = AdministrativeUnit.objects.select_related("parent").filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    return unit


@dataclass(frozen=True)
class LineageStep:
    unit: AdministrativeUnit
    depth: int  # 1 = directly merged into / formed from


def _walk(start: AdministrativeUnit, forward: bool) -> list[LineageStep]:
    """Breadth-first along lineage links, one query per generation."""
    steps: list[LineageStep] = []
    seen = {start.pk}
    frontier = [start.pk]
    depth = 0
    while frontier:
        depth += 1
        if forward:
            links = UnitLineage.objects.filter(predecessor_id__in=frontier).select_related(
                "successor"
            )
            nxt = [link.successor for link in links]
        else:
            links = UnitLineage.objects.filter(successor_id__in=frontier).select_related(
                "predecessor"
            )
            nxt = [link.predecessor for link in links]
        frontier = []
        for unit in sorted(nxt, key=lambda u: (u.name, u.pk)):
            if unit.pk not in seen:
                seen.add(unit.pk)
                steps.append(LineageStep(unit, depth))
                frontier.append(unit.pk)
    return steps


def current_successors(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The current unit(s) that now cover a former unit; the unit itself when it is current."""
    if unit.is_current:
        return [unit]
    return [step.unit for step in _walk(unit, forward=True) if step.unit.is_current]


def successors(unit: AdministrativeUnit) -> list[LineageStep]:
    return _walk(unit, forward=True)


def predecessors(unit: AdministrativeUnit) -> list[LineageStep]:
    """What the unit was formed from, generation by generation."""
    return _walk(unit, forward=False)


def units_by_ids(ids: Iterable[int]) -> dict[int, AdministrativeUnit]:
    return AdministrativeUnit.objects.in_bulk(list(ids))
