"""What the reports API answers about reports: their cells (each pre-filled one with where its
figure came from), their history and submissions, and who has filed.

Numbers are decimal texts ("12", "12.5"), as a report stores them, so nothing is lost to
floating point.
"""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from ninja import Field, Schema

from haicap.core.api import LocalDateTime
from haicap.core.periods import Period
from haicap.reports import permissions, schedule, selectors, values
from haicap.reports.api_inputs import ReportState, one_of
from haicap.reports.api_problems import issue_message
from haicap.reports.api_template_outputs import CellKind, ReportCommuneOut, source_label
from haicap.reports.definition import Definition
from haicap.reports.models import Report, ReportEvent, ReportTemplate
from haicap.reports.models import Submission as SubmissionRow
from haicap.reports.schedule import PeriodKind, Standing
from haicap.reports.values import Entry

StandingName = one_of(Standing)
IssueType = one_of(values.IssueKind)
EventKind = one_of(ReportEvent.Kind.values)

# --- reports -----------------------------------------------------------------------------


class ReportPeriodOut(Schema):
    start: dt.date
    end: dt.date
    label: str = Field(description="as the report names it, in Vietnamese: tháng 11 năm 2026")


class ReportDeadlinesOut(Schema):
    submit_from: dt.date = Field(
        description="the first day the report may be submitted: the day after the period ends"
    )
    due: dt.date
    late_after: dt.date = Field(description="first submitted after this day: late")


class ReportSummary(Schema):
    id: int
    template_code: str
    template_version: int = Field(description="the version the report is written on")
    template_name: str
    commune: ReportCommuneOut
    period: ReportPeriodOut
    state: ReportState
    state_label: str
    version: int = Field(
        description="goes up with every change; send it with a save or a submission, which is "
        "refused (409) when the report has changed since"
    )
    standing: StandingName = Field(
        description="not_due: the period has not ended; waiting: not submitted, not late yet; "
        "on_time or late: by the first submission; missing: not submitted, late"
    )
    deadlines: ReportDeadlinesOut
    opened_at: LocalDateTime | None = Field(description="when its cells were pre-filled")
    saved_at: LocalDateTime | None
    first_submitted_at: LocalDateTime | None
    last_submitted_at: LocalDateTime | None
    decided_at: LocalDateTime | None = Field(description="approved or returned")


class ReportReadingOut(Schema):
    source_key: str
    label: str | None = Field(description="the source's name; none when no longer registered")
    params: dict[str, str]
    read_at: LocalDateTime
    value: str | None = Field(description="the figure haicap read, a decimal text")
    records_url: str | None = Field(description="the page listing the records behind the figure")


# A cell's value: a text (numbers as decimal texts), a table's rows, or none.
CellValueOut = str | list[dict[str, str]] | None


class ReportCellOut(Schema):
    key: str
    section: str
    label: str
    kind: CellKind
    unit: str
    value: CellValueOut = Field(description="numbers as decimal texts; a table as its rows")
    reading: ReportReadingOut | None = Field(description="for a pre-filled cell: what haicap read")
    overridden: bool = Field(description="the value differs from the figure read")
    difference: str | None = Field(description="the value less the figure read, when overridden")
    reason: str = Field(description="why it was overridden")


class ReportIssueOut(Schema):
    type: IssueType = Field(
        description="required: empty; reason: overridden without a reason; choice: not offered; "
        "rule: a rule between cells broken"
    )
    cell: str | None = Field(description="the cell's key (none for a rule)")
    rule: str | None = Field(description="the rule's key")
    cells: list[str] = Field(description="the cells the rule ties")
    msg: str


class ReportEventOut(Schema):
    kind: EventKind
    label: str
    at: LocalDateTime
    actor: str | None = Field(description="a username; none for the worker")
    submission: int | None = Field(description="the submission it is about")
    note: str


class ReportSubmissionSummary(Schema):
    number: int
    submitted_at: LocalDateTime
    submitted_by: str = Field(description="a username")
    signer_name: str
    signer_title: str
    template_version: int = Field(description="the version it was filed against")


class ReportDetail(ReportSummary):
    cells: list[ReportCellOut]
    issues: list[ReportIssueOut] = Field(description="what stops it being submitted now")
    events: list[ReportEventOut]
    submissions: list[ReportSubmissionSummary]
    allowed_actions: list[str] = Field(
        description="what the caller may do now: open, save, refresh, submit, approve, return"
    )


class ReportSubmissionDetail(ReportSubmissionSummary):
    report_id: int
    cells: list[ReportCellOut] = Field(description="the cells as they were submitted")


class ReportPage(Schema):
    items: list[ReportSummary]
    next_cursor: str | None


def _number(value: Decimal | None) -> str | None:
    return None if value is None else values.number_text(value)


def _value(value: values.Value) -> CellValueOut:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return values.number_text(value)
    if isinstance(value, tuple):
        return [
            {k: values.number_text(v) if isinstance(v, Decimal) else str(v) for k, v in row.items()}
            for row in value
            if row
        ]
    return str(value)


def _reading(reading: values.Reading | None) -> ReportReadingOut | None:
    if reading is None:
        return None
    return ReportReadingOut(
        source_key=reading.key,
        label=source_label(reading.key),
        params=dict(reading.params),
        read_at=reading.read_at,
        value=_number(reading.value),
        records_url=reading.records or None,
    )


def cells(definition: Definition, entries: Mapping[str, Entry]) -> list[ReportCellOut]:
    """Every cell of the template, in its order, with what the report says."""
    found = []
    for section in definition.sections:
        for cell in section.cells:
            entry = entries.get(cell.key, Entry())
            found.append(
                ReportCellOut(
                    key=cell.key,
                    section=section.key,
                    label=cell.label,
                    kind=cell.kind.value,
                    unit=cell.unit,
                    value=_value(entry.value),
                    reading=_reading(entry.reading),
                    overridden=entry.overridden,
                    difference=_number(entry.difference),
                    reason=entry.reason,
                )
            )
    return found


def period_out(kind: PeriodKind, period: Period) -> ReportPeriodOut:
    return ReportPeriodOut(
        start=period.start, end=period.end, label=schedule.label_vi(kind, period)
    )


def deadlines_out(template: ReportTemplate, period: Period) -> ReportDeadlinesOut:
    limits = selectors.deadlines(template, period)
    return ReportDeadlinesOut(
        submit_from=schedule.submit_from(period), due=limits.due, late_after=limits.late_after
    )


def summary_fields(report: Report, today: dt.date) -> dict:
    template = report.template
    period = Period(report.period_start, report.period_end)
    return {
        "id": report.pk,
        "template_code": report.template_code,
        "template_version": template.version,
        "template_name": template.name,
        "commune": ReportCommuneOut.of(report.unit),
        "period": period_out(template.kind, period),
        "state": report.state,
        "state_label": report.get_state_display(),
        "version": report.version,
        "standing": selectors.standing_of(report, today).value,
        "deadlines": deadlines_out(template, period),
        "opened_at": report.opened_at,
        "saved_at": report.saved_at,
        "first_submitted_at": report.first_submitted_at,
        "last_submitted_at": report.last_submitted_at,
        "decided_at": report.decided_at,
    }


def summary(report: Report, today: dt.date) -> ReportSummary:
    return ReportSummary(**summary_fields(report, today))


def allowed_actions(user: object, report: Report, today: dt.date) -> list[str]:
    """What ``user`` may do with ``report`` now, as the API names it (submit: once the period
    has ended)."""
    being_written = report.state in (Report.State.DRAFT, Report.State.RETURNED)
    writes = permissions.may_write(user, report)
    opened = report.opened_at is not None
    ended = today > report.period_end
    offered = {
        "open": writes and not opened,
        "save": writes and opened and being_written,
        "refresh": writes and opened and being_written,
        "submit": opened and being_written and ended and permissions.may_submit(user, report),
        "approve": report.state == Report.State.SUBMITTED and permissions.may_review(user),
        "return": report.state == Report.State.SUBMITTED and permissions.may_review(user),
    }
    return [name for name, ok in offered.items() if ok]


def issue_items(definition: Definition, found: list[values.Issue]) -> list[ReportIssueOut]:
    """What stops a report being submitted: a cell's issue names the cell; a broken rule names
    itself and the cells it ties, in the template's words."""
    rules = {r.key: r for r in definition.rules}
    items = []
    for issue in found:
        rule = rules.get(issue.where) if issue.kind == values.IssueKind.RULE else None
        items.append(
            ReportIssueOut(
                type=issue.kind.value,
                cell=None if rule else issue.where,
                rule=rule.key if rule else None,
                cells=list(dict.fromkeys(rule.refs)) if rule else [],
                msg=issue_message(issue),
            )
        )
    return items


def _event(event: ReportEvent) -> ReportEventOut:
    return ReportEventOut(
        kind=event.kind,
        label=event.get_kind_display(),
        at=event.at,
        actor=event.actor.get_username() if event.actor else None,
        submission=event.submission.number if event.submission else None,
        note=event.note,
    )


def submission_fields(submission: SubmissionRow) -> dict:
    return {
        "number": submission.number,
        "submitted_at": submission.submitted_at,
        "submitted_by": submission.submitted_by.get_username(),
        "signer_name": submission.signer_name,
        "signer_title": submission.signer_title,
        "template_version": submission.template.version,
    }


def detail(user: object, report: Report, today: dt.date) -> ReportDetail:
    definition = report.template.parsed
    entries = values.from_json(definition, report.draft)
    return ReportDetail(
        **summary_fields(report, today),
        cells=cells(definition, entries),
        issues=issue_items(definition, values.issues(definition, entries)),
        events=[_event(e) for e in report.events.all()],
        submissions=[
            ReportSubmissionSummary(**submission_fields(s)) for s in report.submissions.all()
        ],
        allowed_actions=allowed_actions(user, report, today),
    )


def submission_detail(submission: SubmissionRow) -> ReportSubmissionDetail:
    definition = submission.template.parsed
    return ReportSubmissionDetail(
        **submission_fields(submission),
        report_id=submission.report_id,
        cells=cells(definition, values.from_json(definition, submission.values)),
    )


# --- who has filed -----------------------------------------------------------------------


class ReportRatesOut(Schema):
    expected: int = Field(description="communes whose period has ended")
    filed: int
    on_time: int
    missing: int
    completeness: Decimal | None = Field(description="filed of expected, in per cent")
    timeliness: Decimal | None = Field(description="filed on time of expected, in per cent")


class ReportCommuneStandingOut(Schema):
    commune: ReportCommuneOut
    standing: StandingName
    report_id: int | None = Field(description="none when the commune has not opened it")
    state: ReportState | None
    first_submitted_at: LocalDateTime | None


class ReportStandingsOut(Schema):
    template_code: str
    template_version: int
    template_name: str
    period: ReportPeriodOut
    deadlines: ReportDeadlinesOut
    rates: ReportRatesOut
    communes: list[ReportCommuneStandingOut]


def standings(
    template: ReportTemplate, period: Period, found: list[selectors.CommuneStanding]
) -> ReportStandingsOut:
    rates = schedule.rates(s.standing for s in found)
    return ReportStandingsOut(
        template_code=template.code,
        template_version=template.version,
        template_name=template.name,
        period=period_out(template.kind, period),
        deadlines=deadlines_out(template, period),
        rates=ReportRatesOut(
            expected=rates.expected,
            filed=rates.filed,
            on_time=rates.on_time,
            missing=rates.missing,
            completeness=rates.completeness,
            timeliness=rates.timeliness,
        ),
        communes=[
            ReportCommuneStandingOut(
                commune=ReportCommuneOut.of(s.unit),
                standing=s.standing.value,
                report_id=s.report.pk if s.report else None,
                state=s.report.state if s.report else None,
                first_submitted_at=s.report.first_submitted_at if s.report else None,
            )
            for s in found
        ],
    )
