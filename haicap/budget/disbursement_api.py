"""``/api/v1/budget/``: disbursement routes. A month's rates (by a dimension, the total and the
projects behind the pace), a project's month entered or replaced, a workbook imported, and the
pace an annual plan expects.

The caller reads the projects their scope lets them (Finance and supervisors the province, an
investor its own): a project out of scope is a 404, one they may not report for a 403.
"""

from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Path, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import BeforeValidator, StrictInt

from haicap.budget import disbursement_import, rates, selectors
from haicap.budget.disbursement_sheet import FIRST_YEAR, LAST_YEAR, MAX_AMOUNT
from haicap.budget.rates import GroupRate, ProjectRate
from haicap.budget.services import disbursement
from haicap.core.admin_uploads import MAX_IMPORT_BYTES
from haicap.core.api import BODY_ERRORS, LocalDateTime, RecordId, errors, problem_response
from haicap.core.errors import InvalidInput, PermissionDenied
from haicap.core.sheet_import import NothingImported

router = Router(tags=["budget"])

Year = Field(..., ge=FIRST_YEAR, le=LAST_YEAR, description="the year of an annual plan")
Month = Field(..., ge=1, le=12)
PlanCode = Path(..., max_length=20, description="the plan's code, e.g. 2025")
Dimension = Literal["project", "investor", "commune", "location", "field", "level"]


class RatesQuery(Schema):
    year: int = Year
    month: int = Month
    by: Dimension = Field(
        "investor",
        description=(
            "project; investor; commune (the investing commune, a provincial investor's "
            "projects under 'province'); location (the commune a project is built in); field; "
            "level (the investor's level after the reform, not the budget level the capital is "
            "held at; '-': no investor)"
        ),
    )


class GroupOut(Schema):
    key: str = Field(description="the group's id, code or value; '-' for none (no investor...)")
    label: str
    projects: int
    plan: int = Field(description="the annual plan in force at the month's end, in đồng")
    disbursed: int = Field(description="disbursed from January to the month's end, in đồng")
    share: Decimal | None = Field(description="disbursed / plan in %, None without a plan")
    expected: Decimal | None = Field(description="the share expected by the month's end")
    behind: bool

    @staticmethod
    def of(group: GroupRate) -> "GroupOut":
        return GroupOut(
            key=group.key,
            label=group.label,
            projects=group.projects,
            plan=group.plan,
            disbursed=group.disbursed,
            share=group.share,
            expected=group.expected,
            behind=group.behind,
        )


class ProjectRateOut(Schema):
    id: int
    code: str
    name: str
    investor: str | None
    plan: int
    disbursed: int
    share: Decimal | None
    expected: Decimal | None

    @staticmethod
    def of(rate: ProjectRate) -> "ProjectRateOut":
        investor = rate.project.investor
        return ProjectRateOut(
            id=rate.project.pk,
            code=rate.project.code,
            name=rate.project.name,
            investor=investor.name if investor is not None else None,
            plan=rate.plan,
            disbursed=rate.disbursed,
            share=rate.share,
            expected=rate.expected,
        )


class RatesOut(Schema):
    year: int
    month: int
    plan: str | None = Field(description="the annual plan's code; None: the year has none")
    expected: Decimal | None
    by: str
    total: GroupOut
    groups: list[GroupOut]
    behind: list[ProjectRateOut] = Field(description="below the pace, furthest behind first")


@router.get(
    "/budget/disbursement",
    response={200: RatesOut, **errors(401, 422)},
    summary="A month's disbursement against the plan in force, grouped, with those behind",
)
def month_rates(request: HttpRequest, query: Query[RatesQuery]) -> RatesOut:
    found = rates.month_rates(request.user, query.year, query.month)
    return RatesOut(
        year=query.year,
        month=query.month,
        plan=found.plan.code if found.plan else None,
        expected=found.expected,
        by=query.by,
        total=GroupOut.of(found.total),
        groups=[GroupOut.of(g) for g in found.by(query.by)],
        behind=[ProjectRateOut.of(r) for r in found.behind],
    )


class MonthIn(Schema):
    # a JSON integer: "1.000", true or 1e3 is refused, not read as 1 or 1000 (``StrictInt``)
    amount: StrictInt = Field(
        ..., ge=0, le=MAX_AMOUNT, description="disbursed IN the month, in đồng"
    )


class MonthOut(Schema):
    project: str
    year: int
    month: int
    amount: int
    entered_by: str
    entered_at: LocalDateTime


@router.put(
    "/budget/projects/{project_id}/disbursement/{year}/{month}",
    response={200: MonthOut, **errors(401, 403, 404, *BODY_ERRORS)},
    summary="Enter (or replace) what a project disbursed in a month: Finance or its investor",
)
def put_month(
    request: HttpRequest,
    project_id: RecordId,
    body: MonthIn,
    year: int = Path(..., ge=FIRST_YEAR, le=LAST_YEAR),
    month: int = Path(..., ge=1, le=12),
) -> MonthOut:
    user = request.user
    project = selectors.get_project(user, project_id)
    row = disbursement.record(user, project, year, month, body.amount)
    return MonthOut(
        project=project.code,
        year=row.year,
        month=row.month,
        amount=row.amount,
        entered_by=row.entered_by.get_username(),
        entered_at=row.entered_at,
    )


class ImportOut(Schema):
    created: int
    replaced: int
    unchanged: int


WORKBOOK = File(..., description="the template workbook filled in")


@router.post(
    "/budget/disbursement/imports",
    response={200: ImportOut, **errors(401, 403, *BODY_ERRORS)},
    summary=(
        "Import months of disbursement from a workbook (multipart 'file', .xlsx or .csv), all "
        "or nothing; importing the same file again changes nothing"
    ),
)
def import_months(request: HttpRequest, file: UploadedFile = WORKBOOK) -> ImportOut | HttpResponse:
    user = request.user
    if not rates.reportable_projects(user):
        raise PermissionDenied(_("You enter the disbursement of no project."))
    if file.size > MAX_IMPORT_BYTES:
        raise InvalidInput(_("The file is larger than 5 MB."))
    try:
        report = disbursement_import.import_file(user, file.name or "", file.read())
    except NothingImported as refused:
        return problem_response(
            request,
            422,
            "nothing_imported",
            _("Nothing was imported"),
            str(refused),
            errors=[{"message": problem} for problem in refused.problems],
        )
    return ImportOut(created=report.created, replaced=report.replaced, unchanged=report.unchanged)


def _a_json_number(value: object) -> object:
    """A share is sent as a JSON number: text ("40") or a boolean is refused, not read."""
    if isinstance(value, str | bool):
        raise ValueError("a share is a JSON number, e.g. 40 or 12.5")
    return value


class PaceMonth(Schema):
    month: StrictInt = Field(..., ge=1, le=12)
    share: Annotated[Decimal, BeforeValidator(_a_json_number)] | None = Field(
        None, ge=0, le=100, max_digits=5, decimal_places=2, description="%; None: not set"
    )


class PaceOut(Schema):
    plan: str
    months: list[PaceMonth] = Field(description="the twelve months, January first")


class PaceIn(Schema):
    months: list[PaceMonth] = Field(
        ..., max_length=12, description="the months set; a month left out is not set"
    )


def _pace(plan) -> PaceOut:
    shares = rates.pace_shares(plan)
    return PaceOut(
        plan=plan.code,
        months=[PaceMonth(month=m, share=shares.get(m)) for m in range(1, 13)],
    )


@router.get(
    "/budget/plans/{code}/pace",
    response={200: PaceOut, **errors(401, 404, 422)},
    summary="The share of an annual plan expected disbursed by the end of each month",
)
def get_pace(request: HttpRequest, code: str = PlanCode) -> PaceOut:
    return _pace(selectors.get_plan(request.user, code))


@router.put(
    "/budget/plans/{code}/pace",
    response={200: PaceOut, **errors(401, 403, 404, *BODY_ERRORS)},
    summary="Set an annual plan's expected pace (Finance); it may not fall from month to month",
)
def put_pace(request: HttpRequest, body: PaceIn, code: str = PlanCode) -> PaceOut:
    plan = selectors.get_plan(request.user, code)
    months = [m.month for m in body.months]
    if len(set(months)) != len(months):
        raise InvalidInput(_("Each month is given once."))
    given = {m.month: m.share for m in body.months}
    disbursement.set_pace_months(request.user, plan, {m: given.get(m) for m in range(1, 13)})
    return _pace(plan)
