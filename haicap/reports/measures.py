"""The reporting figure a directive's target can be bound to (``haicap.core.measures``): "xã
Bạch Hà files its reports on time: timeliness ≥ 90 % this year".

``reports.timeliness``: of the reports a commune was expected to file over the target's period,
the share first submitted by their late-after day (DHIS2's timeliness, as the province's pages
count it: ``schedule.rates``). A report is counted in the period holding the last day of its own
reporting period, once that has ended; one still within its grace days counts as expected and
not yet on time, as it does on the province's pages. For the whole province (no commune) every
expected commune's reports are added up. Each period is reported on the template version in
force then, with its own filers and days. There is nothing to measure before the period begins
or where nothing was expected (a commune that files no report). Reports have no field
(``reads_field``). Read province-wide: the value is the same whoever looks.
"""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from haicap.core.measures import Measure, Unit
from haicap.core.periods import Period
from haicap.reports import schedule, selectors
from haicap.reports.models import Report, ReportTemplate


def _expected_periods(start: dt.date, end: dt.date) -> Iterator[tuple[ReportTemplate, Period]]:
    """Each template's periods ending from ``start`` to ``end``, with the version in force."""
    every = ReportTemplate.objects.prefetch_related("filers").order_by("code", "version")
    for versions in selectors.by_code(every).values():
        for kind in sorted({v.kind for v in versions}):
            for period in schedule.periods_between(kind, start, end):
                version = selectors.version_for(versions, period)
                if version is not None and start <= period.end <= end:
                    yield version, period


def _filers(version: ReportTemplate, period: Period, unit_id: int | None) -> set[int]:
    """The communes expected to file ``version`` for ``period`` (``unit_id``'s alone, if given)."""
    units = selectors.expected_units(version, period)
    if unit_id is not None:
        units = units.filter(pk=unit_id)
    return set(units.values_list("pk", flat=True))


def reporting_rates(
    unit_id: int | None, start: dt.date, end: dt.date, today: dt.date
) -> schedule.Rates:
    """The rates (``schedule.Rates``) of the reports a commune (or every commune) was expected
    to file for the reporting periods ending from ``start`` to ``end``, as of ``today``."""
    expected = [
        (version, period, filer)
        for version, period in _expected_periods(start, end)
        for filer in _filers(version, period, unit_id)
    ]
    reports = Report.objects.filter(
        template_code__in={v.code for v, _p, _u in expected},
        period_start__in={p.start for _v, p, _u in expected},
        unit_id__in={u for _v, _p, u in expected},
    )
    first = {
        (code, unit, begins): selectors.local_day(at)
        for code, unit, begins, at in reports.values_list(
            "template_code", "unit_id", "period_start", "first_submitted_at"
        )
    }
    return schedule.rates(
        schedule.standing(
            period,
            selectors.deadlines(version, period),
            first.get((version.code, filer, period.start)),
            today,
        )
        for version, period, filer in expected
    )


def timeliness(
    unit_id: int | None, field_code: str | None, start: dt.date, end: dt.date
) -> Decimal | None:
    today = selectors.today()
    if start > today or end < start:
        return None
    return reporting_rates(unit_id, start, end, today).timeliness


TIMELINESS = Measure(
    key="reports.timeliness",
    label=_("Share of the commune reports expected that were filed on time"),
    unit=Unit.PERCENT,
    higher_is_better=True,
    compute=timeliness,
    reads_field=False,
)
MEASURES = (TIMELINESS,)
