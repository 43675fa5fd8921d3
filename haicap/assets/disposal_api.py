"""``/api/v1/assets/disposal-plans``: surplus offices' disposal plans, followed as directives are
(status by deadline), their progress (append-only, once per ``Idempotency-Key``) and closing."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from haicap.assets import selectors
from haicap.assets.models import DisposalPlan, DisposalUpdate
from haicap.assets.services import disposal as services
from haicap.core.api import BODY_ERRORS, Day, MultiLine, RecordId, SingleLine, errors
from haicap.core.pagination import DEFAULT_LIMIT, keyset_page
from haicap.core.task_status import Outcome, Status
from haicap.dossiers.api.inputs import IdempotencyKey

router = Router(tags=["assets"])

# What a surplus office may become (``services.disposal.OFFICE_METHODS``).
OfficeMethod = Literal["reuse", "transfer", "sale", "demolition"]


class PlanQuery(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT
    status: Status | None = Field(None, description="the plans of this status today")
    commune_id: RecordId | None = Field(
        None, description="the plans of offices held there or of its agencies' charge"
    )


class PlanOut(Schema):
    id: int
    office_id: int
    office_identifier: str
    office: str
    address: str
    area_m2: Decimal | None
    former_unit: str | None = Field(description="the abolished unit the office came from")
    holder_code: str | None
    method: str = Field(description="reuse, transfer, sale or demolition")
    deadline: dt.date
    responsible_code: str
    responsible: str
    decision: str
    status: Status = Field(description="today, by the directives' rule")
    closed_on: dt.date | None
    outcome: Outcome | None
    last_progress: str | None
    last_progress_on: dt.date | None

    @staticmethod
    def fields_of(plan: DisposalPlan) -> dict:
        office = plan.office
        return {
            "id": plan.pk,
            "office_id": office.pk,
            "office_identifier": office.identifier,
            "office": office.name,
            "address": office.address,
            "area_m2": office.area_m2,
            "former_unit": office.origin.full_name if office.origin else None,
            "holder_code": office.holder.code if office.holder else None,
            "method": plan.method,
            "deadline": plan.deadline,
            "responsible_code": plan.responsible.code,
            "responsible": plan.responsible.name,
            "decision": plan.decision,
            "status": selectors.plan_status(plan, selectors.today()),
            "closed_on": plan.closed_on,
            "outcome": plan.outcome or None,
            "last_progress": getattr(plan, "last_progress", None),
            "last_progress_on": getattr(plan, "last_progress_on", None),
        }


class PlanPage(Schema):
    items: list[PlanOut]
    next_cursor: str | None


class UpdateOut(Schema):
    id: int
    text: str
    on: dt.date
    by: str | None = Field(description="the reporting officer's user name")

    @staticmethod
    def of(update: DisposalUpdate) -> "UpdateOut":
        return UpdateOut(
            id=update.pk,
            text=update.text,
            on=update.on,
            by=update.by.get_username() if update.by else None,
        )


class PlanDetail(PlanOut):
    updates: list[UpdateOut] = Field(description="the progress reported, newest first")


class PlanIn(Schema):
    office_id: RecordId = Field(description="a surplus office (land and buildings)")
    method: OfficeMethod
    deadline: Day
    responsible_code: SingleLine = Field(max_length=40)
    decision: SingleLine = Field("", max_length=120)


class UpdateIn(Schema):
    text: MultiLine = Field(max_length=4000)
    on: Day | None = Field(None, description="as of this day (today when left out)")


class CloseIn(Schema):
    outcome: Outcome
    on: Day | None = Field(None, description="the closing day (today when left out)")


def detail(request: HttpRequest, plan_id: int) -> PlanDetail:
    plan = selectors.get_disposal_plan(request.user, plan_id)
    return PlanDetail(
        **PlanOut.fields_of(plan),
        updates=[UpdateOut.of(u) for u in selectors.plan_updates(plan)],
    )


@router.get(
    "/assets/disposal-plans",
    response={200: PlanPage, **errors(401, 422)},
    summary="Surplus offices' disposal plans, by deadline, with their status and last progress",
)
def list_plans(request: HttpRequest, query: Query[PlanQuery]) -> PlanPage:
    plans = selectors.visible_disposal_plans(
        request.user, status=query.status, commune_id=query.commune_id
    )
    found = keyset_page(plans, ("deadline", "id"), query.cursor, query.limit)
    return PlanPage(
        items=[PlanOut(**PlanOut.fields_of(p)) for p in found.items],
        next_cursor=found.next_cursor,
    )


@router.post(
    "/assets/disposal-plans",
    response={201: PlanDetail, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Set a surplus office's disposal plan (Finance; once per Idempotency-Key)",
)
def create_plan(
    request: HttpRequest, body: PlanIn, idempotency_key: str | None = IdempotencyKey
) -> Answer:
    user = request.user
    office = selectors.get_asset(user, body.office_id)
    plan = services.create_plan(
        user,
        office,
        method=body.method,
        deadline=body.deadline,
        responsible=selectors.get_receiving_agency(user, body.responsible_code),
        decision=body.decision,
        idempotency_key=idempotency_key or "",
    )
    return Answer(201, detail(request, plan.pk))


@router.get(
    "/assets/disposal-plans/{plan_id}",
    response={200: PlanDetail, **errors(401, 404, 422)},
    summary="One plan with its progress",
)
def get_plan(request: HttpRequest, plan_id: RecordId) -> PlanDetail:
    return detail(request, plan_id)


@router.post(
    "/assets/disposal-plans/{plan_id}/updates",
    response={201: UpdateOut, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Report progress (the responsible agency or Finance; once per Idempotency-Key)",
)
def post_update(
    request: HttpRequest,
    plan_id: RecordId,
    body: UpdateIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Answer:
    plan = selectors.get_disposal_plan(request.user, plan_id)
    update = services.post_progress(
        request.user, plan, text=body.text, on=body.on, idempotency_key=idempotency_key or ""
    )
    return Answer(201, UpdateOut.of(update))


@router.post(
    "/assets/disposal-plans/{plan_id}/close",
    response={200: PlanDetail, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Close the plan with its outcome (Finance)",
)
def close_plan(request: HttpRequest, plan_id: RecordId, body: CloseIn) -> PlanDetail:
    plan = selectors.get_disposal_plan(request.user, plan_id)
    services.close_plan(request.user, plan, outcome=body.outcome, on=body.on)
    return detail(request, plan_id)
