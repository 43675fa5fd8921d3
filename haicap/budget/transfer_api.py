"""``/api/v1/budget/batches``: the transfer batches that move the abolished districts' capital,
their entries, the check (differences explained project by project) and the approval.

Only the province's readers see a batch (404 for others). Finance's officers draft (once per
``Idempotency-Key``) and correct a draft; a leader approves. An approved batch is frozen: every
change answers 409 ``transfer_approved``. An approval of a batch that does not balance answers
409 ``transfer_not_balanced`` with each difference in ``errors``, project by project."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer
from pydantic import StrictInt

from haicap.budget import selectors, transfer_selectors
from haicap.budget.explain import Explanation
from haicap.budget.models import BatchEntry, TransferBatch
from haicap.budget.services import transfer as services
from haicap.core.api import BODY_ERRORS, Day, RecordId, SingleLine, errors, problem_response
from haicap.core.pagination import DEFAULT_LIMIT, keyset_page
from haicap.dossiers.api.inputs import IdempotencyKey

router = Router(tags=["budget"])

SourceName = Literal["provincial", "district", "commune", "central", "other"]
LevelName = Literal["province", "district", "commune"]


class BatchQuery(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT
    status: Literal["draft", "approved"] | None = None
    plan: SingleLine | None = Field(None, max_length=20, description='a plan\'s code, "2025"')


class BatchOut(Schema):
    id: int
    plan: str = Field(description='the plan\'s code, "2025"')
    title: str
    district_id: int | None = Field(description="the former district; null: every one")
    district: str | None
    status: Literal["draft", "approved"]
    entry_count: int
    moved: int = Field(description="VND moved: the sum of the increases")
    decision_number: str = Field(description="the approving decision; empty for a draft")
    decision_date: dt.date | None
    approved_by: str | None = Field(description="the approving leader's user name")
    approved_at: dt.datetime | None

    @staticmethod
    def fields_of(batch: TransferBatch) -> dict:
        return {
            "id": batch.pk,
            "plan": batch.plan.code,
            "title": batch.title,
            "district_id": batch.district_id,
            "district": batch.district.full_name if batch.district else None,
            "status": batch.status,
            "entry_count": batch.entry_count,
            "moved": batch.moved,
            "decision_number": batch.decision_number,
            "decision_date": batch.decision_date,
            "approved_by": batch.approved_by.get_username() if batch.approved_by else None,
            "approved_at": batch.approved_at,
        }


class BatchPage(Schema):
    items: list[BatchOut]
    next_cursor: str | None


class EntryOut(Schema):
    id: int
    project_code: str
    project: str
    source: SourceName
    level: LevelName
    amount: int = Field(description="VND, signed: a decrease is negative")

    @staticmethod
    def of(entry: BatchEntry) -> "EntryOut":
        return EntryOut(
            id=entry.pk,
            project_code=entry.project.code,
            project=entry.project.name,
            source=entry.source,
            level=entry.level,
            amount=entry.amount,
        )


class DifferenceOut(Schema):
    project_code: str
    problem: Literal[
        "unbalanced",
        "source_changed",
        "district_left",
        "wrong_level",
        "overdrawn",
        "no_investor",
        "not_from_district",
    ]
    text: str = Field(description="the difference as a sentence in the request's language")
    source: SourceName | None
    level: LevelName | None
    decreases: int = Field(description="VND taken from the project (positive)")
    increases: int = Field(description="VND given to it")
    amount: int = Field(description="VND left, received at the wrong level, or overdrawn")


class WaitingOut(Schema):
    project_code: str
    project: str
    district_capital: int = Field(description="VND it holds at the district level")


class CheckOut(Schema):
    approvable: bool
    decreases: int
    increases: int
    province_total_before: int = Field(description="the plan's total, VND, before the batch")
    province_total_after: int
    differences: list[DifferenceOut] = Field(description="project by project")
    waiting_for_investor: list[WaitingOut] = Field(
        description="projects left out: their capital moves once they have an investor"
    )


class BatchDetail(BatchOut):
    entries: list[EntryOut]
    check: CheckOut


class BatchIn(Schema):
    plan: SingleLine = Field(max_length=20, description='the plan\'s code, "2025"')
    district_id: RecordId | None = Field(
        None, description="the former district; left out: every abolished district"
    )
    title: SingleLine = Field(max_length=300)


class EntryIn(Schema):
    project_code: SingleLine = Field(max_length=30)
    source: SourceName
    level: LevelName
    amount: StrictInt = Field(description="VND, signed: a decrease is negative; never zero")


class AmountIn(Schema):
    amount: StrictInt = Field(description="VND, signed: a decrease is negative; never zero")


class ApprovalIn(Schema):
    decision_number: SingleLine = Field(max_length=60)
    decision_date: Day = Field(description="not after today, not before the plan's first year")


def difference_out(explanation: Explanation) -> DifferenceOut:
    d = explanation.difference
    return DifferenceOut(
        project_code=d.project,
        problem=d.problem.value,
        text=explanation.text,
        source=d.source,
        level=d.level,
        decreases=d.decreases,
        increases=d.increases,
        amount=d.amount,
    )


def detail(request: HttpRequest, batch_id: int) -> BatchDetail:
    batch = transfer_selectors.get_batch(request.user, batch_id)
    seen = transfer_selectors.review(batch)
    return BatchDetail(
        **BatchOut.fields_of(batch),
        entries=[EntryOut.of(e) for group in seen.groups for e in group.entries],
        check=CheckOut(
            approvable=seen.approvable,
            decreases=seen.decreases,
            increases=seen.increases,
            province_total_before=seen.province_before,
            province_total_after=seen.province_after,
            differences=[difference_out(e) for e in seen.explanations],
            waiting_for_investor=[
                WaitingOut(project_code=p.code, project=p.name, district_capital=amount)
                for p, amount in seen.waiting
            ],
        ),
    )


@router.get(
    "/budget/batches",
    response={200: BatchPage, **errors(401, 422)},
    summary="Transfer batches of the abolished districts' capital, newest first",
)
def list_batches(request: HttpRequest, query: Query[BatchQuery]) -> BatchPage:
    batches = transfer_selectors.visible_batches(request.user)
    if query.status:
        batches = batches.filter(status=query.status)
    if query.plan:
        batches = batches.filter(plan__code=query.plan)
    found = keyset_page(batches, ("-id",), query.cursor, query.limit)
    return BatchPage(
        items=[BatchOut(**BatchOut.fields_of(b)) for b in found.items],
        next_cursor=found.next_cursor,
    )


@router.post(
    "/budget/batches",
    response={201: BatchDetail, **errors(401, 403, 404, *BODY_ERRORS)},
    summary="Draft a transfer of a former district's capital (Finance; once per Idempotency-Key)",
)
def draft_batch(
    request: HttpRequest, body: BatchIn, idempotency_key: str | None = IdempotencyKey
) -> Answer:
    user = request.user
    plan = selectors.get_plan(user, body.plan)
    district = (
        transfer_selectors.get_former_district(user, body.district_id) if body.district_id else None
    )
    batch = services.draft_batch(
        user, plan, district, title=body.title, idempotency_key=idempotency_key or ""
    )
    return Answer(201, detail(request, batch.pk))


@router.get(
    "/budget/batches/{batch_id}",
    response={200: BatchDetail, **errors(401, 404, 422)},
    summary="One batch: its entries, the check and each difference explained",
)
def get_batch(request: HttpRequest, batch_id: RecordId) -> BatchDetail:
    return detail(request, batch_id)


@router.patch(
    "/budget/batches/{batch_id}/entries/{entry_id}",
    response={200: BatchDetail, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Change a draft entry's amount (Finance)",
)
def change_entry(
    request: HttpRequest, batch_id: RecordId, entry_id: RecordId, body: AmountIn
) -> BatchDetail:
    batch = transfer_selectors.get_batch(request.user, batch_id)
    entry = transfer_selectors.get_entry(request.user, batch, entry_id)
    services.set_entry_amount(request.user, entry, body.amount)
    return detail(request, batch_id)


@router.post(
    "/budget/batches/{batch_id}/entries",
    response={201: BatchDetail, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Add an entry to a draft (Finance): a project of its former district",
)
def add_entry(request: HttpRequest, batch_id: RecordId, body: EntryIn) -> Answer:
    batch = transfer_selectors.get_batch(request.user, batch_id)
    project = transfer_selectors.get_batch_project(request.user, batch, body.project_code)
    services.add_entry(request.user, batch, project, body.source, body.level, body.amount)
    return Answer(201, detail(request, batch_id))


@router.delete(
    "/budget/batches/{batch_id}/entries/{entry_id}",
    response={204: None, **errors(401, 403, 404, 409, 422)},
    summary="Take an entry out of a draft (Finance)",
)
def remove_entry(request: HttpRequest, batch_id: RecordId, entry_id: RecordId) -> Answer:
    batch = transfer_selectors.get_batch(request.user, batch_id)
    entry = transfer_selectors.get_entry(request.user, batch, entry_id)
    services.remove_entry(request.user, entry)
    return Answer(204, None)


@router.post(
    "/budget/batches/{batch_id}/approval",
    response={200: BatchDetail, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Approve the batch with its decision (a Finance leader): writes it to the ledger",
)
def approve(
    request: HttpRequest, batch_id: RecordId, body: ApprovalIn
) -> BatchDetail | HttpResponse:
    """409 ``transfer_not_balanced`` unless every project balances, each difference in
    ``errors``; 409 ``transfer_approved`` once approved."""
    batch = transfer_selectors.get_batch(request.user, batch_id)
    try:
        services.approve(
            request.user,
            batch,
            decision_number=body.decision_number,
            decision_date=body.decision_date,
        )
    except services.TransferRefused as refused:
        listed = [difference_out(e).model_dump() for e in refused.explanations]
        return problem_response(
            request, refused.status, refused.code, str(refused.title), refused.detail, listed
        )
    return detail(request, batch_id)
