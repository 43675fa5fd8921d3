"""``/api/v1/assets``: the register and its movements, take-over records, surplus offices'
disposal plans, equipment gaps and allocation proposals."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status as Answer

from haicap.assets import register_api, selectors
from haicap.assets.disposal_api import router as disposal_router
from haicap.assets.gap_api import router as gap_router
from haicap.assets.register_api import (
    AssetFilters,
    AssetIn,
    AssetOut,
    AssetPage,
    AssetPatch,
    AssetWithMovements,
    MovementIn,
    MovementOut,
)
from haicap.assets.services import register
from haicap.assets.takeover_api import router as takeover_router
from haicap.core.api import BODY_ERRORS, RecordId, errors
from haicap.core.pagination import keyset_page
from haicap.dossiers.api.inputs import IdempotencyKey

router = Router(tags=["assets"])

# Take-over records, surplus offices' disposal plans, and what each commune lacks (the gap
# table, the norms, allocation proposals): their own modules' routes.
router.add_router("", takeover_router)
router.add_router("", disposal_router)
router.add_router("", gap_router)

# --- the register: assets and their movements (``register_api``) -------------------------------


@router.get(
    "/assets/items",
    response={200: AssetPage, **errors(401, 422)},
    summary="Assets the caller may see (Finance and supervisors the province, a commune its own)",
)
def list_assets(request: HttpRequest, filters: Query[AssetFilters]) -> AssetPage:
    user = request.user
    kind_id = register_api.kind_by_code(filters.kind).pk if filters.kind else None
    holder_id = register_api.agency_named(user, filters.holder).pk if filters.holder else None
    assets = selectors.filter_assets(
        user,
        category=filters.category,
        kind_id=kind_id,
        commune_id=filters.commune_id,
        holder_id=holder_id,
        status=filters.status,
        condition=filters.condition,
        origin_id=filters.origin_id,
        query=filters.q,
    )
    found = keyset_page(assets, ("identifier",), filters.cursor, filters.limit)
    return AssetPage(items=[AssetOut.of(a) for a in found.items], next_cursor=found.next_cursor)


@router.get(
    "/assets/items/{asset_id}",
    response={200: AssetWithMovements, **errors(401, 404, 422)},
    summary="One asset with its movements, oldest first",
)
def get_asset(request: HttpRequest, asset_id: RecordId) -> AssetWithMovements:
    asset = selectors.get_asset(request.user, asset_id)
    return AssetWithMovements.of_history(asset, selectors.asset_movements(request.user, asset))


@router.post(
    "/assets/items",
    response={201: AssetWithMovements, **errors(401, 403, 409, *BODY_ERRORS)},
    summary="Enter an asset in the register (Finance), once per Idempotency-Key",
)
def create_asset(
    request: HttpRequest, body: AssetIn, idempotency_key: str | None = IdempotencyKey
) -> Answer:
    user = request.user
    register.require_arranger(user)
    asset = register.register_asset(
        user, register_api.new_asset(user, body), idempotency_key=idempotency_key or ""
    )
    asset = selectors.get_asset(user, asset.pk)
    return Answer(201, AssetWithMovements.of_history(asset, selectors.asset_movements(user, asset)))


@router.patch(
    "/assets/items/{asset_id}",
    response={200: AssetOut, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Correct an asset: only the fields sent (never its identifier, holder or origin)",
)
def update_asset(request: HttpRequest, asset_id: RecordId, body: AssetPatch) -> AssetOut:
    user = request.user
    asset = selectors.get_asset(user, asset_id)
    register.update_asset(user, asset, register_api.patched_details(asset, body))
    return AssetOut.of(selectors.get_asset(user, asset_id))


@router.post(
    "/assets/items/{asset_id}/movements",
    response={201: MovementOut, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Record a move (a transfer by decision, or a disposal), once per Idempotency-Key",
)
def record_movement(
    request: HttpRequest,
    asset_id: RecordId,
    body: MovementIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Answer:
    user = request.user
    asset = selectors.get_asset(user, asset_id)
    register.require_arranger(user)
    movement = register.record_movement(
        user,
        asset,
        register_api.movement_spec(user, body),
        idempotency_key=idempotency_key or "",
    )
    return Answer(201, MovementOut.of(movement))
