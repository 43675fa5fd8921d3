"""Reads of the registry. The scoping rules for units and agencies live beside their models
(``restrict``), once.

Units are public administrative facts (Decision 19/2025/QĐ-TTg publishes them), so every
signed-in staff member may read all of them, and the public site may look them up by name.
Agencies follow the tree rule of ``haicap.core.scoping``: a user sees the agencies of their
own units, of the units below them and of the units above them, never a sibling commune's.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from haicap.core.errors import NotFound
from haicap.core.restricted import Viewer
from haicap.core.text import search_key
from haicap.units.models import AdministrativeUnit, Agency, UnitLineage

UNIT_STATUSES = ("current", "former", "all")


def visible_agencies(user: Viewer) -> QuerySet[Agency]:
    return Agency.objects.restrict(user)


def list_agencies(
    user: Viewer,
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


def agency_by_code(user: Viewer, code: str | None) -> Agency | None:
    """The agency with this code among those ``user`` may see (so one out of scope is as
    unknown as one that does not exist)."""
    if not code:
        return None
    return visible_agencies(user).select_related("unit").filter(code=code).first()


def public_desk(code: str | None) -> Agency | None:
    """The one-stop desk in force with this code, where a citizen may file (public facts)."""
    return _desks_in_force().filter(code=code or "").first()


def _desks_in_force() -> QuerySet[Agency]:
    desks = Agency.objects.filter(is_one_stop_desk=True, unit__valid_to__isnull=True)
    return desks.select_related("unit")


def get_agency(user: Viewer, agency_id: int) -> Agency:
    agency = visible_agencies(user).select_related("unit").filter(pk=agency_id).first()
    if agency is None:  # the same answer whether it does not exist or is out of scope
        raise NotFound()
    return agency


def list_units(
    user: Viewer,
    *,
    status: str = "current",
    kind: str | None = None,
    tier: str | None = None,
    query: str = "",
    parent_id: int | None = None,
) -> QuerySet[AdministrativeUnit]:
    """Units, for any signed-in staff member (they are public facts); none for anybody else."""
    units = _units(status=status, kind=kind, tier=tier, query=query, parent_id=parent_id)
    return units.restrict(user)


def public_unit_lookup(query: str, limit: int = 20) -> list[tuple[AdministrativeUnit, list]]:
    """For the public site: units named like ``query``, each with the current units covering it."""
    units = list(_units(status="all", query=query).select_related("parent")[:limit])
    successors = current_successors_of(units)
    return [(unit, successors[unit.pk]) for unit in units]


def _units(
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
    words = search_key(query).split()
    if not words and query.strip():
        return units.none()  # nothing searchable was typed
    for word in words:
        units = units.filter(Q(search_name__contains=word) | Q(code=word))
    return units.order_by("tier", "name", "pk")


def current_unit(code: str | None) -> AdministrativeUnit | None:
    """The unit in force with this official code (public facts: any caller may look one up)."""
    if not code:
        return None
    return AdministrativeUnit.objects.filter(code=code, valid_to=None).first()


def get_unit(user: Viewer, unit_id: int) -> AdministrativeUnit:
    unit = list_units(user, status="all").select_related("parent").filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    return unit


@dataclass(frozen=True)
class LineageStep:
    unit: AdministrativeUnit
    depth: int  # 1 = directly merged into / formed from


MAX_LINEAGE_DEPTH = 20  # far beyond any real chain of mergers; stops a mistaken cycle


def _walk(start: AdministrativeUnit, forward: bool) -> list[LineageStep]:
    """Breadth-first along lineage links, one query per generation."""
    steps: list[LineageStep] = []
    seen = {start.pk}
    frontier = [start.pk]
    for depth in range(1, MAX_LINEAGE_DEPTH + 1):
        if not frontier:
            break
        if forward:
            links = UnitLineage.objects.filter(predecessor_id__in=frontier)
            nxt = [link.successor for link in links.select_related("successor__parent")]
        else:
            links = UnitLineage.objects.filter(successor_id__in=frontier)
            nxt = [link.predecessor for link in links.select_related("predecessor__parent")]
        frontier = []
        for unit in sorted(nxt, key=lambda u: (u.name, u.pk)):
            if unit.pk not in seen:
                seen.add(unit.pk)
                steps.append(LineageStep(unit, depth))
                frontier.append(unit.pk)
    return steps


def current_successors_of(
    units: Iterable[AdministrativeUnit],
) -> dict[int, list[AdministrativeUnit]]:
    """For each unit, the current unit(s) that now cover it (itself when it is current).

    All units are walked together, one query per generation, whatever their number.
    """
    result: dict[int, dict[int, AdministrativeUnit]] = {}
    frontier: dict[int, set[int]] = defaultdict(set)  # unit id -> the origins that reach it
    for unit in units:
        result[unit.pk] = {unit.pk: unit} if unit.is_current else {}
        if not unit.is_current:
            frontier[unit.pk].add(unit.pk)
    for _depth in range(MAX_LINEAGE_DEPTH):
        if not frontier:
            break
        links = UnitLineage.objects.filter(predecessor_id__in=list(frontier)).select_related(
            "successor"
        )
        following: dict[int, set[int]] = defaultdict(set)
        for link in links:
            for origin in frontier[link.predecessor_id]:
                if link.successor.is_current:
                    result[origin][link.successor_id] = link.successor
                else:
                    following[link.successor_id].add(origin)
        frontier = following
    return {
        pk: sorted(found.values(), key=lambda u: (u.name, u.pk)) for pk, found in result.items()
    }


def current_successors(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The current unit(s) that now cover a former unit; the unit itself when it is current."""
    return current_successors_of([unit])[unit.pk]


def successors(unit: AdministrativeUnit) -> list[LineageStep]:
    return _walk(unit, forward=True)


def predecessors(unit: AdministrativeUnit) -> list[LineageStep]:
    """What the unit was formed from, generation by generation."""
    return _walk(unit, forward=False)


def public_desks() -> list[Agency]:
    """The one-stop desks a citizen may file at (any of them, regardless of residence)."""
    # The province's centre first, then the communes alphabetically without diacritics.
    return sorted(_desks_in_force(), key=lambda d: (d.tier != "province", d.unit.search_name))


def public_communes() -> QuerySet[AdministrativeUnit]:
    """The current communes and wards, whose People's Committees decide commune procedures."""
    return AdministrativeUnit.objects.filter(tier="commune", valid_to__isnull=True).order_by(
        "search_name", "pk"
    )


def the_province() -> AdministrativeUnit | None:
    """The province haicap serves (one per installation); None before the registry is loaded."""
    return AdministrativeUnit.objects.filter(tier="province", valid_to__isnull=True).first()
