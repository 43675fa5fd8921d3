"""Reads of the reports app: templates in force, who must file, the reports a user may see."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.errors import NotFound
from haicap.core.periods import Period
from haicap.core.restricted import Viewer
from haicap.reports import schedule
from haicap.reports.models import Report, ReportTemplate
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
