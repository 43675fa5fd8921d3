"""``/api/v1/assets/takeovers``: the abolished units' take-over records, a destination for each
asset, the parties, the signature. A signed record is frozen: every change answers 409
(``takeover_signed``); a signature while an asset has no destination answers 409
(``takeover_without_destination``), naming each."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from haicap.assets import selectors
from haicap.assets.models import Disposal, TakeoverLine, TakeoverRecord
from haicap.assets.services import takeover as services
from haicap.core.api import BODY_ERRORS, Day, RecordId, SingleLine, errors
from haicap.core.pagination import DEFAULT_LIMIT, keyset_page
from haicap.core.restricted import Viewer

router = Router(tags=["assets"])


class TakeoverQuery(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT
    signed: bool | None = Field(None, description="only signed records, or only unsigned ones")


class TakeoverOut(Schema):
    id: int
    former_unit_id: int
    former_unit: str = Field(description='the abolished unit, "huyện Đô Lương"')
    former_unit_tier: str = Field(description='"district" or "commune"')
    number: str
    handed_by: str
    received_by: str
    signed_on: dt.date | None
    signed_by: str | None = Field(description="the signing leader's user name")
    asset_count: int
    without_destination: int = Field(description="assets with no destination yet")
    original_total: int = Field(description="VND")
    remaining_total: int = Field(description="VND")

    @staticmethod
    def fields_of(record: TakeoverRecord) -> dict:
        return {
            "id": record.pk,
            "former_unit_id": record.former_unit_id,
            "former_unit": record.former_unit.full_name,
            "former_unit_tier": record.former_unit.tier,
            "number": record.number,
            "handed_by": record.handed_by,
            "received_by": record.received_by,
            "signed_on": record.signed_on,
            "signed_by": record.signed_by.get_username() if record.signed_by else None,
            "asset_count": record.asset_count,
            "without_destination": record.without_destination,
            "original_total": record.original_total or 0,
            "remaining_total": record.remaining_total or 0,
        }


class TakeoverPage(Schema):
    items: list[TakeoverOut]
    next_cursor: str | None


class LineOut(Schema):
    id: int
    asset_id: int
    identifier: str
    name: str
    kind_code: str
    original_value: int
    remaining_value: int
    condition: str
    destination_code: str | None = Field(description="the agency taking the asset over")
    destination: str | None
    disposal: Disposal | None = Field(description="or how it is disposed of")

    @staticmethod
    def of(line: TakeoverLine) -> "LineOut":
        asset = line.asset
        return LineOut(
            id=line.pk,
            asset_id=asset.pk,
            identifier=asset.identifier,
            name=asset.name,
            kind_code=asset.kind.code,
            original_value=asset.original_value,
            remaining_value=asset.remaining_value,
            condition=asset.condition,
            destination_code=line.destination.code if line.destination else None,
            destination=line.destination.name if line.destination else None,
            disposal=line.disposal or None,
        )


class TakeoverDetail(TakeoverOut):
    lines: list[LineOut]


class OpenIn(Schema):
    former_unit_id: RecordId = Field(description="an abolished unit: a former district or commune")


class PartiesIn(Schema):
    handed_by: SingleLine = Field(max_length=200)
    received_by: SingleLine = Field(max_length=200)


class LinePatch(Schema):
    destination_code: SingleLine | None = Field(
        None, max_length=40, description="an agency of a current commune or of the province"
    )
    disposal: Disposal | None = Field(
        None, description="sale, liquidation or demolition; neither clears the destination"
    )


class SignIn(Schema):
    on: Day
    number: SingleLine = Field(max_length=60, description='"15/BB-STC"')


def detail(user: Viewer, record_id: int) -> TakeoverDetail:
    record = selectors.get_takeover(user, record_id)
    return TakeoverDetail(
        **TakeoverOut.fields_of(record),
        lines=[LineOut.of(line) for line in selectors.takeover_lines(record)],
    )


@router.get(
    "/assets/takeovers",
    response={200: TakeoverPage, **errors(401, 422)},
    summary="Take-over records (Finance and supervisors all; a commune those handing it assets)",
)
def list_takeovers(request: HttpRequest, query: Query[TakeoverQuery]) -> TakeoverPage:
    records = selectors.visible_takeovers(request.user, signed=query.signed)
    found = keyset_page(records, ("id",), query.cursor, query.limit)
    return TakeoverPage(
        items=[TakeoverOut(**TakeoverOut.fields_of(r)) for r in found.items],
        next_cursor=found.next_cursor,
    )


@router.post(
    "/assets/takeovers",
    response={200: TakeoverDetail, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Open an abolished unit's record, listing every asset it held (again: adds new ones)",
)
def open_takeover(request: HttpRequest, body: OpenIn) -> TakeoverDetail:
    """One record per unit, so a retry finds the record it opened: no Idempotency-Key needed."""
    unit = selectors.get_abolished_unit(request.user, body.former_unit_id)
    record = services.open_record(request.user, unit)
    return detail(request.user, record.pk)


@router.get(
    "/assets/takeovers/{record_id}",
    response={200: TakeoverDetail, **errors(401, 404, 422)},
    summary="One record: its parties and every asset with its destination",
)
def get_takeover(request: HttpRequest, record_id: RecordId) -> TakeoverDetail:
    return detail(request.user, record_id)


@router.patch(
    "/assets/takeovers/{record_id}",
    response={200: TakeoverDetail, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Name the parties' representatives (refused once signed)",
)
def name_parties(request: HttpRequest, record_id: RecordId, body: PartiesIn) -> TakeoverDetail:
    record = selectors.get_takeover(request.user, record_id)
    services.describe_parties(
        request.user, record, handed_by=body.handed_by, received_by=body.received_by
    )
    return detail(request.user, record_id)


@router.patch(
    "/assets/takeovers/{record_id}/lines/{line_id}",
    response={200: LineOut, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Set where an asset goes: an agency, or a way of disposing of it (refused once signed)",
)
def set_line(
    request: HttpRequest, record_id: RecordId, line_id: RecordId, body: LinePatch
) -> LineOut:
    user = request.user
    line = selectors.get_takeover_line(user, record_id, line_id)
    destination = (
        selectors.get_receiving_agency(user, body.destination_code)
        if body.destination_code
        else None
    )
    services.set_destination(
        user, line, destination=destination, disposal=body.disposal.value if body.disposal else ""
    )
    return LineOut.of(selectors.get_takeover_line(user, record_id, line_id))


@router.post(
    "/assets/takeovers/{record_id}/sign",
    response={200: TakeoverDetail, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Sign the record (a Finance leader): every asset moves to its destination",
)
def sign(request: HttpRequest, record_id: RecordId, body: SignIn) -> Answer:
    """409 ``takeover_without_destination`` while an asset has none (the detail names each);
    409 ``takeover_signed`` once signed."""
    record = selectors.get_takeover(request.user, record_id)
    services.sign(request.user, record, on=body.on, number=body.number)
    return Answer(200, detail(request.user, record_id))
