"""``/api/v1/reports``: the communes' periodic reports. Templates as data; a commune's report
opened with its cells pre-filled from haicap, written cell by cell, submitted by its leader
(once per ``Idempotency-Key``); the province's decision; who has filed, for the province."""

from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router
from ninja.responses import Status

from haicap.core.api import BODY_ERRORS, RecordId, errors
from haicap.core.errors import InvalidInput
from haicap.core.pagination import keyset_page
from haicap.core.replica import reads_from_replica
from haicap.dossiers.api.inputs import IdempotencyKey
from haicap.reports import api_inputs as inputs
from haicap.reports import api_outputs as out
from haicap.reports import api_problems as problems
from haicap.reports import api_template_outputs as templates_out
from haicap.reports import selectors
from haicap.reports.services import filing, review

router = Router(tags=["reports"])

Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Number = Annotated[int, Field(ge=1, le=2**15 - 1)]

ACTION_ERRORS = errors(401, 403, 404, 409, 422)
BODY_ACTION_ERRORS = errors(401, 403, 404, 409, *BODY_ERRORS)


def _detail(request: HttpRequest, report_id: int) -> out.ReportDetail:
    report = selectors.report_in_full(request.user, report_id)
    return out.detail(request.user, report, selectors.today())


# --- templates ---------------------------------------------------------------------------


@router.get(
    "/reports/templates",
    response={200: list[templates_out.ReportTemplateSummary], **errors(401, 422)},
    summary="Report templates: each one's newest version, or with all=true every version",
)
def list_templates(
    request: HttpRequest, query: Query[inputs.ReportTemplateQuery]
) -> list[templates_out.ReportTemplateSummary]:
    if query.all:
        found = selectors.template_versions(request.user)
    else:
        found = selectors.latest_templates(request.user)
    return [templates_out.template_summary(t) for t in found.prefetch_related("filers")]


@router.get(
    "/reports/templates/{code}/{version}",
    response={200: templates_out.ReportTemplateDetail, **errors(401, 404, 422)},
    summary="One version of a template as data: its sections, cells, sources and rules",
)
def get_template(
    request: HttpRequest, code: inputs.TemplateCode, version: Version
) -> templates_out.ReportTemplateDetail:
    return templates_out.template_detail(selectors.template_version(request.user, code, version))


# --- who has filed -----------------------------------------------------------------------


@router.get(
    "/reports/standings",
    response={200: out.ReportStandingsOut, **errors(401, 403, 404, 422)},
    summary="Who has filed a period's report, who is late, who has not: with the rates",
    description=(
        "For the province's reviewers and supervisors. Every commune expected to file the "
        "template's report for the period, with where it stands, and the reporting rates "
        "(as DHIS2's): completeness is the share of expected reports submitted, timeliness the "
        "share submitted by the late-after day; a period not ended expects nothing yet. 404 "
        "when no version of the template is in force for the period, or no period starts on "
        "that day."
    ),
)
@reads_from_replica
def standings(
    request: HttpRequest, query: Query[inputs.ReportStandingsQuery]
) -> out.ReportStandingsOut:
    template, period, found = selectors.province_standings(
        request.user, query.template, query.period_start
    )
    return out.standings(template, period, found)


# --- reports -----------------------------------------------------------------------------


@router.get(
    "/reports",
    response={200: out.ReportPage, **errors(401, 422)},
    summary="Reports the caller may see, the latest period first",
)
def list_reports(request: HttpRequest, filters: Query[inputs.ReportFilters]) -> out.ReportPage:
    reports = selectors.report_list(
        request.user,
        template=filters.template,
        period_start=filters.period_start,
        commune=filters.commune,
        state=filters.state,
    )
    page = keyset_page(reports, ("-period_start", "-id"), filters.cursor, filters.limit)
    today = selectors.today()
    return out.ReportPage(
        items=[out.summary(r, today) for r in page.items], next_cursor=page.next_cursor
    )


@router.post(
    "/reports",
    response={201: out.ReportDetail, 200: out.ReportDetail, **BODY_ACTION_ERRORS},
    summary="Open a commune's report for a period, its cells pre-filled from haicap",
    description=(
        "201 with the report, its pre-filled cells showing where each figure came from. A "
        "report is opened once: opening it again (a retry included) answers 200 with it as it "
        "stands, so no Idempotency-Key is needed. 404 when no version of the template is in "
        "force for the period, no period starts on that day, or the commune does not file it."
    ),
)
def open_report(request: HttpRequest, body: inputs.ReportOpenIn) -> Status:
    user = request.user
    unit = inputs.commune(body.commune)
    was_open = (
        selectors.report_list(user, template=body.template, period_start=body.period_start)
        .filter(unit=unit, opened_at__isnull=False)
        .exists()
    )
    report = filing.open_report(user, body.template, unit.pk, body.period_start)
    return Status(200 if was_open else 201, _detail(request, report.pk))


@router.get(
    "/reports/{report_id}",
    response={200: out.ReportDetail, **errors(401, 404, 422)},
    summary="One report: its cells, where each pre-filled figure came from, its history",
)
def get_report(request: HttpRequest, report_id: RecordId) -> out.ReportDetail:
    return _detail(request, report_id)


@router.patch(
    "/reports/{report_id}",
    response={200: out.ReportDetail, **BODY_ACTION_ERRORS},
    summary="Write cells: values and override reasons by cell key (others keep theirs)",
    description=(
        "A value that differs from the figure haicap read is an override: give its reason "
        "(before submitting). When any value cannot be read the answer is 422 "
        "`cells_unreadable` whose `errors` name each cell (`cell`, `type`, `msg`), and nothing "
        "is saved. A submitted report is not written (409) until the province returns it. "
        "With `version` (the report's, as read), a report changed since is not written (409), "
        "so nobody overwrites another's save."
    ),
)
def save_report(
    request: HttpRequest, report_id: RecordId, body: inputs.ReportSaveIn
) -> out.ReportDetail | HttpResponse:
    report = selectors.get_report(request.user, report_id)
    given, reasons, refused = inputs.given_values(report.template.parsed, body)
    if refused:
        return problems.unreadable(request, refused)
    try:
        filing.save(request.user, report, given, reasons, expected_version=body.version)
    except InvalidInput as error:
        if "errors" not in error.extra:
            raise
        return problems.unreadable(request, error.extra["errors"])
    return _detail(request, report_id)


@router.post(
    "/reports/{report_id}/refresh",
    response={200: out.ReportDetail, **ACTION_ERRORS},
    summary="Read the pre-filled cells' sources again",
    description=(
        "A cell not overridden takes the new figure; an overridden one keeps its value and "
        "reason and shows its difference from the new figure."
    ),
)
def refresh_report(request: HttpRequest, report_id: RecordId) -> out.ReportDetail:
    filing.refresh(request.user, selectors.get_report(request.user, report_id))
    return _detail(request, report_id)


@router.post(
    "/reports/{report_id}/submit",
    response={201: out.ReportDetail, **BODY_ACTION_ERRORS},
    summary="The commune's leader submits the report as it stands (once per Idempotency-Key)",
    description=(
        "201 with the report and its new submission, which never changes. When something stops "
        "it the answer is 422 `report_incomplete` whose `errors` list each issue: `type` "
        "(required, reason, choice or rule), `cell` or `rule` with the `cells` it ties, and "
        "`msg`. A report is submitted once its period has ended (`deadlines.submit_from`): "
        "before, the answer is 422 `invalid_input`. With `version` (the report's, as read), a "
        "report changed since is not submitted (409). With an `Idempotency-Key`, a retry "
        "answers as the first attempt did and submits nothing more; the key sent to submit "
        "another report is 422 `idempotency_key_reused`."
    ),
)
def submit_report(
    request: HttpRequest,
    report_id: RecordId,
    body: inputs.ReportSubmitIn | None = None,
    idempotency_key: str | None = IdempotencyKey,
) -> Status | HttpResponse:
    report = selectors.get_report(request.user, report_id)
    try:
        filing.submit(
            request.user,
            report,
            expected_version=body.version if body else None,
            idempotency_key=idempotency_key or "",
        )
    except InvalidInput as error:
        if "issues" not in error.extra:
            raise
        found = out.issue_items(report.template.parsed, problems.issues_of(error))
        return problems.not_submittable(request, [item.dict() for item in found])
    return Status(201, _detail(request, report_id))


@router.post(
    "/reports/{report_id}/approve",
    response={200: out.ReportDetail, **BODY_ACTION_ERRORS},
    summary="The province approves a submitted report (its reviewers), with an optional note",
)
def approve_report(
    request: HttpRequest, report_id: RecordId, body: inputs.ReportApproveIn | None = None
) -> out.ReportDetail:
    report = selectors.get_report(request.user, report_id)
    review.approve(request.user, report, body.note if body else "")
    return _detail(request, report_id)


@router.post(
    "/reports/{report_id}/return",
    response={200: out.ReportDetail, **BODY_ACTION_ERRORS},
    summary="The province returns a submitted report for correction, saying what to correct",
)
def return_report(
    request: HttpRequest, report_id: RecordId, body: inputs.ReportReturnIn
) -> out.ReportDetail:
    report = selectors.get_report(request.user, report_id)
    review.return_for_correction(request.user, report, body.note)
    return _detail(request, report_id)


@router.get(
    "/reports/{report_id}/submissions/{number}",
    response={200: out.ReportSubmissionDetail, **errors(401, 404, 422)},
    summary="One submission of a report, its cells as they were submitted",
)
def get_submission(
    request: HttpRequest, report_id: RecordId, number: Number
) -> out.ReportSubmissionDetail:
    report = selectors.get_report(request.user, report_id)
    return out.submission_detail(selectors.submission_of(report, number))
