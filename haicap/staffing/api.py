"""``/api/v1/staffing``: officers, positions, the gap table and secondment plans."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from haicap.core.api import BODY_ERRORS, RecordId, errors
from haicap.core.errors import InvalidInput
from haicap.core.pagination import keyset_page
from haicap.dossiers.api.inputs import IdempotencyKey, agency_by_code
from haicap.staffing import selectors, services, staff_api
from haicap.staffing.norms import Basis, Reason
from haicap.staffing.plan_api import router as plan_router
from haicap.staffing.selectors import DESK_OFF, DESK_ON
from haicap.staffing.staff_api import (
    OfficerFilters,
    OfficerIn,
    OfficerOut,
    OfficerPage,
    OfficerPatch,
    PositionFilters,
    PositionOut,
    PositionPage,
)

router = Router(tags=["staffing"])


# --- shortages --------------------------------------------------------------------------------


class GapQuery(Schema):
    field: str | None = Field(
        None, max_length=20, description="a staff field's code: that field only"
    )
    short_only: bool = Field(False, description="only the communes short in the field(s)")


class GapOut(Schema):
    unit_id: int
    unit_code: str | None
    commune: str
    field_code: str
    field: str
    basis: Basis
    norm: int
    own: int = Field(description="officers in the commune's own posts of the field")
    seconded_in: int
    seconded_out: int
    filled: int = Field(description="own + seconded_in - seconded_out")
    gap: int
    surplus: int
    dossiers_per_month: Decimal = Field(description="the workload behind a workload norm")
    overdue_open: int = Field(description="the field's dossiers in progress past their due date")
    reason: Reason
    sentence: str = Field(description="why, in the request's language")


class GapsOut(Schema):
    on: dt.date
    workload_from: dt.date
    workload_until: dt.date
    items: list[GapOut]


@router.get(
    "/staffing/gaps",
    response={200: GapsOut, **errors(401, 422)},
    summary="Each commune's standing in each field: norm, officers, gap, the workload and why",
)
def gaps(request: HttpRequest, query: Query[GapQuery]) -> GapsOut:
    """The communes the caller reads (the staffing authority and supervisors the province, a
    commune its own), in Vietnamese alphabetical order, field by field."""
    if query.field and query.field not in {f.code for f in selectors.staff_fields(request.user)}:
        raise InvalidInput(_("There is no staff field %(code)s.") % {"code": query.field})
    table = selectors.gap_table(request.user, field_code=query.field, short_only=query.short_only)
    return GapsOut(
        on=table.on,
        workload_from=table.window[0],
        workload_until=table.window[1],
        items=[
            GapOut(
                unit_id=cell.commune.pk,
                unit_code=cell.commune.code,
                commune=cell.commune.full_name,
                field_code=cell.field.code,
                field=cell.field.name,
                basis=cell.standing.basis,
                norm=cell.standing.norm,
                own=cell.standing.own,
                seconded_in=cell.standing.seconded_in,
                seconded_out=cell.standing.seconded_out,
                filled=cell.standing.filled,
                gap=cell.standing.gap,
                surplus=cell.standing.surplus,
                dossiers_per_month=cell.standing.dossiers_per_month,
                overdue_open=cell.standing.overdue_open,
                reason=cell.standing.reason,
                sentence=cell.sentence,
            )
            for cell in table.in_order()
        ],
    )


# --- who works where: officers and positions --------------------------------------------------


@router.get(
    "/staffing/officers",
    response={200: OfficerPage, **errors(401, 422)},
    summary="Officers the caller may see (citizen ID and phone masked unless they arrange staff)",
)
def list_officers(request: HttpRequest, filters: Query[OfficerFilters]) -> OfficerPage:
    user = request.user
    agency_id = None
    if filters.agency_code:
        agency = agency_by_code(user, filters.agency_code)
        agency_id = agency.pk if agency else None
    officers = selectors.filter_officers(
        user,
        commune_id=filters.commune_id,
        agency_id=agency_id,
        field_code=filters.field_code,
        qualification_code=filters.qualification_code,
        on_desk=None if filters.on_desk is None else (DESK_ON if filters.on_desk else DESK_OFF),
        query=filters.q,
    ).prefetch_related("qualifications")
    found = keyset_page(officers, ("full_name", "id"), filters.cursor, filters.limit)
    personal = selectors.sees_personal_data_in_lists(user)
    return OfficerPage(
        items=[OfficerOut.of(o, personal) for o in found.items], next_cursor=found.next_cursor
    )


@router.get(
    "/staffing/officers/{officer_id}",
    response={200: OfficerOut, **errors(401, 404, 422)},
    summary="One officer (citizen ID and phone whole only for those who may edit the officer)",
)
def get_officer(request: HttpRequest, officer_id: RecordId) -> OfficerOut:
    officer = selectors.get_officer(request.user, officer_id)
    return OfficerOut.of(officer, selectors.sees_personal_data(request.user, officer))


@router.post(
    "/staffing/officers",
    response={201: OfficerOut, **errors(401, 403, 409, *BODY_ERRORS)},
    summary="Add an officer to a position (the staffing authority, or the body's administrator)",
)
def create_officer(
    request: HttpRequest, body: OfficerIn, idempotency_key: str | None = IdempotencyKey
) -> Answer:
    user = request.user
    officer = services.save_officer(
        user, staff_api.officer_spec(user, body), idempotency_key=idempotency_key or ""
    )
    officer = selectors.get_officer(user, officer.pk)
    return Answer(201, OfficerOut.of(officer, selectors.sees_personal_data(user, officer)))


@router.patch(
    "/staffing/officers/{officer_id}",
    response={200: OfficerOut, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Change an officer: only the fields sent (account null unlinks the account)",
)
def update_officer(request: HttpRequest, officer_id: RecordId, body: OfficerPatch) -> OfficerOut:
    user = request.user
    officer = selectors.get_officer(user, officer_id)
    services.save_officer(user, staff_api.patched_spec(user, officer, body), officer)
    officer = selectors.get_officer(user, officer_id)
    return OfficerOut.of(officer, selectors.sees_personal_data(user, officer))


@router.get(
    "/staffing/positions",
    response={200: PositionPage, **errors(401, 422)},
    summary="Positions the caller may see: approved (the quota), filled and vacant",
)
def list_positions(request: HttpRequest, filters: Query[PositionFilters]) -> PositionPage:
    positions = selectors.positions_filled(request.user).select_related("agency", "field")
    if filters.agency_code:
        positions = positions.filter(agency__code=filters.agency_code)
    if filters.commune_id is not None:
        positions = positions.filter(agency__unit_id=filters.commune_id)
    if filters.field_code:
        positions = positions.filter(field__code=filters.field_code)
    found = keyset_page(positions, ("id",), filters.cursor, filters.limit)
    return PositionPage(
        items=[PositionOut.of(p) for p in found.items], next_cursor=found.next_cursor
    )


# Secondment plans: ``plan_api``.
router.add_router("", plan_router)
