"""``/api/v1/calendar/due``: the due moment of a legal time (public: citizens check dates)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from haicap.calendar.selectors import calendar_for
from haicap.calendar.workdays import VIETNAM
from haicap.core.api import LocalDateTime, VietnamDateTime, errors
from haicap.core.errors import InvalidInput, NotFound
from haicap.units.selectors import current_unit

router = Router(tags=["calendar"])


class DueQuery(Schema):
    start: VietnamDateTime = Field(
        description="when the dossier was received; without an offset it is read as Vietnam time"
    )
    amount: Decimal = Field(ge=0, le=3650, description="the legal time")
    unit: Literal["working_days", "working_hours", "calendar_days", "whole_working_days"] = (
        "working_days"
    )
    unit_code: str | None = Field(
        None,
        min_length=1,
        max_length=10,
        description="official code of the receiving unit, for its office hours",
    )
    cutoff: dt.time | None = Field(None, description="the procedure's cut-off time, e.g. 15:00")


class DueOut(Schema):
    start: LocalDateTime
    clock_start: LocalDateTime
    due_at: LocalDateTime
    amount: Decimal
    unit: str
    unit_code: str | None
    provisional_days: list[dt.date] = Field(
        description="provisional days off the period crosses (an estimate for a year not yet "
        "announced, or a policy day not yet confirmed): the due date may still move"
    )


@router.get(
    "/calendar/due",
    auth=None,
    response={200: DueOut, **errors(404, 422)},
    summary="The due moment of a legal time counted in working time",
)
def due(request: HttpRequest, query: Query[DueQuery]) -> DueOut:
    start = query.start if query.start.tzinfo else query.start.replace(tzinfo=VIETNAM)
    unit = None
    if query.unit_code:
        unit = current_unit(query.unit_code)
        if unit is None:
            raise NotFound(
                _("No current administrative unit has the code %(code)s.")
                % {"code": query.unit_code}
            )
    calendar = calendar_for(unit)
    try:
        due_at = calendar.add(start, query.amount, query.unit, cutoff=query.cutoff)
    except (ValueError, OverflowError) as error:
        raise InvalidInput(str(error)) from error
    clock_start = (
        start if query.unit == "calendar_days" else calendar.clock_start(start, query.cutoff)
    )
    return DueOut(
        start=start.astimezone(VIETNAM),
        clock_start=clock_start,
        due_at=due_at,
        amount=query.amount,
        unit=query.unit,
        unit_code=query.unit_code,
        provisional_days=calendar.provisional_days_crossed(start, due_at),
    )
