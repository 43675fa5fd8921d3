"""``/api/v1/staffing``: officers, positions, the gap table and secondment plans."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from haicap.core.api import errors
from haicap.core.errors import InvalidInput
from haicap.staffing import selectors
from haicap.staffing.norms import Basis, Reason
from haicap.staffing.plan_api import router as plan_router

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


# Secondment plans: ``plan_api``.
router.add_router("", plan_router)
