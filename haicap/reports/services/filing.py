"""A commune writes its report: opened with its cells pre-filled from haicap, saved as it goes,
submitted by its leader once the period has ended. A submission is frozen; a correction is the
next one.

Every change locks the report's row alone (not its template's, which every commune shares) and
raises its ``version``: a save or a submission that says which version it saw is refused when
another has changed the report since, so nobody overwrites what someone else saved. Sources are
read before the lock is taken, so a slow source holds up nobody else's save.
"""

import datetime as dt
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats
from django.utils.translation import gettext as _

from haicap.accounts.models import Position
from haicap.core import clock, moments
from haicap.core.audit import record_change
from haicap.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from haicap.core.periods import Period
from haicap.core.report_sources import report_sources
from haicap.reports import permissions, schedule, selectors, values
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


def _day(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _period_to_open(template_code: str, period_start: dt.date) -> tuple[ReportTemplate, Period]:
    """The version in force for the period starting ``period_start``, and the period; each
    refusal in its own words."""
    try:
        moments.check_day(period_start)
        template = selectors.template_in_force(template_code, period_start)
    except moments.OutOfRange:
        raise InvalidInput(_("No period of this report starts on that day.")) from None
    except NotFound:
        raise NotFound(_("No version of this report is in force for that period.")) from None
    try:
        period = selectors.period_of(template, period_start)
    except NotFound:
        raise NotFound(_("No period of this report starts on that day.")) from None
    return template, period


def open_report(user: object, template_code: str, unit_id: int, period_start: dt.date) -> Report:
    """Open the commune's report for the period starting ``period_start``: made when not there
    yet, its cells pre-filled the first time it is opened, on the version in force then (a
    report a reminder made earlier is moved to a version published since)."""
    unit = AdministrativeUnit.objects.filter(pk=unit_id, tier="commune").first()
    if unit is None or not permissions.may_write_for(user, unit_id):
        raise PermissionDenied(_("Only the officers of the commune open its report."))
    template, period = _period_to_open(template_code, period_start)
    opens_on = period.end - OPEN_BEFORE_END
    if selectors.today() < opens_on:
        raise InvalidInput(
            _("The report of this period can be opened from %(day)s.") % {"day": _day(opens_on)}
        )
    if not selectors.expected_units(template, period).filter(pk=unit_id).exists():
        raise NotFound(_("This commune does not file this report for that period."))
    report = ensure_report(template_code, unit, period)
    if report.opened_at is not None:
        return report
    readings = read_sources(template, unit_id, period)  # before the lock: sources may be slow
    with transaction.atomic():
        report = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
        if report.opened_at is not None:
            return report
        report.template = template
        entries = {key: values.prefilled(reading) for key, reading in readings.items()}
        report.draft = values.to_json(template.parsed, entries)
        report.opened_at = clock.now()
        report.version += 1
        report.save(update_fields=["template", "draft", "opened_at", "version"])
        ReportEvent.objects.create(
            report=report, kind=ReportEvent.Kind.OPENED, at=report.opened_at, actor=_user(user)
        )
    return report


def entries_of(report: Report) -> dict[str, Entry]:
    return values.from_json(report.template.parsed, report.draft)


def _check_writable(user: object, report: Report) -> None:
    if not permissions.may_write(user, report):
        raise PermissionDenied("only the commune's officers write its report")
    if report.state not in (Report.State.DRAFT, Report.State.RETURNED):
        raise Conflict("a submitted report is not changed; wait for the province's decision")
    if report.opened_at is None:
        raise Conflict("open the report first")


def _editable(user: object, pk: int, expected_version: int | None = None) -> Report:
    """The report locked for a change by ``user``: theirs to write, still being written, and
    (given ``expected_version``) as they saw it. Only the report's row is locked: its template's
    is every commune's."""
    report = Report.objects.select_for_update(of=("self",)).select_related("template").get(pk=pk)
    _check_writable(user, report)
    if expected_version is not None and expected_version != report.version:
        raise Conflict(
            _(
                "The report was changed after you read it (version %(seen)d, now %(now)d): "
                "nothing was saved."
            )
            % {"seen": expected_version, "now": report.version},
            current_version=report.version,
        )
    return report


def _write(
    user: object,
    report: Report,
    given: Mapping[str, object],
    reasons: Mapping[str, str],
) -> None:
    """Apply what was typed to the locked ``report`` (written only when it changes anything);
    ``InvalidInput`` with the errors by cell key, nothing written, when a value cannot be read."""
    before = entries_of(report)
    entries, errors = values.read_input(report.template.parsed, before, given, reasons)
    if errors:
        raise InvalidInput(
            "some cells cannot be read", errors={k: v.value for k, v in errors.items()}
        )
    if entries == before:
        return
    report.draft = values.to_json(report.template.parsed, entries)
    report.saved_at, report.saved_by = clock.now(), _user(user)
    report.version += 1
    report.save(update_fields=["draft", "saved_at", "saved_by", "version"])


def save(
    user: object,
    report: Report,
    given: Mapping[str, object],
    reasons: Mapping[str, str] | None = None,
    *,
    expected_version: int | None = None,
) -> Report:
    """Save what the commune typed (cells not named keep theirs). ``InvalidInput`` with the
    errors by cell key, nothing saved, when a value cannot be read; ``Conflict``, nothing
    saved, when ``expected_version`` is not the report's any more."""
    with transaction.atomic():
        report = _editable(user, report.pk, expected_version)
        _write(user, report, given, reasons or {})
    return report


def refresh(user: object, report: Report) -> Report:
    """Read the pre-filled cells' sources again: a cell the commune did not override takes the
    new figure; an overridden one keeps its value and reason, and shows its difference from
    the new figure."""
    current = Report.objects.select_related("template").get(pk=report.pk)
    _check_writable(user, current)  # nothing is read for a report that is not theirs to write
    period = Period(current.period_start, current.period_end)
    # read before the lock (the template is pinned once the report is opened)
    readings = read_sources(current.template, current.unit_id, period)
    with transaction.atomic():
        report = _editable(user, report.pk)
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
        report.version += 1
        report.save(update_fields=["draft", "saved_at", "saved_by", "version"])
    return report


SIGNER_TITLES = {Position.HEAD: "CHỦ TỊCH", Position.DEPUTY: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"}


def _signer(user: object, unit_id: int) -> tuple[str, str]:
    """The leader's name and capacity as the report prints them (Decree 30/2020/NĐ-CP): as a
    leader of the commune's People's Committee, its head or a deputy."""
    membership = permissions.signing_membership(user, unit_id)
    position = membership.position if membership else Position.DEPUTY
    return str(user), SIGNER_TITLES.get(position, SIGNER_TITLES[Position.DEPUTY])


def _not_ended(report: Report) -> InvalidInput | None:
    """Why the report cannot be submitted yet when its period has not ended."""
    period = Period(report.period_start, report.period_end)
    if selectors.today() > period.end:
        return None
    day = schedule.submit_from(period)
    return InvalidInput(
        _("The period ends on %(end)s; submit the report after it, from %(day)s.")
        % {"end": _day(period.end), "day": _day(day)},
        submit_from=day.isoformat(),
    )


def _issues(report: Report) -> InvalidInput | None:
    """What in the report stops its submission (required cells, overrides without a reason,
    broken rules)."""
    found = values.issues(report.template.parsed, entries_of(report))
    if not found:
        return None
    return InvalidInput(
        "the report cannot be submitted yet",
        issues=[{"kind": i.kind.value, "where": i.where, "message": i.message} for i in found],
    )


def submit(
    user: object,
    report: Report,
    *,
    given: Mapping[str, object] | None = None,
    reasons: Mapping[str, str] | None = None,
    expected_version: int | None = None,
    idempotency_key: str = "",
) -> Submission:
    """The commune's leader submits the report, once its period has ended, with what they typed
    (``given``, ``reasons``: saved first, under the same lock, so nobody's save slips in
    between). ``InvalidInput`` says what stops it (the period not ended; required cells,
    overrides without a reason, broken rules: ``issues``), and what was typed stays saved;
    ``Conflict`` when ``expected_version`` is not the report's any more (nothing saved). A
    retry with the same ``idempotency_key`` gets the submission the first attempt made."""
    with transaction.atomic():
        if idempotency_key:
            locked = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
            earlier = retries.earlier_submission(user, locked, idempotency_key)
            if earlier is not None:
                return earlier
        report = _editable(user, report.pk, expected_version)
        if not permissions.may_submit(user, report):
            raise PermissionDenied("only the commune's leader submits its report")
        _write(user, report, given or {}, reasons or {})
        refusal = _not_ended(report) or _issues(report)
        if refusal is None:
            submission = _submitted(user, report, idempotency_key)
    if refusal is not None:
        raise refusal  # after the commit: what was typed stays saved
    return submission


def _submitted(user: object, report: Report, idempotency_key: str) -> Submission:
    """The locked ``report`` submitted as it stands: its submission, history and notices."""
    now = clock.now()
    number = (report.submissions.aggregate(last=Max("number"))["last"] or 0) + 1
    name, title = _signer(user, report.unit_id)
    submission = Submission.objects.create(
        report=report,
        number=number,
        template=report.template,
        values=values.to_json(report.template.parsed, entries_of(report)),
        submitted_at=now,
        submitted_by=user,
        signer_name=name,
        signer_title=title,
    )
    report.state = Report.State.SUBMITTED
    report.last_submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    report.version += 1
    report.save(update_fields=["state", "last_submitted_at", "first_submitted_at", "version"])
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
