"""What the oversight API answers (its records as JSON) and the queries its lists take."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from haicap.core.api import LocalDateTime, MultiLine, RecordId
from haicap.core.pagination import DEFAULT_LIMIT
from haicap.core.task_status import Outcome, Status
from haicap.oversight import selectors
from haicap.oversight.models import (
    Directive,
    DirectiveUpdate,
    Finding,
    Inspection,
    WorkingGroup,
)


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


def summary_fields(directive: Directive, on: dt.date) -> dict:
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
        **summary_fields(directive, on),
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
