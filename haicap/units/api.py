"""``/api/v1/units`` and ``/api/v1/agencies``: the two-tier registry."""

from datetime import date
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from haicap.core.api import RecordId, errors
from haicap.core.pagination import DEFAULT_LIMIT, keyset_page
from haicap.units import selectors
from haicap.units.kinds import AgencyKind, Tier, UnitKind
from haicap.units.models import AdministrativeUnit, Agency

router = Router(tags=["registry"])


class UnitOut(Schema):
    id: int
    code: str | None
    name: str
    full_name: str
    kind: str
    tier: str
    parent_id: int | None
    postcode: str
    valid_from: date | None
    valid_to: date | None
    is_current: bool

    @staticmethod
    def of(unit: AdministrativeUnit) -> "UnitOut":
        return UnitOut(
            id=unit.pk,
            code=unit.code,
            name=unit.name,
            full_name=unit.full_name,
            kind=unit.kind,
            tier=unit.tier,
            parent_id=unit.parent_id,
            postcode=unit.postcode,
            valid_from=unit.valid_from,
            valid_to=unit.valid_to,
            is_current=unit.is_current,
        )


class UnitPage(Schema):
    items: list[UnitOut]
    next_cursor: str | None


class LineageStepOut(Schema):
    unit: UnitOut
    depth: int


class LineageOut(Schema):
    unit: UnitOut
    current_successors: list[UnitOut]
    successors: list[LineageStepOut]
    predecessors: list[LineageStepOut]


class UnitFilters(Schema):
    status: Literal["current", "former", "all"] = "current"
    kind: UnitKind | None = None
    tier: Tier | None = None
    q: str = Field("", max_length=100)
    parent_id: RecordId | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    tier: str
    unit_id: int
    unit_name: str
    is_one_stop_desk: bool

    @staticmethod
    def of(agency: Agency) -> "AgencyOut":
        return AgencyOut(
            id=agency.pk,
            code=agency.code,
            name=agency.name,
            kind=agency.kind,
            tier=agency.unit.tier,
            unit_id=agency.unit_id,
            unit_name=agency.unit.full_name,
            is_one_stop_desk=agency.is_one_stop_desk,
        )


class AgencyPage(Schema):
    items: list[AgencyOut]
    next_cursor: str | None


class AgencyFilters(Schema):
    unit_id: RecordId | None = None
    kind: AgencyKind | None = None
    tier: Tier | None = None
    q: str = Field("", max_length=100)
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


UNIT_ORDER = ("tier", "name", "id")
AGENCY_ORDER = ("unit__tier", "unit__name", "code")


@router.get("/units", response={200: UnitPage, **errors(401, 422)}, summary="Administrative units")
def list_units(request: HttpRequest, filters: Query[UnitFilters]) -> UnitPage:
    units = selectors.list_units(
        request.user,
        status=filters.status,
        kind=filters.kind,
        tier=filters.tier,
        query=filters.q,
        parent_id=filters.parent_id,
    )
    page = keyset_page(units, UNIT_ORDER, filters.cursor, filters.limit)
    return UnitPage(items=[UnitOut.of(u) for u in page.items], next_cursor=page.next_cursor)


@router.get(
    "/units/{unit_id}", response={200: UnitOut, **errors(401, 404, 422)}, summary="One unit"
)
def get_unit(request: HttpRequest, unit_id: RecordId) -> UnitOut:
    return UnitOut.of(selectors.get_unit(request.user, unit_id))


@router.get(
    "/units/{unit_id}/lineage",
    response={200: LineageOut, **errors(401, 404, 422)},
    summary="What a unit was formed from and which current unit now covers it",
)
def unit_lineage(request: HttpRequest, unit_id: RecordId) -> LineageOut:
    unit = selectors.get_unit(request.user, unit_id)
    return LineageOut(
        unit=UnitOut.of(unit),
        current_successors=[UnitOut.of(u) for u in selectors.current_successors(unit)],
        successors=[
            LineageStepOut(unit=UnitOut.of(s.unit), depth=s.depth)
            for s in selectors.successors(unit)
        ],
        predecessors=[
            LineageStepOut(unit=UnitOut.of(s.unit), depth=s.depth)
            for s in selectors.predecessors(unit)
        ],
    )


@router.get(
    "/agencies",
    response={200: AgencyPage, **errors(401, 422)},
    summary="Agencies the caller may see",
)
def list_agencies(request: HttpRequest, filters: Query[AgencyFilters]) -> AgencyPage:
    agencies = selectors.list_agencies(
        request.user,
        unit_id=filters.unit_id,
        kind=filters.kind,
        tier=filters.tier,
        query=filters.q,
    )
    page = keyset_page(agencies, AGENCY_ORDER, filters.cursor, filters.limit)
    return AgencyPage(items=[AgencyOut.of(a) for a in page.items], next_cursor=page.next_cursor)


@router.get(
    "/agencies/{agency_id}",
    response={200: AgencyOut, **errors(401, 404, 422)},
    summary="One agency (404 when outside the caller's scope)",
)
def get_agency(request: HttpRequest, agency_id: RecordId) -> AgencyOut:
    return AgencyOut.of(selectors.get_agency(request.user, agency_id))
