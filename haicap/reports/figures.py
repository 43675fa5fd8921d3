"""The province's reads of the communes' reports: who filed each period and the reporting rates
(DHIS2's completeness and timeliness), what a consolidated report adds up, and a commune's
series across the 2025 reform.

Only the province's readers (supervisors, system administrators, the agencies charged with the
communes' reports: ``selectors.reads_every_commune``) read these; anyone else is told there is
nothing here (``NotFound``), as for a report out of their scope: the pages answer 404 (the
API's standings, which say who may ask, answer 403). Every read of reports starts from
``Report.objects.restrict(user)``.

A report *counts* (in a consolidation, in a trend) by its latest submission while it is
submitted or approved (``selectors.COUNTED_STATES``): one returned for correction, or still
being written, says nothing the province has accepted or may yet accept, so it is listed but
not added up. Each counted submission is read with the version it was filed against, and its
figures matched by key to those of the version the period is reported on.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, IntegerField, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from haicap.core.errors import NotFound
from haicap.core.periods import Period
from haicap.core.restricted import Viewer
from haicap.reports import lineage, schedule, selectors, values
from haicap.reports.definition import Definition, Kind
from haicap.reports.models import Report, ReportTemplate, Submission
from haicap.reports.schedule import Deadlines, PeriodKind, Rates
from haicap.reports.selectors import COUNTED_STATES, CommuneStanding
from haicap.reports.values import Entry, Totals
from haicap.units.models import AdministrativeUnit, UnitLineage
from haicap.units.services import REFORM_DATE

OVERVIEW_PERIODS = 6  # the last ended periods the overview shows for each template


def require_province(user: Viewer) -> None:
    if not selectors.reads_every_commune(user):
        raise NotFound("the province's view of the reports is for its reviewers and supervisors")


# -- who filed, period by period ------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodFigures:
    template: ReportTemplate  # the version the period is reported on
    period: Period
    deadlines: Deadlines
    rows: list[CommuneStanding]

    @property
    def rates(self) -> Rates:
        return schedule.rates(row.standing for row in self.rows)


def period_figures(user: Viewer, code: str, start: dt.date, today: dt.date) -> PeriodFigures:
    """Template ``code``'s period starting ``start``, on the version in force for it
    (``NotFound`` when there is none, or no period starts that day)."""
    require_province(user)
    template = selectors.template_in_force(code, start)
    period = selectors.period_of(template, start)
    rows = selectors.standings(template, period, today, Report.objects.restrict(user))
    return PeriodFigures(template, period, selectors.deadlines(template, period), rows)


@dataclass(frozen=True)
class TemplateOverview:
    template: ReportTemplate  # the newest version
    periods: list[PeriodFigures]  # the last ended periods, newest first


def _overview_periods(
    versions: list[ReportTemplate], kind: PeriodKind, today: dt.date, count: int
) -> list[tuple[ReportTemplate, Period]]:
    """The template's last ``count`` ended periods of ``kind`` with the version each is
    reported on, newest first, back to the first before the template or of another kind."""
    found = []
    period = schedule.last_ended(kind, today)
    for _ in range(count):
        version = selectors.version_for(versions, period)
        if version is None:
            break
        found.append((version, period))
        period = schedule.previous(kind, period)
    return found


def _communes_between(first: dt.date, last: dt.date) -> list[AdministrativeUnit]:
    """Every commune in force on some day from ``first`` to ``last``, in the pages' order."""
    overlapping = (Q(valid_from__isnull=True) | Q(valid_from__lte=last)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=first)
    )
    return selectors.by_name(AdministrativeUnit.objects.filter(overlapping, tier="commune"))


def overview(user: Viewer, today: dt.date, count: int = OVERVIEW_PERIODS) -> list[TemplateOverview]:
    """Each template with its last ``count`` ended periods (those a version is in force for):
    the templates, their versions and filers and the communes read once, then one query of
    reports for each template, whatever its periods."""
    require_province(user)
    latest = list(selectors.latest_templates(user))
    versions = selectors.by_code(
        selectors.template_versions(user)
        .filter(code__in=[t.code for t in latest])
        .prefetch_related("filers")
    )
    wanted = {t.code: _overview_periods(versions[t.code], t.kind, today, count) for t in latest}
    ends = [period.end for pairs in wanted.values() for _version, period in pairs]
    communes = _communes_between(min(ends), max(ends)) if ends else []
    visible = Report.objects.restrict(user)  # the reader's scope, worked out once
    found = []
    for template in latest:
        pairs = wanted[template.code]
        reports: dict[dt.date, dict[int, Report]] = {}
        if pairs:
            starts = [period.start for _version, period in pairs]
            for report in selectors.with_submission_counts(
                visible.filter(template_code=template.code, period_start__in=starts)
            ):
                reports.setdefault(report.period_start, {})[report.unit_id] = report
        periods = [
            _figures(version, period, communes, reports.get(period.start, {}), today)
            for version, period in pairs
        ]
        found.append(TemplateOverview(template, periods))
    return found


def _figures(
    version: ReportTemplate,
    period: Period,
    communes: list[AdministrativeUnit],
    reports: Mapping[int, Report],
    today: dt.date,
) -> PeriodFigures:
    units = selectors.expected_among(version, period, communes)
    rows = selectors.standing_rows(version, period, units, reports, today)
    return PeriodFigures(version, period, selectors.deadlines(version, period), rows)


# -- what the communes submitted ------------------------------------------------------------------


def latest_submissions(user: Viewer, reports: Iterable[Report]) -> dict[int, Submission]:
    """Each report's latest submission, by report id (reports never submitted are absent)."""
    ids = [r.pk for r in reports]
    found: dict[int, Submission] = {}
    submissions = (
        Submission.objects.filter(report__in=Report.objects.restrict(user).filter(pk__in=ids))
        .select_related("template")
        .order_by("report_id", "number")
    )
    for submission in submissions:
        found[submission.report_id] = submission  # the highest number comes last
    return found


def entries_of(submission: Submission) -> dict[str, Entry]:
    """What a submission says, read with the version it was filed against."""
    return values.from_json(submission.template.parsed, submission.values)


@dataclass(frozen=True)
class CountedReport:
    submission: Submission
    entries: dict[str, Entry]
    # each number key of the period's version: the submission's own value for it, read with
    # the version it was filed against (``values.numbers_as``)
    numbers: dict[str, Decimal | None]


@dataclass(frozen=True)
class Consolidation:
    figures: PeriodFigures
    counted: dict[int, CountedReport]  # by commune (unit id)
    totals: list[Totals]  # each number key added up over the counted reports

    @property
    def definition(self) -> Definition:
        return self.figures.template.parsed


def consolidation(user: Viewer, code: str, start: dt.date, today: dt.date) -> Consolidation:
    """Every expected commune of the period, and the numbers of those whose report counts
    added up per cell of the version the period is reported on: each submission read with the
    version it was filed against, a figure its version lacks left blank for it
    (``values.numbers_as``)."""
    figures = period_figures(user, code, start, today)
    definition = figures.template.parsed
    reports = [row.report for row in figures.rows if row.counted]
    latest = latest_submissions(user, reports)
    counted = {}
    for report in reports:
        submission = latest[report.pk]  # a submitted or approved report has one
        entries = entries_of(submission)
        numbers = values.numbers_as(submission.template.parsed, entries, definition)
        counted[report.unit_id] = CountedReport(submission, entries, numbers)
    totals = values.add_up_numbers(definition, [(str(u), c.numbers) for u, c in counted.items()])
    return Consolidation(figures, counted, totals)


# -- trends across the reform ---------------------------------------------------------------------


@dataclass(frozen=True)
class NumberKey:
    key: str  # a number cell's key, or "table.column"
    label: str  # the template's words
    unit: str
    adds_up: bool = True  # a count; a share does not add up over communes


def number_keys(definition: Definition) -> list[NumberKey]:
    """The keys a consolidation adds up and a trend follows, with the template's labels."""
    found = []
    for cell in definition.cells:
        if cell.kind == Kind.NUMBER:
            found.append(NumberKey(cell.key, cell.label, cell.unit, cell.adds_up))
        elif cell.kind == Kind.TABLE:
            found.extend(
                NumberKey(f"{cell.key}.{column.key}", f"{cell.label}: {column.label}", "")
                for column in cell.columns
                if column.kind == Kind.NUMBER
            )
    return found


def latest_template(user: Viewer, code: str) -> ReportTemplate:
    found = selectors.latest_templates(user).filter(code=code).first()
    if found is None:
        raise NotFound("no such report template")
    return found


def trend_communes(template: ReportTemplate, today: dt.date) -> list[AdministrativeUnit]:
    """The communes that file the template's newest version now."""
    return selectors.by_name(
        selectors.expected_units(template, schedule.period_of(template.kind, today))
    )


@dataclass(frozen=True)
class FormerCommune:
    unit: AdministrativeUnit
    successors: int  # the current communes it went to


def formers_of(commune: AdministrativeUnit) -> list[FormerCommune]:
    """The former communes ``commune`` was formed from (one query); a commune that was there
    before the reform, formed from none, stands for itself."""
    current_successors = (
        UnitLineage.objects.filter(predecessor=OuterRef("pk"), successor__valid_to__isnull=True)
        .values("predecessor")
        .annotate(n=Count("pk"))
        .values("n")
    )
    formers = (
        AdministrativeUnit.objects.filter(
            tier="commune",
            pk__in=UnitLineage.objects.filter(successor=commune).values("predecessor"),
        )
        .annotate(
            successors=Coalesce(Subquery(current_successors, output_field=IntegerField()), Value(0))
        )
        .order_by("name", "pk")
    )
    found = [FormerCommune(u, u.successors) for u in selectors.by_name(formers)]
    if not found and (commune.valid_from is None or commune.valid_from < REFORM_DATE):
        found = [FormerCommune(commune, 1)]
    return found


def counted_numbers(
    user: Viewer,
    template: ReportTemplate,
    unit_ids: Iterable[int],
    starts: Sequence[dt.date],
    key: str,
) -> dict[tuple[int, dt.date], Decimal | None]:
    """``key``'s value in each unit's latest counted submission, by (unit id, period start):
    ``key`` of ``template``'s version, read in each submission with the version it was filed
    against (``values.numbers_as``); a unit whose report does not count, or whose version
    lacks the figure, is absent (two queries)."""
    shown = template.parsed
    reports = list(
        Report.objects.restrict(user).filter(
            template_code=template.code,
            unit_id__in=list(unit_ids),
            period_start__in=list(starts),
            state__in=COUNTED_STATES,
        )
    )
    latest = latest_submissions(user, reports)
    found: dict[tuple[int, dt.date], Decimal | None] = {}
    for report in reports:
        submission = latest[report.pk]
        filed = submission.template.parsed
        value = values.numbers_as(filed, entries_of(submission), shown).get(key)
        if value is not None:
            found[(report.unit_id, report.period_start)] = value
    return found


MOST_PERIODS = 240  # twenty years of months: more is no chart anyone reads


def _periods(kind: PeriodKind, first: dt.date, last: dt.date) -> list[Period]:
    """The periods starting from ``first`` on, up to the one holding ``last``: at most
    ``MOST_PERIODS``, made one by one (a span of centuries is never walked through)."""
    period = schedule.period_of(kind, first)
    if period.start < first:
        period = schedule.following(kind, period)
    found = []
    while period.start <= last and len(found) < MOST_PERIODS:
        found.append(period)
        period = schedule.following(kind, period)
    return found


@dataclass(frozen=True)
class Trend:
    template: ReportTemplate  # the newest version
    key: NumberKey
    commune: AdministrativeUnit
    formers: list[FormerCommune]
    periods: list[Period]
    points: list[lineage.Point]  # one per period

    def names(self) -> dict[int, str]:
        return {f.unit.pk: f.unit.name for f in self.formers} | {self.commune.pk: self.commune.name}


def trend(
    user: Viewer,
    template: ReportTemplate,
    key: NumberKey,
    commune: AdministrativeUnit,
    first: dt.date,
    last: dt.date,
) -> Trend:
    """The commune's value of ``key`` in each period from the one holding ``first`` to the one
    holding ``last`` (those a version of the template is in force for): its own report's for
    a period ending from 1 July 2025 on, its former communes' sum for one that ended before."""
    require_province(user)
    since = (
        ReportTemplate.objects.restrict(user)
        .filter(code=template.code)
        .aggregate(first=Min("in_force_from"))["first"]
    )
    periods = _periods(template.kind, max(first, since), last)
    formers = formers_of(commune)
    starts = [p.start for p in periods]
    units = {commune.pk} | {f.unit.pk for f in formers}
    found = counted_numbers(user, template, units, starts, key.key)
    points = lineage.series(
        commune.pk,
        [lineage.Former(f.unit.pk, f.successors) for f in formers],
        found,
        periods,
        REFORM_DATE,
    )
    return Trend(template, key, commune, formers, periods, points)
