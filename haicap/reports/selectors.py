"""Reads of the reports app: templates in force, who must file, the reports a user may see."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.errors import NotFound, PermissionDenied
from haicap.core.periods import Period
from haicap.core.restricted import Viewer
from haicap.core.scoping import scope_of
from haicap.reports import schedule
from haicap.reports.models import (
    Report,
    ReportEvent,
    ReportTemplate,
    Submission,
    reads_all_reports,
)
from haicap.reports.schedule import Standing
from haicap.units.models import AdministrativeUnit


def template_in_force(code: str, period_start: dt.date) -> ReportTemplate:
    """The version of template ``code`` a period starting on ``period_start`` is reported on:
    the newest in force by then (``NotFound`` when none is)."""
    found = (
        ReportTemplate.objects.filter(code=code, in_force_from__lte=period_start)
        .order_by("-version")
        .first()
    )
    if found is None:
        raise NotFound(f"no version of report template {code!r} is in force for that period")
    return found


def latest_templates(user: Viewer) -> QuerySet[ReportTemplate]:
    """The newest version of each template the user may read."""
    return ReportTemplate.objects.restrict(user).latest_versions().order_by("name")


def in_force(day: dt.date) -> Q:
    """Units in force on ``day``."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def expected_units(template: ReportTemplate, period: Period) -> QuerySet[AdministrativeUnit]:
    """The communes that must file ``template`` for ``period``: those it lists, or every
    commune in force at the period's end (before 1 July 2025, the former communes)."""
    units = AdministrativeUnit.objects.filter(in_force(period.end), tier="commune")
    listed = template.filers.all()
    if listed.exists():
        units = units.filter(pk__in=listed.values("pk"))
    return units.order_by("name", "pk")


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
    unit: AdministrativeUnit
    standing: Standing
    report: Report | None  # None: not opened yet


def standings(template: ReportTemplate, period: Period, today: dt.date) -> list[CommuneStanding]:
    """Where each expected commune stands for ``period`` (two queries, whatever the count)."""
    limits = deadlines(template, period)
    units = list(expected_units(template, period))
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(
            template_code=template.code, period_start=period.start, unit__in=units
        )
    }
    found = []
    for unit in units:
        report = reports.get(unit.pk)
        first = local_day(report.first_submitted_at) if report else None
        found.append(CommuneStanding(unit, schedule.standing(period, limits, first, today), report))
    return found


def visible_reports(user: Viewer) -> QuerySet[Report]:
    return Report.objects.restrict(user).select_related("unit", "template")


def get_report(user: Viewer, pk: int) -> Report:
    report = visible_reports(user).filter(pk=pk).first()
    if report is None:
        raise NotFound("no such report")
    return report


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
    if not reads_all_reports(scope_of(user)):
        raise PermissionDenied("only the province's reviewers and supervisors see who has filed")
    template = template_in_force(code, period_start)
    period = period_of(template, period_start)
    return template, period, standings(template, period, today())
