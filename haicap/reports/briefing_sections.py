"""The briefing pack's reports section (``haicap.core.briefing``): for each commune visited, its
last periodic reports (the report, its period, whether it was filed on time, late or not, and
where it stood) and the difficulties and proposals of its latest counted submission, what the
working group should hear about first.

"Last" is each template's last three periods ended by the pack's last day that the commune had
to file, on the version in force for each (``selectors.version_for``): a half-year's or a
year's reports as well as a month's, read by their template and period, not by a window of
days. Everything is read as it stood on the pack's last day: a submission or a decision made
after it is not counted yet. The latest counted submission is the newest submission of the
latest of those reports, by period, that was then awaiting the province or approved (a
returned one waits for its correction). Read province-wide like the other sections: what the
pack says of a commune is the same whoever prepares it. Six queries, whatever the number of
communes.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.calendar.workdays import VIETNAM
from haicap.core.briefing import PackSection, Period, Table
from haicap.core.periods import Period as ReportPeriod
from haicap.reports import schedule, selectors, values
from haicap.reports.labels import STANDING_LABELS
from haicap.reports.models import Report, ReportEvent, ReportTemplate, Submission
from haicap.units.models import AdministrativeUnit

PERIODS_SHOWN = 3  # of each template
# What each step of a report's history leaves it as.
STATE_AFTER = {
    ReportEvent.Kind.OPENED: Report.State.DRAFT,
    ReportEvent.Kind.SUBMITTED: Report.State.SUBMITTED,
    ReportEvent.Kind.RETURNED: Report.State.RETURNED,
    ReportEvent.Kind.APPROVED: Report.State.APPROVED,
}


def _expected(
    communes: Sequence[AdministrativeUnit], last_day: dt.date
) -> Iterator[tuple[AdministrativeUnit, ReportTemplate, ReportPeriod]]:
    """Each commune's reports due for the last periods ended by ``last_day``, newest first."""
    every = ReportTemplate.objects.prefetch_related("filers").order_by("code", "-version")
    for versions in selectors.by_code(every).values():
        kind = versions[0].kind  # the newest version's: its series
        period = schedule.last_ended(kind, last_day + dt.timedelta(days=1))
        for _n in range(PERIODS_SHOWN):
            version = selectors.version_for(versions, period)
            if version is None:
                break  # before the template, or an older version's periods of another kind
            for commune in selectors.expected_among(version, period, communes):
                yield commune, version, period
            period = schedule.previous(kind, period)


def _any_of(shown: set[tuple[str, dt.date]]) -> Q:
    """The reports of these (template code, period start) pairs: a few per template, whatever
    the number of communes."""
    condition = Q(pk__in=[])
    for code, start in sorted(shown):
        condition |= Q(template_code=code, period_start=start)
    return condition


def _states_at(reports: Sequence[Report], end: dt.datetime) -> dict[int, str]:
    """Where each report stood just before ``end``, as its history then left it."""
    states = {}
    events = ReportEvent.objects.filter(report__in=reports, at__lt=end).order_by("at", "pk")
    for report_id, kind in events.values_list("report_id", "kind"):
        states[report_id] = STATE_AFTER.get(kind, states.get(report_id, Report.State.DRAFT))
    return states


def _highlights(
    commune_reports: Sequence[Report], states: Mapping[int, str], end: dt.datetime
) -> dict[int, tuple[Report, tuple[tuple[str, str], ...]]]:
    """Each commune's latest counted submission before ``end``: (report, its highlighted text
    cells as (label, text))."""
    latest: dict[int, Report] = {}
    for report in sorted(commune_reports, key=lambda r: r.period_start, reverse=True):
        if states.get(report.pk) in selectors.COUNTED_STATES:
            latest.setdefault(report.unit_id, report)
    submissions: dict[int, Submission] = {}
    chosen = Submission.objects.filter(report__in=list(latest.values()), submitted_at__lt=end)
    for submission in chosen.select_related("template").order_by("number"):
        submissions[submission.report_id] = submission  # the newest wins
    found = {}
    for unit_id, report in latest.items():
        submission = submissions.get(report.pk)
        if submission is None:
            continue
        parsed = submission.template.parsed
        entries = values.from_json(parsed, submission.values)
        texts = tuple(
            (cell.label, entries[cell.key].value)
            for cell in parsed.cells
            if cell.highlight and cell.key in entries and entries[cell.key].value
        )
        found[unit_id] = (report, texts)
    return found


def build_reports(
    viewer: object, commune_ids: tuple[int, ...], period: Period
) -> Mapping[int, Sequence[Table]]:
    last_day = period.end
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(0), VIETNAM)
    communes = list(AdministrativeUnit.objects.filter(pk__in=commune_ids))
    expected = list(_expected(communes, last_day))
    shown = {(version.code, report_period.start) for _c, version, report_period in expected}
    reports = list(
        Report.objects.filter(_any_of(shown), unit_id__in=commune_ids).select_related("template")
    )
    states = _states_at(reports, end)
    by_key = {(r.template_code, r.unit_id, r.period_start): r for r in reports}
    rows: dict[int, list[tuple]] = defaultdict(list)
    for commune, version, report_period in expected:
        report = by_key.get((version.code, commune.pk, report_period.start))
        first = report.first_submitted_at if report is not None else None
        first_day = selectors.local_day(first) if first is not None and first < end else None
        standing = schedule.standing(
            report_period, selectors.deadlines(version, report_period), first_day, last_day
        )
        state = states.get(report.pk) if report is not None else None
        rows[commune.pk].append(
            (
                version.name,
                report_period.start,
                report_period.end,
                str(STANDING_LABELS[standing]),
                str(Report.State(state).label) if state else _("Not opened"),
            )
        )
    highlights = _highlights(reports, states, end)
    built = {}
    for unit_id in commune_ids:
        if unit_id not in rows and unit_id not in highlights:
            continue  # files no report: nothing to say
        report, texts = highlights.get(unit_id, (None, ()))
        said = (
            _("Difficulties and proposals, as submitted for %(start)s–%(end)s")
            % {
                "start": report.period_start.strftime("%d/%m/%Y"),
                "end": report.period_end.strftime("%d/%m/%Y"),
            }
            if report is not None
            else _("Difficulties and proposals")
        )
        built[unit_id] = (
            Table(
                title=_("Its last periodic reports"),
                header=(_("Report"), _("From"), _("To"), _("Filing"), _("State")),
                rows=tuple(rows.get(unit_id, ())),
            ),
            Table(
                title=said,
                header=(_("Part of the report"), _("What the commune wrote")),
                rows=texts,
            ),
        )
    return built


REPORTS = PackSection(
    key="reports.periodic",
    title=gettext_lazy("Periodic reports, difficulties and proposals"),
    order=60,  # after the capital: what the commune itself says of all the above
    build=build_reports,
)
