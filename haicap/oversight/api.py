"""``/api/v1/oversight``: working groups, inspections, findings and directives, read and
created (each creating POST once per ``Idempotency-Key``); progress updates, closing a
directive, and the follow-up counts."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as Answer

from haicap.core.api import BODY_ERRORS, LocalDateTime, MultiLine, RecordId, errors
from haicap.core.pagination import DEFAULT_LIMIT, keyset_page
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
from haicap.oversight.models import (
    Directive,
    DirectiveUpdate,
    Finding,
    Inspection,
    WorkingGroup,
)
from haicap.oversight.status import Outcome, Status

router = Router(tags=["oversight"])


class GroupOut(Schema):
    id: int
    number: str
    name: str
    leader: str | None = Field(description="the leader's username, when they have an account")
    leader_title: str
    member_agency_codes: list[str]
    member_people: list[str] = Field(description="usernames")
    secretariat_agency_code: str | None
    secretariat_people: list[str] = Field(description="usernames")
    commune_ids: list[int]
    term_start: dt.date
    term_end: dt.date | None

    @staticmethod
    def of(group: WorkingGroup) -> "GroupOut":
        return GroupOut(
            id=group.pk,
            number=group.number,
            name=group.name,
            leader=group.leader.get_username() if group.leader else None,
            leader_title=group.leader_title,
            member_agency_codes=sorted(a.code for a in group.member_agencies.all()),
            member_people=sorted(u.get_username() for u in group.member_people.all()),
            secretariat_agency_code=(
                group.secretariat_agency.code if group.secretariat_agency else None
            ),
            secretariat_people=sorted(u.get_username() for u in group.secretariat_people.all()),
            commune_ids=sorted(u.pk for u in group.communes.all()),
            term_start=group.term_start,
            term_end=group.term_end,
        )


class GroupPage(Schema):
    items: list[GroupOut]
    next_cursor: str | None


class PageQuery(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


class InspectionOut(Schema):
    id: int
    group_id: int
    held_on: dt.date
    state: str
    commune_ids: list[int]
    participants: list[str] = Field(description="usernames")
    other_participants: str
    agenda: str
    conclusion_number: str
    conclusion_date: dt.date | None
    conclusion_summary: str
    conclusion_text: str

    @staticmethod
    def of(inspection: Inspection) -> "InspectionOut":
        return InspectionOut(
            id=inspection.pk,
            group_id=inspection.group_id,
            held_on=inspection.held_on,
            state=inspection.state,
            commune_ids=sorted(u.pk for u in inspection.communes.all()),
            participants=sorted(u.get_username() for u in inspection.participants.all()),
            other_participants=inspection.other_participants,
            agenda=inspection.agenda,
            conclusion_number=inspection.conclusion_number,
            conclusion_date=inspection.conclusion_date,
            conclusion_summary=inspection.conclusion_summary,
            conclusion_text=inspection.conclusion_text,
        )


class InspectionPage(Schema):
    items: list[InspectionOut]
    next_cursor: str | None


class InspectionFilters(PageQuery):
    group_id: RecordId | None = None


class LinkOut(Schema):
    url: str
    label: str


class PaperOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: LocalDateTime


class FindingOut(Schema):
    id: int
    inspection_id: int
    commune_id: int
    category: Finding.Category
    field_code: str | None
    field_text: str
    text: str
    agency_to_act_code: str
    links: list[LinkOut]
    papers: list[PaperOut]

    @staticmethod
    def of(finding: Finding) -> "FindingOut":
        return FindingOut(
            id=finding.pk,
            inspection_id=finding.inspection_id,
            commune_id=finding.commune_id,
            category=finding.category,
            field_code=finding.field.code if finding.field else None,
            field_text=finding.field_text,
            text=finding.text,
            agency_to_act_code=finding.agency_to_act.code,
            links=[LinkOut(url=link.url, label=link.label) for link in finding.links.all()],
            papers=[_paper(p) for p in finding.papers.all()],
        )


def _paper(paper: object) -> PaperOut:
    return PaperOut(
        id=paper.pk,
        name=paper.name,
        content_type=paper.content_type,
        size=paper.size,
        sha256=paper.sha256,
        uploaded_at=paper.uploaded_at,
    )


class FindingPage(Schema):
    items: list[FindingOut]
    next_cursor: str | None


class FindingFilters(PageQuery):
    inspection_id: RecordId | None = None
    commune_id: RecordId | None = None


class DirectiveSummary(Schema):
    id: int
    inspection_id: int
    group_id: int
    parent_id: int | None
    title: str
    lead_agency_code: str
    deadline: dt.date
    status: Status
    has_target: bool
    closed_at: LocalDateTime | None


def _summary_fields(directive: Directive, on: dt.date) -> dict:
    return {
        "id": directive.pk,
        "inspection_id": directive.inspection_id,
        "group_id": directive.inspection.group_id,
        "parent_id": directive.parent_id,
        "title": directive.title,
        "lead_agency_code": directive.lead_agency.code,
        "deadline": directive.deadline,
        "status": selectors.directive_status(directive, on),
        "has_target": selectors.target_of(directive) is not None,
        "closed_at": directive.closed_at,
    }


class DirectivePage(Schema):
    items: list[DirectiveSummary]
    next_cursor: str | None


class DirectiveFilters(PageQuery):
    group_id: RecordId | None = None
    inspection_id: RecordId | None = None
    lead_agency_id: RecordId | None = None
    commune_id: RecordId | None = None
    status: Status | None = None


class ProgressOut(Schema):
    subtasks_done: int
    subtasks: int
    percent: Decimal | None = Field(description="the share of sub-tasks done; none without any")


class TargetOut(Schema):
    measure_key: str
    measure: str | None = Field(description="what is measured; none when no longer offered")
    unit: str | None
    commune_id: int | None = Field(description="none: the whole province")
    field_code: str | None
    period_start: dt.date
    period_end: dt.date
    comparison: Literal[">=", "<=", "="]
    threshold: Decimal
    value: Decimal | None = Field(description="read now; none when there is nothing to measure")
    met: bool


class UpdateOut(Schema):
    id: int
    at: LocalDateTime
    by: str
    agency_code: str
    text: str
    percent: int | None
    papers: list[PaperOut]

    @staticmethod
    def of(update: DirectiveUpdate) -> "UpdateOut":
        return UpdateOut(
            id=update.pk,
            at=update.at,
            by=update.by.get_username(),
            agency_code=update.agency.code,
            text=update.text,
            percent=update.percent,
            papers=[_paper(p) for p in update.papers.all()],
        )


class DirectiveDetail(DirectiveSummary):
    text: str
    expected_result: str
    supporting_agency_codes: list[str]
    finding_ids: list[int]
    subtask_ids: list[int]
    progress: ProgressOut
    target: TargetOut | None
    close_outcome: Outcome | None
    close_result: str
    close_reason: str
    closed_by: str | None
    updates: list[UpdateOut]


def _target(directive: Directive) -> TargetOut | None:
    target = selectors.target_of(directive)
    if target is None:
        return None
    reading = selectors.read_target(target)
    return TargetOut(
        measure_key=target.measure_key,
        measure=str(reading.measure.label) if reading.measure else None,
        unit=reading.measure.unit.value if reading.measure else None,
        commune_id=target.unit_id,
        field_code=target.field.code if target.field_id else None,
        period_start=target.period_start,
        period_end=target.period_end,
        comparison=target.comparison,
        threshold=target.threshold,
        value=reading.value,
        met=reading.met,
    )


def detail(user: object, directive: Directive) -> DirectiveDetail:
    on = selectors.today()
    progress = selectors.subtask_progress(directive, on)
    return DirectiveDetail(
        **_summary_fields(directive, on),
        text=directive.text,
        expected_result=directive.expected_result,
        supporting_agency_codes=sorted(a.code for a in directive.supporting_agencies.all()),
        finding_ids=sorted(f.pk for f in directive.findings.all()),
        subtask_ids=sorted(s.pk for s in directive.subtasks.all()),
        progress=ProgressOut(
            subtasks_done=progress.done, subtasks=progress.total, percent=progress.percent
        ),
        target=_target(directive),
        close_outcome=directive.close_outcome or None,
        close_result=directive.close_result,
        close_reason=directive.close_reason,
        closed_by=directive.closed_by.get_username() if directive.closed_by else None,
        updates=[UpdateOut.of(u) for u in selectors.updates_of(user, directive)],
    )


class UpdateIn(Schema):
    text: MultiLine = Field(min_length=1, max_length=4000)
    percent: int | None = Field(None, ge=0, le=100, description="how far the work has come")


class CloseIn(Schema):
    outcome: Outcome
    result: MultiLine = Field(min_length=1, max_length=4000, description="the stated result")
    reason: MultiLine = Field(
        "", max_length=4000, description="not_achieved: why the expected result was not achieved"
    )


class FollowUpRowOut(Schema):
    id: int
    name: str
    counts: dict[Status, int]
    total: int


class FollowUpOut(Schema):
    by: str
    rows: list[FollowUpRowOut]


class FollowUpQuery(Schema):
    by: Literal["group", "lead_agency", "commune"] = "group"


# --- operations -------------------------------------------------------------------------------


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
        items=[DirectiveSummary(**_summary_fields(d, on)) for d in found.items],
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
    summary="Report progress with attached files (multipart: PDF, PNG or JPEG, 10 MB each)",
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
