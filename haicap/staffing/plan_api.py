"""``/api/v1/staffing/plans``: secondment plans read, asked for (the solver proposes; once per
``Idempotency-Key``), edited while drafts, submitted to the leaders, approved, revised and
discarded. Plans are the staffing authority's (and the supervisors' to read): to anyone else
there are none."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status as Answer

from haicap.core.api import BODY_ERRORS, RecordId, errors
from haicap.core.errors import NotFound
from haicap.core.pagination import keyset_page
from haicap.core.restricted import Viewer
from haicap.dossiers.api.inputs import IdempotencyKey
from haicap.staffing import planning, selectors
from haicap.staffing.models import SecondmentPlan, StaffField
from haicap.staffing.plan_schemas import (
    AdditionIn,
    PlanDetail,
    PlanIn,
    PlanPage,
    PlanQuery,
    PlanSummary,
    SecondmentOut,
    SecondmentPatch,
    UncoveredOut,
    VersionOut,
)
from haicap.staffing.services import plans as services
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit

router = Router(tags=["staffing"])


def detail(user: Viewer, plan: SecondmentPlan) -> PlanDetail:
    rows = planning.plan_rows(selectors.plan_secondments(user, plan))
    return PlanDetail(
        **PlanSummary.fields_of(plan),
        secondments=[SecondmentOut.of(row) for row in rows],
        uncovered=[
            UncoveredOut(
                unit_id=unit.pk, unit_name=unit.full_name, field=field.code, officers_lacking=n
            )
            for unit, field, n in planning.uncovered_rows(plan)
        ],
        versions=[
            VersionOut(id=v.pk, version=v.version, status=v.status)
            for v in selectors.plan_versions(user, plan)
        ],
    )


def _fresh(user: Viewer, plan_id: int) -> PlanDetail:
    return detail(user, selectors.get_plan(user, plan_id))


@router.get(
    "/staffing/plans",
    response={200: PlanPage, **errors(401, 422)},
    summary="Secondment plans and their versions, the latest first",
)
def list_plans(request: HttpRequest, query: Query[PlanQuery]) -> PlanPage:
    plans = selectors.visible_plans(request.user)
    if query.status:
        plans = plans.filter(status=query.status)
    found = keyset_page(plans, ("-created_at", "-id"), query.cursor, query.limit)
    return PlanPage(
        items=[PlanSummary(**PlanSummary.fields_of(p)) for p in found.items],
        next_cursor=found.next_cursor,
    )


@router.get(
    "/staffing/plans/{plan_id}",
    response={200: PlanDetail, **errors(401, 404, 422)},
    summary="One plan: each proposal with its reason and figures, the gaps left, its versions",
)
def get_plan(request: HttpRequest, plan_id: RecordId) -> PlanDetail:
    return _fresh(request.user, plan_id)


@router.post(
    "/staffing/plans",
    response={201: PlanDetail, **errors(401, 403, *BODY_ERRORS)},
    summary="Ask for a plan: the solver proposes secondments under these rules, as a draft",
)
def request_plan(
    request: HttpRequest, body: PlanIn, idempotency_key: str | None = IdempotencyKey
) -> Answer:
    plan = services.request_plan(
        request.user,
        body.title,
        body.starts_on,
        body.months,
        body.max_travel_minutes,
        body.max_per_agency,
        idempotency_key=idempotency_key or "",
    )
    return Answer(201, _fresh(request.user, plan.pk))


@router.post(
    "/staffing/plans/{plan_id}/submit",
    response={200: PlanDetail, **errors(401, 403, 404, 409, 422)},
    summary="Submit a draft to the staffing authority's leaders, who are each sent a notice",
)
def submit_plan(request: HttpRequest, plan_id: RecordId) -> PlanDetail:
    plan, _told = services.submit(request.user, selectors.get_plan(request.user, plan_id))
    return _fresh(request.user, plan.pk)


@router.post(
    "/staffing/plans/{plan_id}/approve",
    response={200: PlanDetail, **errors(401, 403, 404, 409, 422)},
    summary="Approve a draft (the staffing authority's leaders): it becomes a record",
)
def approve_plan(request: HttpRequest, plan_id: RecordId) -> PlanDetail:
    plan = services.approve(request.user, selectors.get_plan(request.user, plan_id))
    return _fresh(request.user, plan.pk)


@router.post(
    "/staffing/plans/{plan_id}/revise",
    response={201: PlanDetail, **errors(401, 403, 404, 409, 422)},
    summary="A new draft version of an approved plan, its secondments copied",
)
def revise_plan(
    request: HttpRequest, plan_id: RecordId, idempotency_key: str | None = IdempotencyKey
) -> Answer:
    revision = services.revise(
        request.user,
        selectors.get_plan(request.user, plan_id),
        idempotency_key=idempotency_key or "",
    )
    return Answer(201, _fresh(request.user, revision.pk))


@router.post(
    "/staffing/plans/{plan_id}/discard",
    response={200: PlanDetail, **errors(401, 403, 404, 409, 422)},
    summary="Set a draft aside: it stays in the history, never approved",
)
def discard_plan(request: HttpRequest, plan_id: RecordId) -> PlanDetail:
    plan = services.discard(request.user, selectors.get_plan(request.user, plan_id))
    return _fresh(request.user, plan.pk)


@router.post(
    "/staffing/plans/{plan_id}/secondments",
    response={201: PlanDetail, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Add a secondment to a draft by hand; a refusal (422, code plan_constraint) says "
    "which constraint it breaks",
)
def add_secondment(request: HttpRequest, plan_id: RecordId, body: AdditionIn) -> Answer:
    user = request.user
    plan = selectors.get_plan(user, plan_id)
    commune = (
        AdministrativeUnit.objects.restrict(user)
        .filter(pk=body.unit_id, tier=Tier.COMMUNE, valid_to=None)
        .first()
    )
    field = StaffField.objects.restrict(user).filter(code=body.field).first()
    if commune is None or field is None:
        raise NotFound()
    services.add_secondment(
        user,
        plan,
        services.Addition(
            officer=selectors.get_officer(user, body.officer_id),
            commune=commune,
            field=field,
            start_date=body.start_date,
            end_date=body.end_date,
            decision_number=body.decision_number,
        ),
    )
    return Answer(201, _fresh(user, plan.pk))


@router.patch(
    "/staffing/plans/{plan_id}/secondments/{secondment_id}",
    response={200: PlanDetail, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Change a draft's secondment: its dates, its decision number",
)
def change_secondment(
    request: HttpRequest, plan_id: RecordId, secondment_id: RecordId, body: SecondmentPatch
) -> PlanDetail:
    plan = selectors.get_plan(request.user, plan_id)
    services.update_secondment(
        request.user,
        plan,
        secondment_id,
        services.SecondmentChange(
            start_date=body.start_date,
            end_date=body.end_date,
            decision_number=body.decision_number,
        ),
    )
    return _fresh(request.user, plan.pk)


@router.delete(
    "/staffing/plans/{plan_id}/secondments/{secondment_id}",
    response={200: PlanDetail, **errors(401, 403, 404, 409, 422)},
    summary="Take a proposal out of a draft",
)
def remove_secondment(
    request: HttpRequest, plan_id: RecordId, secondment_id: RecordId
) -> PlanDetail:
    plan = selectors.get_plan(request.user, plan_id)
    services.remove_secondment(request.user, plan, secondment_id)
    return _fresh(request.user, plan.pk)
