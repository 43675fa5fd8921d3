"""``/api/v1/budget/``: the plans, the projects (filtered, in keyset pages), a project with its
balances and ledger, an adjustment, the reversal of an entry, and the plan workbook's import.

The caller sees what their scope lets them (``selectors.visible_projects``); a project or an
entry out of scope is a 404. The POSTs that create take an ``Idempotency-Key``: a retry with it
answers what the first request did, and writes nothing twice."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import StrictInt

from haicap.budget import project_selectors, selectors
from haicap.budget.models import InvestmentField, LedgerEntry, Level, Plan, Project, Source
from haicap.budget.money import MAX_VND
from haicap.budget.plan_import import PlanNotImported, import_file
from haicap.budget.services import ledger
from haicap.budget.services.imports import ImportReport
from haicap.core.admin_uploads import MAX_IMPORT_BYTES
from haicap.core.api import BODY_ERRORS, Day, RecordId, SingleLine, errors, problem_response
from haicap.core.errors import BodyTooLarge, InvalidInput
from haicap.core.pagination import DEFAULT_LIMIT, keyset_page
from haicap.dossiers.api.inputs import IdempotencyKey, agency_by_code

router = Router(tags=["budget"])

Money = int  # whole đồng
WORKBOOK = File(..., description="the workbook (.xlsx) or one of its sheets (.csv)")


class PlanOut(Schema):
    code: str = Field(description="2021-2025, 2025, 2026…")
    name: str
    kind: Plan.Kind
    first_year: int
    last_year: int

    @staticmethod
    def of(plan: Plan) -> "PlanOut":
        return PlanOut(
            code=plan.code,
            name=plan.name,
            kind=plan.kind,
            first_year=plan.first_year,
            last_year=plan.last_year,
        )


class ProjectFilters(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT
    q: SingleLine = Field("", max_length=100, description="words of the code or name")
    field: InvestmentField | None = None
    investor: SingleLine | None = Field(None, max_length=40, description="an agency code")
    location_id: RecordId | None = Field(None, description="the unit id of the commune")
    former_district_id: RecordId | None = Field(None, description="the unit id of the district")
    plan: SingleLine | None = Field(
        None, max_length=20, description="a plan's code: only its projects, with its amounts"
    )


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    field: InvestmentField
    location_id: int | None = Field(description="the unit id of the commune it is built in")
    investor: str | None = Field(description="the investor's agency code, after the reform")
    investor_level: Level | None = Field(description="the budget level its capital belongs to")
    former_investor: str
    former_district_id: int | None
    total_investment: Money = Field(description="in đồng")
    in_plan: dict[Level, Money] | None = Field(
        None, description="with a plan asked for: what it holds in it by level, in đồng"
    )

    @staticmethod
    def fields_of(project: Project) -> dict:
        return {
            "id": project.pk,
            "code": project.code,
            "name": project.name,
            "field": project.field,
            "location_id": project.location_id,
            "investor": project.investor.code if project.investor else None,
            "investor_level": selectors.destination_level(project),
            "former_investor": project.former_investor,
            "former_district_id": project.former_district_id,
            "total_investment": project.total_investment,
        }


class ProjectPage(Schema):
    items: list[ProjectOut]
    next_cursor: str | None


class EntryOut(Schema):
    id: int
    plan: str = Field(description="the plan's code")
    source: Source
    level: Level
    amount: Money = Field(description="signed, in đồng")
    kind: LedgerEntry.Kind
    decision_number: str
    decision_date: dt.date
    reason: str
    reverses: int | None = Field(description="the id of the entry a reversal cancels")
    reversed_by: int | None = Field(description="the id of the reversal that cancels it")
    recorded_by: str = Field(description="the user name of who recorded it")
    recorded_at: dt.datetime

    @staticmethod
    def of(entry: LedgerEntry) -> "EntryOut":
        reversal = getattr(entry, "reversal", None)
        return EntryOut(
            id=entry.pk,
            plan=entry.plan.code,
            source=entry.source,
            level=entry.level,
            amount=entry.amount,
            kind=entry.kind,
            decision_number=entry.decision_number,
            decision_date=entry.decision_date,
            reason=entry.reason,
            reverses=entry.reverses_id,
            reversed_by=reversal.pk if reversal is not None else None,
            recorded_by=entry.recorded_by.get_username(),
            recorded_at=entry.recorded_at,
        )


class BalanceOut(Schema):
    source: Source
    level: Level
    amount: Money = Field(description="in force, in đồng")


class PlanBalances(Schema):
    plan: str = Field(description="the plan's code")
    total: Money
    balances: list[BalanceOut]


class ProjectDetail(ProjectOut):
    fundings: dict[Source, Money] = Field(description="the structure of sources, in đồng")
    plans: list[PlanBalances] = Field(description="what it holds in each plan it has entries in")
    entries: list[EntryOut] = Field(description="its ledger, oldest first")


class AdjustmentIn(Schema):
    plan: SingleLine = Field(max_length=20, description="the plan's code")
    source: Source
    level: Level
    # a JSON integer: "1.000", true or 1e3 is refused, not read as 1 or 1000 (``StrictInt``)
    amount: StrictInt = Field(
        ge=-MAX_VND, le=MAX_VND, description="signed đồng, not 0: a decrease is negative"
    )
    decision_number: SingleLine = Field(min_length=1, max_length=60)
    decision_date: Day
    reason: SingleLine = Field(min_length=1, max_length=300)


class ReversalIn(Schema):
    decision_number: SingleLine = Field(min_length=1, max_length=60)
    decision_date: Day
    reason: SingleLine = Field(min_length=1, max_length=300)


class RowOut(Schema):
    sheet: str
    row: int = Field(description="as the spreadsheet numbers it (the header is row 1)")
    subject: str = Field(description="the project's code, or the allocation")
    outcome: str = Field(description="created, updated or unchanged")


class ImportOut(Schema):
    rows: list[RowOut]

    @staticmethod
    def of(report: ImportReport) -> "ImportOut":
        return ImportOut(
            rows=[
                RowOut(sheet=r.sheet, row=r.row, subject=r.subject, outcome=r.outcome)
                for r in report.rows
            ]
        )


def _detail(user, project: Project) -> ProjectDetail:
    plans = [
        PlanBalances(
            plan=table.plan.code,
            total=table.total,
            balances=[
                BalanceOut(source=row.source, level=level, amount=amount)
                for row in table.rows
                for level, amount in row.by_level.items()
            ],
        )
        for table in project_selectors.plan_tables(project)
    ]
    return ProjectDetail(
        **ProjectOut.fields_of(project),
        fundings={f.source: f.amount for f in project.fundings.all()},
        plans=plans,
        entries=[EntryOut.of(e) for e in project_selectors.project_entries(project)],
    )


@router.get(
    "/budget/plans",
    operation_id="haicap_budget_api_list_plans",
    response={200: list[PlanOut], **errors(401)},
    summary="The capital plans (the medium-term plan and the annual plans)",
)
def list_plans(request: HttpRequest) -> list[PlanOut]:
    return [PlanOut.of(plan) for plan in selectors.visible_plans(request.user)]


@router.get(
    "/budget/projects",
    operation_id="haicap_budget_api_list_projects",
    response={200: ProjectPage, **errors(401, 404, 422)},
    summary="Projects the caller may see (Finance and supervisors all, an investor its own)",
)
def list_projects(request: HttpRequest, filters: Query[ProjectFilters]) -> ProjectPage:
    user = request.user
    investor = agency_by_code(user, filters.investor) if filters.investor else None
    plan = selectors.get_plan(user, filters.plan) if filters.plan else None
    projects = project_selectors.filter_projects(
        user,
        query=filters.q,
        field=filters.field or "",
        investor_id=investor.pk if investor else None,
        location_id=filters.location_id,
        former_district_id=filters.former_district_id,
        plan=plan,
    )
    found = keyset_page(projects, ("code",), filters.cursor, filters.limit)
    amounts = project_selectors.amounts_by_level(plan, found.items) if plan is not None else {}
    items = [
        ProjectOut(**ProjectOut.fields_of(p), in_plan=amounts.get(p.pk, {}) if plan else None)
        for p in found.items
    ]
    return ProjectPage(items=items, next_cursor=found.next_cursor)


@router.get(
    "/budget/projects/{project_id}",
    operation_id="haicap_budget_api_get_project",
    response={200: ProjectDetail, **errors(401, 404, 422)},
    summary="A project with its structure of sources, its balances plan by plan and its ledger",
)
def get_project(request: HttpRequest, project_id: RecordId) -> ProjectDetail:
    return _detail(request.user, selectors.get_project(request.user, project_id))


@router.post(
    "/budget/projects/{project_id}/entries",
    operation_id="haicap_budget_api_adjust_plan",
    response={201: EntryOut, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Adjust a project's plan (Finance), once per Idempotency-Key",
)
def adjust_plan(
    request: HttpRequest,
    project_id: RecordId,
    body: AdjustmentIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Status:
    user = request.user
    project = selectors.get_project(user, project_id)
    plan = selectors.get_plan(user, body.plan)
    entry = ledger.adjust(
        user,
        plan,
        project,
        body.source,
        body.level,
        body.amount,
        body.decision_number,
        body.decision_date,
        body.reason,
        idempotency_key=idempotency_key or "",
    )
    return Status(201, EntryOut.of(project_selectors.get_entry(user, entry.pk)))


@router.post(
    "/budget/entries/{entry_id}/reversal",
    operation_id="haicap_budget_api_reverse_entry",
    response={201: EntryOut, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Reverse an allocation or an adjustment (Finance's leaders), once per Idempotency-Key",
)
def reverse_entry(
    request: HttpRequest,
    entry_id: RecordId,
    body: ReversalIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Status:
    user = request.user
    entry = project_selectors.get_entry(user, entry_id)
    reversal = ledger.reverse(
        user,
        entry,
        body.decision_number,
        body.decision_date,
        body.reason,
        idempotency_key=idempotency_key or "",
    )
    return Status(201, EntryOut.of(project_selectors.get_entry(user, reversal.pk)))


@router.post(
    "/budget/imports",
    operation_id="haicap_budget_api_import_plan",
    response={201: ImportOut, **errors(401, 403, 409, *BODY_ERRORS)},
    summary="Import the plan workbook (Finance), all or nothing, once per Idempotency-Key",
    description=(
        "The template workbook of the desk's import page (.xlsx), or one of its sheets as "
        ".csv. A refusal is a 422 whose `errors` name each problem's sheet, row and column; "
        "nothing is written then."
    ),
)
def import_plan(
    request: HttpRequest,
    file: UploadedFile = WORKBOOK,
    idempotency_key: str | None = IdempotencyKey,
) -> Status | HttpResponse:
    if file.size > MAX_IMPORT_BYTES:
        raise BodyTooLarge(_("The file is larger than 5 MB."))
    try:
        report = import_file(
            request.user, file.name or "", file.read(), idempotency_key=idempotency_key or ""
        )
    except PlanNotImported as refused:
        found = [
            {"sheet": p.sheet, "row": p.row, "column": p.column, "detail": detail}
            for p, detail in zip(refused.found, refused.problems, strict=False)
        ] or [{"detail": detail} for detail in refused.problems]
        return problem_response(
            request,
            422,
            "import_refused",
            InvalidInput.title,
            str(refused),
            errors=found,
        )
    return Status(201, ImportOut.of(report))
