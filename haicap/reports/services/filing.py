"""A commune writes its report: opened with its cells pre-filled from haicap, saved as it goes,
submitted by its leader. A submission is frozen; a correction is the next one."""

import datetime as dt
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import Max

from haicap.accounts.models import Position
from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from haicap.core.periods import Period
from haicap.core.report_sources import report_sources
from haicap.core.roles import Role
from haicap.reports import permissions, selectors, values
from haicap.reports.models import Report, ReportEvent, ReportTemplate, Submission
from haicap.reports.services import retries
from haicap.reports.services.common import notify, reviewers
from haicap.reports.values import Entry, Reading
from haicap.units.models import AdministrativeUnit

# Reports can be opened for a period up to this long before it ends (a month's report is
# written in its last days).
OPEN_BEFORE_END = dt.timedelta(days=10)


def ensure_report(template_code: str, unit: AdministrativeUnit, period: Period) -> Report:
    """The commune's report for the period, made (not opened) when it is not there yet."""
    template = selectors.template_in_force(template_code, period.start)
    try:
        with transaction.atomic():
            report, _made = Report.objects.get_or_create(
                template_code=template_code,
                unit=unit,
                period_start=period.start,
                defaults={"template": template, "period_end": period.end},
            )
    except IntegrityError:  # made at the same moment by another request or worker
        report = Report.objects.get(
            template_code=template_code, unit=unit, period_start=period.start
        )
    return report


def read_sources(template: ReportTemplate, unit_id: int, period: Period) -> dict[str, Reading]:
    """Each pre-filled cell's reading now, by cell key (a source no longer registered is
    skipped: the cell is written by hand)."""
    now = clock.now()
    readings = {}
    for cell in template.parsed.cells:
        if cell.source is None:
            continue
        source = report_sources.get(cell.source.key)
        if source is None:
            continue
        params = dict(cell.source.params)
        readings[cell.key] = Reading(
            key=source.key,
            params=params,
            read_at=now,
            value=source.value(unit_id, params, period.start, period.end),
            records=source.records(unit_id, params, period.start, period.end),
        )
    return readings


def open_report(user: object, template_code: str, unit_id: int, period_start: dt.date) -> Report:
    """Open the commune's report for the period starting ``period_start``: made when not there
    yet, its cells pre-filled the first time it is opened."""
    unit = AdministrativeUnit.objects.filter(pk=unit_id, tier="commune").first()
    if unit is None or not permissions.may_write_for(user, unit_id):
        raise PermissionDenied("only the commune's officers open its report")
    template = selectors.template_in_force(template_code, period_start)
    period = selectors.period_of(template, period_start)
    if selectors.today() < period.end - OPEN_BEFORE_END:
        raise InvalidInput("this period's report cannot be opened yet")
    if not selectors.expected_units(template, period).filter(pk=unit_id).exists():
        raise NotFound("this commune does not file this report")
    report = ensure_report(template_code, unit, period)
    if report.opened_at is not None:
        return report
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.opened_at is not None:
            return report
        readings = read_sources(report.template, unit_id, period)
        entries = {key: values.prefilled(reading) for key, reading in readings.items()}
        report.draft = values.to_json(report.template.parsed, entries)
        report.opened_at = clock.now()
        report.save(update_fields=["draft", "opened_at"])
        ReportEvent.objects.create(
            report=report, kind=ReportEvent.Kind.OPENED, at=report.opened_at, actor=_user(user)
        )
    return report


def entries_of(report: Report) -> dict[str, Entry]:
    return values.from_json(report.template.parsed, report.draft)


def _editable(user: object, pk: int) -> Report:
    """The report locked for a change by ``user``: theirs to write, and still being written."""
    report = Report.objects.select_for_update().select_related("template").get(pk=pk)
    if not permissions.may_write(user, report):
        raise PermissionDenied("only the commune's officers write its report")
    if report.state not in (Report.State.DRAFT, Report.State.RETURNED):
        raise Conflict("a submitted report is not changed; wait for the province's decision")
    if report.opened_at is None:
        raise Conflict("open the report first")
    return report


def save(
    user: object,
    report: Report,
    given: Mapping[str, object],
    reasons: Mapping[str, str] | None = None,
) -> Report:
    """Save what the commune typed (cells not named keep theirs). ``InvalidInput`` with the
    errors by cell key, nothing saved, when a value cannot be read."""
    with transaction.atomic():
        report = _editable(user, report.pk)
        entries, errors = values.read_input(
            report.template.parsed, entries_of(report), given, reasons or {}
        )
        if errors:
            raise InvalidInput(
                "some cells cannot be read", errors={k: v.value for k, v in errors.items()}
            )
        report.draft = values.to_json(report.template.parsed, entries)
        report.saved_at, report.saved_by = clock.now(), _user(user)
        report.save(update_fields=["draft", "saved_at", "saved_by"])
    return report


def refresh(user: object, report: Report) -> Report:
    """Read the pre-filled cells' sources again: a cell the commune did not override takes the
    new figure; an overridden one keeps its value and reason, and shows its difference from
    the new figure."""
    with transaction.atomic():
        report = _editable(user, report.pk)
        period = Period(report.period_start, report.period_end)
        readings = read_sources(report.template, report.unit_id, period)
        entries = entries_of(report)
        for key, reading in readings.items():
            entry = entries.get(key)
            if entry is None or not entry.overridden:
                entries[key] = values.prefilled(reading)
            else:
                entries[key] = Entry(value=entry.value, reading=reading, reason=entry.reason)
                if not entries[key].overridden:  # the figure came round to the commune's
                    entries[key] = values.prefilled(reading)
        report.draft = values.to_json(report.template.parsed, entries)
        report.saved_at, report.saved_by = clock.now(), _user(user)
        report.save(update_fields=["draft", "saved_at", "saved_by"])
    return report


SIGNER_TITLES = {Position.HEAD: "CHỦ TỊCH", Position.DEPUTY: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"}


def _signer(user: object, unit_id: int) -> tuple[str, str]:
    """The leader's name and capacity as the report prints them (Decree 30/2020/NĐ-CP)."""
    membership = (
        user.memberships.filter(agency__unit_id=unit_id, role=Role.LEADER)
        .order_by("position", "pk")
        .first()
    )
    position = membership.position if membership else Position.DEPUTY
    return str(user), SIGNER_TITLES.get(position, SIGNER_TITLES[Position.DEPUTY])


def submit(user: object, report: Report, *, idempotency_key: str = "") -> Submission:
    """The commune's leader submits the report as it stands. ``InvalidInput`` lists what stops
    it (required cells, overrides without a reason, broken rules). A retry with the same
    ``idempotency_key`` gets the submission the first attempt made."""
    with transaction.atomic():
        if idempotency_key:
            locked = Report.objects.select_for_update().get(pk=report.pk)
            earlier = retries.earlier_submission(user, locked, idempotency_key)
            if earlier is not None:
                return earlier
        report = _editable(user, report.pk)
        if not permissions.may_submit(user, report):
            raise PermissionDenied("only the commune's leader submits its report")
        entries = entries_of(report)
        found = values.issues(report.template.parsed, entries)
        if found:
            raise InvalidInput(
                "the report cannot be submitted yet",
                issues=[
                    {"kind": i.kind.value, "where": i.where, "message": i.message} for i in found
                ],
            )
        now = clock.now()
        number = (report.submissions.aggregate(last=Max("number"))["last"] or 0) + 1
        name, title = _signer(user, report.unit_id)
        submission = Submission.objects.create(
            report=report,
            number=number,
            template=report.template,
            values=values.to_json(report.template.parsed, entries),
            submitted_at=now,
            submitted_by=user,
            signer_name=name,
            signer_title=title,
        )
        report.state = Report.State.SUBMITTED
        report.last_submitted_at = now
        report.first_submitted_at = report.first_submitted_at or now
        report.save(update_fields=["state", "last_submitted_at", "first_submitted_at"])
        ReportEvent.objects.create(
            report=report,
            kind=ReportEvent.Kind.SUBMITTED,
            at=now,
            actor=user,
            submission=submission,
        )
        after = {"submission": number, **retries.remembered(report, idempotency_key)}
        record_change(retries.SUBMITTED, report, actor=user, after=after)
        notify(reviewers(), report, "submitted", round=number, at=now)
    return submission


def _user(user: object) -> object | None:
    return user if getattr(user, "pk", None) else None
