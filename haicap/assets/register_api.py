"""What the register's API takes and answers (``/api/v1/assets/items``), and the records a body
names (a kind by code, an agency by code among those the caller sees, a former unit by id)
turned into the services' specs."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict

from haicap.assets import asset_sheet, selectors
from haicap.assets.models import Asset, AssetKind, Category, Condition, Disposal, Movement
from haicap.assets.services import register
from haicap.core.api import Day, RecordId, SingleLine
from haicap.core.errors import InvalidInput
from haicap.core.pagination import DEFAULT_LIMIT
from haicap.core.restricted import Viewer
from haicap.dossiers.api.inputs import agency_by_code
from haicap.units.models import AdministrativeUnit, Agency

Money = int  # whole đồng
MONEY = {"ge": 0, "le": asset_sheet.MAX_VALUE}
AREA = {"ge": 0, "le": asset_sheet.MAX_AREA, "max_digits": 10, "decimal_places": 1}


class AssetFilters(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT
    category: Category | None = None
    kind: SingleLine | None = Field(None, max_length=20, description="a kind's code")
    holder: SingleLine | None = Field(None, max_length=40, description="the holder's agency code")
    commune_id: RecordId | None = Field(None, description="the unit id of the holder's commune")
    status: Asset.Status | None = None
    condition: Condition | None = None
    origin_id: RecordId | None = Field(None, description="the unit id of the former unit")
    q: SingleLine = Field("", max_length=100, description="words of the identifier or name")


class MovementOut(Schema):
    id: int
    kind: Movement.Kind
    on: dt.date
    from_agency: str | None = Field(description="the agency code it left")
    to_agency: str | None = Field(description="the agency code it went to")
    decision: str
    note: str
    recorded_by: str | None = Field(description="the user name of who recorded it")
    recorded_at: dt.datetime

    @staticmethod
    def of(movement: Movement) -> "MovementOut":
        return MovementOut(
            id=movement.pk,
            kind=movement.kind,
            on=movement.on,
            from_agency=movement.from_agency.code if movement.from_agency else None,
            to_agency=movement.to_agency.code if movement.to_agency else None,
            decision=movement.decision,
            note=movement.note,
            recorded_by=movement.recorded_by.get_username() if movement.recorded_by else None,
            recorded_at=movement.recorded_at,
        )


class AssetOut(Schema):
    id: int
    identifier: str = Field(description="never changes")
    kind: str = Field(description="the kind's code")
    category: Category
    name: str
    holder: str | None = Field(description="the holding agency's code; none once disposed of")
    commune_id: int | None = Field(description="the unit id of the holder's commune (or province)")
    origin_id: int | None = Field(description="the unit id of the former unit it came from")
    origin: str = Field(description="the former unit, as the import sheet names it")
    address: str
    area_m2: Decimal | None
    original_value: Money = Field(description="in đồng")
    remaining_value: Money = Field(description="in đồng")
    acquired_year: int
    condition: Condition
    status: Asset.Status

    @staticmethod
    def fields_of(asset: Asset) -> dict:
        return {
            "id": asset.pk,
            "identifier": asset.identifier,
            "kind": asset.kind.code,
            "category": asset.kind.category,
            "name": asset.name,
            "holder": asset.holder.code if asset.holder else None,
            "commune_id": asset.holder.unit_id if asset.holder else None,
            "origin_id": asset.origin_id,
            "origin": register.origin_label(asset.origin),
            "address": asset.address,
            "area_m2": asset.area_m2,
            "original_value": asset.original_value,
            "remaining_value": asset.remaining_value,
            "acquired_year": asset.acquired_year,
            "condition": asset.condition,
            "status": asset.status,
        }

    @staticmethod
    def of(asset: Asset) -> "AssetOut":
        return AssetOut(**AssetOut.fields_of(asset))


class AssetWithMovements(AssetOut):
    movements: list[MovementOut] = Field(description="its history, oldest first")

    @staticmethod
    def of_history(asset: Asset, movements: list[Movement]) -> "AssetWithMovements":
        return AssetWithMovements(
            **AssetOut.fields_of(asset), movements=[MovementOut.of(m) for m in movements]
        )


class AssetPage(Schema):
    items: list[AssetOut]
    next_cursor: str | None


class AssetIn(Schema):
    identifier: SingleLine = Field(
        "",
        max_length=30,
        description="the province's own identifier, if it numbers its assets; empty: haicap "
        "gives the next TS.<province>.<number>",
    )
    kind: SingleLine = Field(min_length=1, max_length=20, description="a kind's code")
    name: SingleLine = Field(min_length=1, max_length=200)
    holder: SingleLine = Field(min_length=1, max_length=40, description="an agency code")
    origin_id: RecordId | None = Field(None, description="the unit id of the former unit")
    address: SingleLine = Field("", max_length=300)
    area_m2: Decimal | None = Field(None, **AREA)
    original_value: Money = Field(**MONEY)
    remaining_value: Money = Field(**MONEY)
    acquired_year: int = Field(ge=asset_sheet.FIRST_YEAR, le=9999)
    condition: Condition


class AssetPatch(Schema):
    """Only the fields sent change. The identifier, the holder and the origin are not among
    them: the first never changes, the others change by movements."""

    model_config = ConfigDict(extra="forbid")

    kind: SingleLine | None = Field(None, min_length=1, max_length=20)
    name: SingleLine | None = Field(None, min_length=1, max_length=200)
    address: SingleLine | None = Field(None, max_length=300)
    area_m2: Decimal | None = Field(None, **AREA)
    original_value: Money | None = Field(None, **MONEY)
    remaining_value: Money | None = Field(None, **MONEY)
    acquired_year: int | None = Field(None, ge=asset_sheet.FIRST_YEAR, le=9999)
    condition: Condition | None = None


class MovementIn(Schema):
    kind: Movement.Kind = Field(
        Movement.Kind.TRANSFERRED,
        description="transferred (the default), allocated, taken_over or disposed",
    )
    to_agency: SingleLine | None = Field(
        None, max_length=40, description="the agency code it goes to; none for a disposal"
    )
    disposal: Disposal | None = Field(None, description="how it is disposed of")
    on: Day
    decision: SingleLine = Field("", max_length=120)
    note: SingleLine = Field("", max_length=200)


# --- a body's names, as records ---------------------------------------------------------------


def kind_by_code(code: str) -> AssetKind:
    kind = selectors.asset_kinds().filter(code__iexact=code).first()
    if kind is None:
        raise InvalidInput(_("No kind of asset has the code %(code)s.") % {"code": code})
    return kind


def agency_named(user: Viewer, code: str) -> Agency:
    agency = agency_by_code(user, code)
    if agency is None:  # an empty code names none
        raise InvalidInput(_("No agency has the code %(code)s.") % {"code": code})
    return agency


def former_unit(unit_id: int | None) -> AdministrativeUnit | None:
    if unit_id is None:
        return None
    unit = next((u for u in selectors.former_units() if u.pk == unit_id), None)
    if unit is None:
        raise InvalidInput(_("No former unit has the id %(id)s.") % {"id": unit_id})
    return unit


def new_asset(user: Viewer, body: AssetIn) -> register.NewAsset:
    details = register.AssetDetails(
        kind=kind_by_code(body.kind),
        name=body.name,
        original_value=body.original_value,
        remaining_value=body.remaining_value,
        acquired_year=body.acquired_year,
        condition=body.condition,
        address=body.address,
        area_m2=body.area_m2,
    )
    return register.NewAsset(
        details,
        holder=agency_named(user, body.holder),
        origin=former_unit(body.origin_id),
        identifier=body.identifier,
    )


def patched_details(asset: Asset, body: AssetPatch) -> register.AssetDetails:
    """The asset as it is, with the fields the body sends (``area_m2`` sent as null clears it)."""
    sent = body.model_fields_set
    values = vars(register.details_of(asset)) | {
        name: getattr(body, name)
        for name in sent
        if name != "kind" and (getattr(body, name) is not None or name == "area_m2")
    }
    if "kind" in sent and body.kind is not None:
        values["kind"] = kind_by_code(body.kind)
    return register.AssetDetails(**values)


def movement_spec(user: Viewer, body: MovementIn) -> register.MovementSpec:
    return register.MovementSpec(
        on=body.on,
        decision=body.decision,
        to_agency=agency_named(user, body.to_agency) if body.to_agency else None,
        disposal=body.disposal or "",
        note=body.note,
        kind=body.kind,
    )
