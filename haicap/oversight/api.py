"""``/api/v1/oversight``: working groups, inspections, findings and directives, read and
created (each creating POST once per ``Idempotency-Key``); progress updates, closing a
directive, and the follow-up counts."""

from django.http import HttpRequest
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status as Answer

from haicap.core.api import BODY_ERRORS, MultiLine, RecordId, errors
from haicap.core.pagination import keyset_page
from haicap.dossiers.api.inputs import IdempotencyKey
from haicap.oversight import selectors, services
from haicap.oversight.api_inputs import (
    ConclusionIn,
    DirectiveIn,
    FindingIn,
    GroupIn,
    InspectionIn,
    SubtaskIn,
    directive_spec,
    finding_spec,
    group_spec,
    inspection_arguments,
)
from haicap.oversight.api_outputs import (
    CloseIn,
    DirectiveDetail,
    DirectiveFilters,
    DirectivePage,
    DirectiveSummary,
    FindingFilters,
    FindingOut,
    FindingPage,
    FollowUpOut,
    FollowUpQuery,
    FollowUpRowOut,
    GroupOut,
    GroupPage,
    InspectionFilters,
    InspectionOut,
    InspectionPage,
    PageQuery,
    UpdateIn,
    detail,
    summary_fields,
)

router = Router(tags=["oversight"])


@router.get(
    "/oversight/groups",
    response={200: GroupPage, **errors(401, 422)},
    summary="Working groups the caller may see",
)
def list_groups(request: HttpRequest, page: Query[PageQuery]) -> GroupPage:
    groups = selectors.visible_groups(request.user).prefetch_related(
        "member_agencies", "member_people", "secretariat_people", "communes"
    )
    found = keyset_page(groups, ("number", "id"), page.cursor, page.limit)
    return GroupPage(items=[GroupOut.of(g) for g in found.items], next_cursor=found.next_cursor)


@router.post(
    "/oversight/groups",
    response={201: GroupOut, **errors(401, 403, 409, *BODY_ERRORS)},
    summary="Set up a working group (the PPC Office and system administrators)",
)
def create_group(
    request: HttpRequest, body: GroupIn, idempotency_key: str | None = IdempotencyKey
) -> Answer:
    group = services.save_group(
        request.user, group_spec(request.user, body), idempotency_key=idempotency_key or ""
    )
    return Answer(201, GroupOut.of(group))


@router.get(
    "/oversight/groups/{group_id}",
    response={200: GroupOut, **errors(401, 404, 422)},
    summary="One working group",
)
def get_group(request: HttpRequest, group_id: RecordId) -> GroupOut:
    return GroupOut.of(selectors.get_group(request.user, group_id))


@router.get(
    "/oversight/inspections",
    response={200: InspectionPage, **errors(401, 422)},
    summary="Inspections the caller may see, the latest first",
)
def list_inspections(request: HttpRequest, filters: Query[InspectionFilters]) -> InspectionPage:
    inspections = selectors.visible_inspections(request.user, filters.group_id).prefetch_related(
        "communes", "participants"
    )
    found = keyset_page(inspections, ("-held_on", "-id"), filters.cursor, filters.limit)
    return InspectionPage(
        items=[InspectionOut.of(i) for i in found.items], next_cursor=found.next_cursor
    )


@router.get(
    "/oversight/inspections/{inspection_id}",
    response={200: InspectionOut, **errors(401, 404, 422)},
    summary="One inspection",
)
def get_inspection(request: HttpRequest, inspection_id: RecordId) -> InspectionOut:
    return InspectionOut.of(selectors.get_inspection(request.user, inspection_id))


@router.post(
    "/oversight/groups/{group_id}/inspections",
    response={201: InspectionOut, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Plan a visit of a working group to communes it covers (its secretariat or leader)",
)
def plan_inspection(
    request: HttpRequest,
    group_id: RecordId,
    body: InspectionIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Answer:
    inspection = services.plan_inspection(
        request.user,
        selectors.get_group(request.user, group_id),
        **inspection_arguments(request.user, body),
        idempotency_key=idempotency_key or "",
    )
    return Answer(201, InspectionOut.of(inspection))


@router.post(
    "/oversight/inspections/{inspection_id}/start",
    response={200: InspectionOut, **errors(401, 403, 404, 409, 422)},
    summary="The visit begins: findings may be recorded (sent again: 409)",
)
def start_inspection(request: HttpRequest, inspection_id: RecordId) -> InspectionOut:
    inspection = selectors.get_inspection(request.user, inspection_id)
    return InspectionOut.of(services.start_inspection(request.user, inspection))


@router.post(
    "/oversight/inspections/{inspection_id}/conclude",
    response={200: InspectionOut, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="The group's conclusion: directives are issued under it (sent again: 409)",
)
def conclude_inspection(
    request: HttpRequest, inspection_id: RecordId, body: ConclusionIn
) -> InspectionOut:
    inspection = services.conclude_inspection(
        request.user,
        selectors.get_inspection(request.user, inspection_id),
        number=body.number,
        date=body.date,
        summary=body.summary,
        text=body.text,
    )
    return InspectionOut.of(inspection)


@router.post(
    "/oversight/inspections/{inspection_id}/findings",
    response={201: FindingOut, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Record a difficulty found in a commune the inspection visits, while it is held",
)
def record_finding(
    request: HttpRequest,
    inspection_id: RecordId,
    body: FindingIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Answer:
    finding = services.record_finding(
        request.user,
        selectors.get_inspection(request.user, inspection_id),
        finding_spec(request.user, body),
        idempotency_key=idempotency_key or "",
    )
    return Answer(201, FindingOut.of(finding))


@router.post(
    "/oversight/inspections/{inspection_id}/directives",
    response={201: DirectiveDetail, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Issue a directive of the conclusion, with its target and sub-tasks",
)
def issue_directive(
    request: HttpRequest,
    inspection_id: RecordId,
    body: DirectiveIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Answer:
    inspection = selectors.get_inspection(request.user, inspection_id)
    directive = services.issue_directive(
        request.user,
        inspection,
        directive_spec(request.user, inspection, body),
        idempotency_key=idempotency_key or "",
    )
    return Answer(201, detail(request.user, selectors.get_directive(request.user, directive.pk)))


@router.get(
    "/oversight/findings",
    response={200: FindingPage, **errors(401, 422)},
    summary="Findings the caller may see",
)
def list_findings(request: HttpRequest, filters: Query[FindingFilters]) -> FindingPage:
    findings = selectors.visible_findings(
        request.user, filters.inspection_id, filters.commune_id
    ).prefetch_related("links", "papers")
    found = keyset_page(findings, ("id",), filters.cursor, filters.limit)
    return FindingPage(items=[FindingOut.of(f) for f in found.items], next_cursor=found.next_cursor)


@router.get(
    "/oversight/directives",
    response={200: DirectivePage, **errors(401, 422)},
    summary="Directives the caller may see, the soonest due first",
)
def list_directives(request: HttpRequest, filters: Query[DirectiveFilters]) -> DirectivePage:
    directives = selectors.visible_directives(
        request.user, **filters.dict(exclude={"cursor", "limit"})
    )
    found = keyset_page(directives, ("deadline", "id"), filters.cursor, filters.limit)
    on = selectors.today()
    return DirectivePage(
        items=[DirectiveSummary(**summary_fields(d, on)) for d in found.items],
        next_cursor=found.next_cursor,
    )


@router.get(
    "/oversight/directives/{directive_id}",
    response={200: DirectiveDetail, **errors(401, 404, 422)},
    summary="One directive: its status, its target's value now, its sub-tasks and updates",
)
def get_directive(request: HttpRequest, directive_id: RecordId) -> DirectiveDetail:
    return detail(request.user, selectors.get_directive(request.user, directive_id))


@router.post(
    "/oversight/directives/{directive_id}/subtasks",
    response={201: DirectiveDetail, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Add a sub-task to an open directive; its progress rolls up to the directive",
)
def add_subtask(
    request: HttpRequest,
    directive_id: RecordId,
    body: SubtaskIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Answer:
    parent = selectors.get_directive(request.user, directive_id)
    subtask = services.issue_directive(
        request.user,
        parent.inspection,
        directive_spec(request.user, parent.inspection, body),
        parent,
        idempotency_key=idempotency_key or "",
    )
    return Answer(201, detail(request.user, selectors.get_directive(request.user, subtask.pk)))


@router.post(
    "/oversight/directives/{directive_id}/updates",
    response={201: DirectiveDetail, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Report progress on a directive (its lead or a supporting agency)",
)
def post_update(
    request: HttpRequest,
    directive_id: RecordId,
    body: UpdateIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Answer:
    directive = selectors.get_directive(request.user, directive_id)
    services.post_update(
        request.user,
        directive,
        text=body.text,
        percent=body.percent,
        idempotency_key=idempotency_key or "",
    )
    return Answer(201, detail(request.user, selectors.get_directive(request.user, directive_id)))


UPDATE_TEXT = Form(..., min_length=1, max_length=4000)
UPDATE_PERCENT = Form(None, ge=0, le=100, description="how far the work has come")
ATTACHMENTS = File(..., description="the attachments")


@router.post(
    "/oversight/directives/{directive_id}/updates/files",
    response={201: DirectiveDetail, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary=(
        "Report progress with attached files (multipart: PDF, PNG, JPEG, Word .docx/.odt or "
        "Excel .xlsx/.ods, 10 MB each)"
    ),
)
def post_update_with_files(
    request: HttpRequest,
    directive_id: RecordId,
    text: MultiLine = UPDATE_TEXT,
    percent: int | None = UPDATE_PERCENT,
    files: list[UploadedFile] = ATTACHMENTS,
    idempotency_key: str | None = IdempotencyKey,
) -> Answer:
    directive = selectors.get_directive(request.user, directive_id)
    services.post_update(
        request.user,
        directive,
        text=text,
        percent=percent,
        papers=files,
        idempotency_key=idempotency_key or "",
    )
    return Answer(201, detail(request.user, selectors.get_directive(request.user, directive_id)))


@router.post(
    "/oversight/directives/{directive_id}/close",
    response={200: DirectiveDetail, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Close a directive on its result (the working group's secretariat)",
)
def close_directive(request: HttpRequest, directive_id: RecordId, body: CloseIn) -> DirectiveDetail:
    directive = selectors.get_directive(request.user, directive_id)
    services.close_directive(
        request.user, directive, outcome=body.outcome, result=body.result, reason=body.reason
    )
    return detail(request.user, selectors.get_directive(request.user, directive_id))


@router.get(
    "/oversight/follow-up",
    response={200: FollowUpOut, **errors(401, 422)},
    summary="How many directives are in each status, per group, lead agency or commune",
)
def follow_up(request: HttpRequest, query: Query[FollowUpQuery]) -> FollowUpOut:
    rows = selectors.follow_up(request.user, query.by)
    return FollowUpOut(
        by=query.by,
        rows=[
            FollowUpRowOut(id=r.key, name=r.name, counts=dict(r.counts), total=r.total)
            for r in rows
        ],
    )
