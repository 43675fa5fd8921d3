"""Publishing a report template's version: checked whole, never edited afterwards.

A version never rewrites a filed period: it cannot come into force on or before the start of a
period some commune has already submitted that template's report for. And a template keeps its
period kind: a report is one per commune and period start, so a quarterly version of a monthly
template would collide with the month starting on the same day (a new kind is a new code).
"""

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence

from django.db import transaction
from django.db.models import Max

from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.characters import first_unacceptable
from haicap.core.errors import InvalidInput
from haicap.core.measures import Unit
from haicap.core.report_sources import report_sources
from haicap.reports import definition as template_definition
from haicap.reports.models import Report, ReportTemplate
from haicap.reports.schedule import PeriodKind
from haicap.units.models import AdministrativeUnit


def check_source(key: str, params: Mapping[str, str]) -> list[str]:
    """What is wrong with a cell's source, as the registry knows it."""
    source = report_sources.get(key)
    if source is None:
        return [f"no report source is registered as {key!r}"]
    problems = [
        f"the source {key!r} takes no parameter {name!r}" for name in source.unknown_params(params)
    ]
    problems += [
        f"the source {key!r} needs the parameter {name!r}" for name in source.missing_params(params)
    ]
    return problems


def _shares_marked(parsed: template_definition.Definition) -> list[str]:
    """A cell pre-filled with a share says so ("%"), so that nobody adds communes' shares up."""
    return [
        f"{cell.key}: the source {cell.source.key!r} gives a share: set the cell's unit to %"
        for cell in parsed.cells
        if cell.source is not None
        and (source := report_sources.get(cell.source.key)) is not None
        and source.unit == Unit.PERCENT
        and cell.adds_up
    ]


# A template's code is a slug (it names the template in addresses and files).
CODE = re.compile(r"[-a-zA-Z0-9_]{1,60}")


def _fits_earlier_versions(code: str, period_kind: str, in_force_from: dt.date) -> list[str]:
    """What stops a new version of ``code``: another period kind than its versions', or a
    start on or before a period already filed."""
    problems = []
    kinds = set(ReportTemplate.objects.filter(code=code).values_list("period_kind", flat=True))
    if kinds - {period_kind}:
        problems.append(
            f"period: {code} reports by {', '.join(sorted(kinds))}; "
            "a template by another period needs a new code"
        )
    filed = (
        Report.objects.filter(
            template_code=code, period_start__gte=in_force_from, first_submitted_at__isnull=False
        )
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .first()
    )
    if filed is not None:
        problems.append(
            f"in force from: the report of the period starting {filed:%Y-%m-%d} has been "
            "submitted already; a new version comes into force after the last period filed"
        )
    return problems


def communes_coded(codes: Sequence[str]) -> list[AdministrativeUnit]:
    """The communes in force with these official codes; ``InvalidInput`` naming any unknown."""
    found = {
        u.code: u
        for u in AdministrativeUnit.objects.filter(
            code__in=list(codes), tier="commune", valid_to=None
        )
    }
    unknown = sorted(set(codes) - set(found))
    if unknown:
        raise InvalidInput(f"no commune in force has the code {', '.join(unknown)}")
    return [found[c] for c in dict.fromkeys(codes)]


def publish(
    actor: object | None,
    *,
    code: str,
    name: str,
    period_kind: str,
    due_days: int,
    late_after_days: int,
    definition: object,
    in_force_from: dt.date,
    filers: Iterable[AdministrativeUnit] = (),
) -> ReportTemplate:
    """Publish the next version of template ``code`` (its first when new), filed by ``filers``
    (none: every commune in force; ``communes_coded`` finds current ones by code). The
    definition is checked whole, its sources against the registry; ``InvalidInput`` lists
    every problem."""
    problems: list[str] = []
    try:
        parsed = template_definition.parse(definition, check_source)
    except template_definition.DefinitionError as error:
        problems.extend(str(p) for p in error.problems)
        parsed = None
    if parsed is not None:
        problems.extend(_shares_marked(parsed))
    if period_kind not in {k.value for k in PeriodKind}:
        problems.append(f"period: one of {', '.join(k.value for k in PeriodKind)}")
    if not 0 <= due_days <= late_after_days:
        problems.append("due days: from 0 to the late-after days")
    filers = list(filers)
    if any(unit.tier != "commune" for unit in filers):
        problems.append("filers: only communes and wards file reports")
    if not name.strip():
        problems.append("name: required")
    elif (found := first_unacceptable(name)) is not None:
        problems.append(f"name: {found}")
    if not CODE.fullmatch(code):
        problems.append("code: 1 to 60 letters, digits, - or _")
    if problems or parsed is None:
        raise InvalidInput("; ".join(problems), problems=problems)
    with transaction.atomic():
        # The code's versions, locked so two publications cannot take the same number.
        list(ReportTemplate.objects.select_for_update().filter(code=code).values_list("pk"))
        problems = _fits_earlier_versions(code, period_kind, in_force_from)
        if problems:
            raise InvalidInput("; ".join(problems), problems=problems)
        last = ReportTemplate.objects.filter(code=code).aggregate(last=Max("version"))["last"]
        template = ReportTemplate.objects.create(
            code=code,
            version=(last or 0) + 1,
            name=name.strip(),
            period_kind=period_kind,
            due_days=due_days,
            late_after_days=late_after_days,
            definition=template_definition.to_data(parsed),
            in_force_from=in_force_from,
            published_at=clock.now(),
            published_by=actor if getattr(actor, "pk", None) else None,
        )
        template.filers.set(filers)
        record_change(
            "report_template.published",
            template,
            actor=actor,
            after={"code": code, "version": template.version},
        )
    return template
