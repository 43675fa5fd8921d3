"""Reads of the reports app: templates in force, who must file, the reports a user may see."""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.collation import vietnamese_key
from haicap.core.errors import NotFound, PermissionDenied
from haicap.core.periods import Period
from haicap.core.restricted import Viewer
from haicap.core.scoping import scope_of
from haicap.reports import schedule, values
from haicap.reports.models import (
    Report,
    ReportEvent,
    ReportTemplate,
    Submission,
    reads_all_reports,
)
from haicap.reports.report_document import ReportPaper
from haicap.reports.schedule import PeriodKind, Standing
from haicap.units.models import AdministrativeUnit

# A report counts (in a consolidation, a trend, the briefing pack) by its latest submission
# while it is submitted or approved: one returned, or still being written, says nothing the
# province has accepted or may yet accept.
COUNTED_STATES = (Report.State.SUBMITTED, Report.State.APPROVED)


def reads_every_commune(user: Viewer) -> bool:
    """Reads every commune's reports: the province's reviewers and supervisors (the reports'
    one rule, ``models.reads_all_reports``, for whoever makes the request)."""
    return reads_all_reports(scope_of(user))


def template_in_force(code: str, period_start: dt.date) -> ReportTemplate:
    """The version of template ``code`` a period starting on ``period_start`` is reported on:
    the newest in force by then (``NotFound`` when none is); ``version_for`` among versions
    read already."""
    found = (
        ReportTemplate.objects.filter(code=code, in_force_from__lte=period_start)
        .order_by("-version")
        .first()
    )
    if found is None:
        raise NotFound(f"no version of report template {code!r} is in force for that period")
    return found


def version_for(versions: Iterable[ReportTemplate], period: Period) -> ReportTemplate | None:
    """The version ``period`` is reported on, among ``versions`` of one template: the newest
    in force by the period's first day (as ``template_in_force`` finds it), if it reports by
    periods like ``period``; None before the template, or for a period of another kind (an
    older version reporting by quarter has its own periods, not the newer one's months)."""
    in_force = [v for v in versions if v.in_force_from <= period.start]
    if not in_force:
        return None
    version = max(in_force, key=lambda v: v.version)
    return version if schedule.period_of(version.kind, period.start) == period else None


def by_code(versions: Iterable[ReportTemplate]) -> dict[str, list[ReportTemplate]]:
    """Versions grouped by their template's code, in the order given."""
    found: dict[str, list[ReportTemplate]] = {}
    for version in versions:
        found.setdefault(version.code, []).append(version)
    return found


def latest_templates(user: Viewer) -> QuerySet[ReportTemplate]:
    """The newest version of each template the user may read."""
    return ReportTemplate.objects.restrict(user).latest_versions().order_by("name")


def in_force(day: dt.date) -> Q:
    """Units in force on ``day``."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def in_force_on(unit: AdministrativeUnit, day: dt.date) -> bool:
    """``in_force`` for a unit read already."""
    return (unit.valid_from is None or unit.valid_from <= day) and (
        unit.valid_to is None or unit.valid_to >= day
    )


def by_name(units: Iterable[AdministrativeUnit]) -> list[AdministrativeUnit]:
    """``units`` as Vietnamese readers sort names ("Đô Lương" among the D, not after Y)."""
    return sorted(units, key=lambda unit: (vietnamese_key(unit.name), unit.pk))


def expected_units(template: ReportTemplate, period: Period) -> QuerySet[AdministrativeUnit]:
    """The communes that must file ``template`` for ``period``: those it lists, or every
    commune in force at the period's end (before 1 July 2025, the former communes)."""
    units = AdministrativeUnit.objects.filter(in_force(period.end), tier="commune")
    listed = template.filers.all()
    if listed.exists():
        units = units.filter(pk__in=listed.values("pk"))
    return units.order_by("name", "pk")


def expected_among(
    template: ReportTemplate, period: Period, units: Iterable[AdministrativeUnit]
) -> list[AdministrativeUnit]:
    """``expected_units`` among ``units`` read already, in their order: for pages that read
    the units once for many periods (the template's filers prefetched, or read here)."""
    filers = {u.pk for u in template.filers.all()}
    return [
        u
        for u in units
        if u.tier == "commune" and in_force_on(u, period.end) and (not filers or u.pk in filers)
    ]


def period_of(template: ReportTemplate, start: dt.date) -> Period:
    """The template's period starting on ``start`` (``NotFound`` for a day that starts none)."""
    period = schedule.period_of(template.kind, start)
    if period.start != start:
        raise NotFound("no reporting period starts on that day")
    return period


def deadlines(template: ReportTemplate, period: Period) -> schedule.Deadlines:
    return schedule.deadlines(period, template.due_days, template.late_after_days)


def today() -> dt.date:
    """Today in Vietnam (``clock``'s, so tests walk through dates)."""
    return clock.now().astimezone(VIETNAM).date()


def local_day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else moment.astimezone(VIETNAM).date()


@dataclass(frozen=True)
class CommuneStanding:
    """One expected commune for one period: where it stands, its report (None: not opened)
    and how many times it submitted."""

    unit: AdministrativeUnit
    standing: Standing
    report: Report | None  # None: not opened yet
    submissions: int = 0

    @property
    def state(self) -> str | None:
        return self.report.state if self.report is not None else None

    @property
    def counted(self) -> bool:
        return self.report is not None and self.report.state in COUNTED_STATES


def standings(
    template: ReportTemplate,
    period: Period,
    today: dt.date,
    reports: QuerySet[Report] | None = None,
) -> list[CommuneStanding]:
    """Where each expected commune stands for ``period`` (three queries, whatever the count),
    among ``reports`` (a reader's ``Report.objects.restrict(user)``; every report for the
    worker and the demo)."""
    units = by_name(expected_units(template, period))
    found = (Report.objects.all() if reports is None else reports).filter(
        template_code=template.code, period_start=period.start, unit__in=units
    )
    by_unit = {r.unit_id: r for r in with_submission_counts(found)}
    return standing_rows(template, period, units, by_unit, today)


def with_submission_counts(reports: QuerySet[Report]) -> QuerySet[Report]:
    """``reports``, each with how many times it was submitted (``made``)."""
    return reports.annotate(made=Count("submissions"))


def standing_rows(
    template: ReportTemplate,
    period: Period,
    units: Sequence[AdministrativeUnit],
    reports: Mapping[int, Report],
    today: dt.date,
) -> list[CommuneStanding]:
    """Where each of ``units`` stands for ``period``, by its report in ``reports`` (by unit id,
    read ``with_submission_counts``)."""
    limits = deadlines(template, period)
    found = []
    for unit in units:
        report = reports.get(unit.pk)
        first = local_day(report.first_submitted_at) if report else None
        made = getattr(report, "made", 0) if report else 0
        standing = schedule.standing(period, limits, first, today)
        found.append(CommuneStanding(unit, standing, report, made))
    return found


def visible_reports(user: Viewer) -> QuerySet[Report]:
    return Report.objects.restrict(user).select_related("unit", "template")


def get_report(user: Viewer, pk: int) -> Report:
    report = visible_reports(user).filter(pk=pk).first()
    if report is None:
        raise NotFound("no such report")
    return report


# -- the commune's pages


@dataclass(frozen=True)
class PeriodRow:
    """One period of a template, for one commune, as its officers' list shows it."""

    template: ReportTemplate  # the version the period is reported on
    unit: AdministrativeUnit
    period: Period
    limits: schedule.Deadlines
    standing: Standing
    report: Report | None  # None: not opened yet


@dataclass(frozen=True)
class FiledTemplate:
    """A template the reader's commune files, and its recent periods."""

    template: ReportTemplate  # the newest version
    rows: list[PeriodRow]


def recent_periods(kind: PeriodKind, today: dt.date, open_before: dt.timedelta) -> list[Period]:
    """The current period when its report can be opened already (``open_before`` its end),
    then the last three that have ended, newest first."""
    current = schedule.period_of(kind, today)
    found = [current] if today >= current.end - open_before else []
    period = current
    for _ in range(3):
        period = schedule.previous(kind, period)
        found.append(period)
    return found


def own_communes(user: Viewer) -> list[AdministrativeUnit]:
    """The communes the reader works for (their reports are the reader's own)."""
    ids = sorted(scope_of(user).communes)
    return by_name(AdministrativeUnit.objects.filter(pk__in=ids, tier="commune"))


def commune_periods(user: Viewer, today: dt.date, open_before: dt.timedelta) -> list[FiledTemplate]:
    """The templates the reader's communes file, each with its recent periods: the version a
    period is reported on, its deadlines, where the commune stands, and its report if any."""
    communes = own_communes(user)
    if not communes:
        return []
    versions = by_code(template_versions(user).prefetch_related("filers"))
    visible = Report.objects.restrict(user)  # the reader's scope, worked out once
    found = []
    for template in latest_templates(user):
        periods = recent_periods(template.kind, today, open_before)
        reports = {
            (r.unit_id, r.period_start): r
            for r in visible.filter(
                template_code=template.code,
                unit__in=communes,
                period_start__in=[p.start for p in periods],
            )
        }
        rows = []
        for period in periods:
            version = version_for(versions.get(template.code, ()), period)
            if version is None:
                continue
            limits = deadlines(version, period)
            for unit in expected_among(version, period, communes):
                report = reports.get((unit.pk, period.start))
                first = local_day(report.first_submitted_at) if report else None
                standing = schedule.standing(period, limits, first, today)
                rows.append(PeriodRow(version, unit, period, limits, standing, report))
        if rows:
            found.append(FiledTemplate(template, rows))
    return found


def history(report: Report) -> QuerySet[ReportEvent]:
    """The report's steps, oldest first, with who took each."""
    return report.events.select_related("actor", "submission").order_by("at", "pk")


def submissions_of(report: Report) -> QuerySet[Submission]:
    return report.submissions.order_by("number")


def returned_note(report: Report) -> ReportEvent | None:
    """The province's last return, while the report waits for its correction."""
    if report.state != Report.State.RETURNED:
        return None
    return report.events.filter(kind=ReportEvent.Kind.RETURNED).order_by("-at", "-pk").first()


def get_submission(user: Viewer, report_id: int, number: int) -> Submission:
    """Submission ``number`` of a report the reader may see (``NotFound`` otherwise)."""
    report = get_report(user, report_id)
    found = (
        report.submissions.select_related("template", "submitted_by").filter(number=number).first()
    )
    if found is None:
        raise NotFound("no such submission")
    found.report = report
    return found


def submission_paper(user: Viewer, report_id: int, number: int) -> ReportPaper:
    """What a submission prints: the commune, the day, the version's cells and the values as
    they were submitted, the signer."""
    submission = get_submission(user, report_id, number)
    report, template = submission.report, submission.template
    definition = template.parsed
    return ReportPaper(
        commune=report.unit.full_name,
        place=report.unit.name,
        submitted_on=local_day(submission.submitted_at),
        template_name=template.name,
        period=schedule.label_vi(template.kind, Period(report.period_start, report.period_end)),
        definition=definition,
        entries=values.from_json(definition, submission.values),
        signer_title=submission.signer_title,
        signer_name=submission.signer_name,
    )


def template_versions(user: Viewer) -> QuerySet[ReportTemplate]:
    """Every version of every template the user may read, each code's newest first."""
    return ReportTemplate.objects.restrict(user).order_by("code", "-version")


def template_version(user: Viewer, code: str, version: int) -> ReportTemplate:
    """One version of a template (``NotFound`` when there is none the user may read)."""
    found = (
        ReportTemplate.objects.restrict(user)
        .filter(code=code, version=version)
        .prefetch_related("filers")
        .first()
    )
    if found is None:
        raise NotFound("no such report template version")
    return found


def report_list(
    user: Viewer,
    *,
    template: str | None = None,
    period_start: dt.date | None = None,
    commune: str | None = None,
    state: str | None = None,
) -> QuerySet[Report]:
    """The reports ``user`` may see, filtered (a template and a commune by their codes)."""
    reports = visible_reports(user)
    if template:
        reports = reports.filter(template_code=template)
    if period_start is not None:
        reports = reports.filter(period_start=period_start)
    if commune:
        reports = reports.filter(unit__code=commune)
    if state:
        reports = reports.filter(state=state)
    return reports


def report_in_full(user: Viewer, pk: int) -> Report:
    """One report the user may see, with its history and submissions (``NotFound``
    otherwise: one out of scope is as unknown as one that does not exist)."""
    report = (
        visible_reports(user)
        .prefetch_related(
            Prefetch("events", queryset=ReportEvent.objects.select_related("actor", "submission")),
            Prefetch(
                "submissions",
                queryset=Submission.objects.select_related("submitted_by", "template"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise NotFound("no such report")
    return report


def submission_of(report: Report, number: int) -> Submission:
    """Submission ``number`` of a report the user was found to see."""
    found = report.submissions.select_related("submitted_by", "template").filter(number=number)
    submission = found.first()
    if submission is None:
        raise NotFound("the report has no submission with that number")
    return submission


def standing_of(report: Report, today: dt.date) -> Standing:
    """Where the report's commune stands for its period."""
    period = Period(report.period_start, report.period_end)
    limits = deadlines(report.template, period)
    return schedule.standing(period, limits, local_day(report.first_submitted_at), today)


def province_standings(
    user: Viewer, code: str, period_start: dt.date
) -> tuple[ReportTemplate, Period, list[CommuneStanding]]:
    """Where every commune expected to file template ``code`` stands for the period starting
    ``period_start``: for those who read every commune's reports (``PermissionDenied`` for
    others)."""
    if not reads_every_commune(user):
        raise PermissionDenied("only the province's reviewers and supervisors see who has filed")
    template = template_in_force(code, period_start)
    period = period_of(template, period_start)
    return template, period, standings(template, period, today(), Report.objects.restrict(user))
