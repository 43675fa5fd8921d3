"""``/api/v1/staffing``: officers, positions, the gap table and secondment plans."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status as Answer

from haicap.core.api import BODY_ERRORS, RecordId, errors
from haicap.core.pagination import keyset_page
from haicap.dossiers.api.inputs import IdempotencyKey, agency_by_code
from haicap.staffing import selectors, services, staff_api
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
