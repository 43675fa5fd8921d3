"""The rows of the capital plans' Fiscal Data Package (``fiscal_package``), read for a user.

Scoped like every capital read: Finance and the supervisors export the province, an investor
(a commune's bodies, a provincial agency) the projects it invests in, with their balances,
ledger entries and disbursement. The rows are read by a fixed number of queries, whatever the
number of projects, and streamed (``iterator``) into the package rather than held.

Labels (fields, sources, levels, kinds) are written in Vietnamese whatever the reader's
language: the package is the province's publication, and the same whoever downloads it.
"""

import datetime as dt
import tempfile
from collections.abc import Iterator, Sequence
from typing import IO, Any

from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext as _

from haicap.budget import fiscal_package as fp
from haicap.budget import fiscal_tables as ft
from haicap.budget import selectors
from haicap.budget.demo_data import NOTE as DEMO_NOTE
from haicap.budget.demo_data import PROJECTS as DEMO_PROJECTS
from haicap.budget.models import (
    Disbursement,
    InvestmentField,
    LedgerEntry,
    Level,
    Plan,
    Source,
)
from haicap.core import clock
from haicap.core.errors import InvalidInput
from haicap.core.restricted import Viewer
from haicap.core.text import search_key
from haicap.units.selectors import the_province

LANGUAGE = "vi"  # the labels' language in the package
CHUNK = 2000  # rows fetched at a time while streaming
IN_MEMORY = 8 * 1024 * 1024  # a larger package spills to a temporary file
DEMO_CODES = frozenset(p.code for p in DEMO_PROJECTS)


def offered_plans(user: Viewer) -> list[Plan]:
    """The plans the user may export: every plan to whoever reads a project."""
    return list(selectors.visible_plans(user).order_by("first_year", "last_year", "code"))


def chosen_plans(
    user: Viewer, codes: Sequence[str], offered: list[Plan] | None = None
) -> list[Plan]:
    """The plans named by ``codes`` (every plan offered when none is named); a code the user
    cannot export is refused, named."""
    if offered is None:
        offered = offered_plans(user)
    if not codes:
        return offered
    known = {plan.code for plan in offered}
    unknown = sorted(set(codes) - known)
    if unknown:
        raise InvalidInput(
            _("No such capital plan: %(codes)s.") % {"codes": ", ".join(unknown)},
            code="unknown_plan",
        )
    return [plan for plan in offered if plan.code in set(codes)]


def _labels(choices: Any) -> ft.Choices:
    with translation.override(LANGUAGE):
        return tuple((str(value), str(label)) for value, label in choices.choices)


def codes() -> ft.Codes:
    return ft.Codes(
        fields=_labels(InvestmentField),
        sources=_labels(Source),
        levels=_labels(Level),
        kinds=_labels(LedgerEntry.Kind),
        plan_kinds=_labels(Plan.Kind),
    )


def note_for(user: Viewer) -> str:
    """The demo's warning when the projects exported are the demo's: illustrative figures
    say so wherever they are read."""
    demo = selectors.visible_projects(user).filter(code__in=sorted(DEMO_CODES)).exists()
    return DEMO_NOTE if demo else ""


def meta(user: Viewer, plans: Sequence[Plan], *, note: str | None = None) -> fp.Meta:
    """What the descriptor says of the package. ``note`` (said first) defaults to the demo's
    warning when the projects are the demo's illustrative ones."""
    province = the_province()
    place = province.full_name if province is not None else _("the province")
    with translation.override(LANGUAGE):
        title = _("Public-investment capital plans and their changes, %(province)s") % {
            "province": place
        }
        description = _(
            "The capital plans (the medium-term plan 2021–2025 and the annual plans) of each "
            "public-investment project, by source and budget level, every change to them "
            "recorded in the ledger (including the transfer of the abolished districts' "
            "capital to the province or the communes), and the monthly disbursement. Amounts "
            "in whole đồng."
        )
        description += " " + _(
            "The units registry holds no official code for an abolished district unless one was "
            "recorded: former_district_code is then empty, and former_district_name names the "
            "district."
        )
        if not selectors.reads_province(user):
            description += " " + _("Only the projects the exporter's own body invests in.")
        publisher = _("Public-investment capital ledger of %(province)s (haicap)") % {
            "province": place
        }
    if note is None:
        note = note_for(user)
    years = (min(p.first_year for p in plans), max(p.last_year for p in plans)) if plans else None
    slug = "-".join(search_key(province.name).split()) if province is not None else "province"
    return fp.Meta(
        name=f"haicap-capital-plans-{slug}",
        title=title,
        description=description,
        publisher=publisher,
        created=clock.now(),
        years=years,
        codes=codes(),
        note=note,
    )


def descriptor(user: Viewer, plans: Sequence[Plan], *, note: str | None = None) -> dict:
    return fp.descriptor(meta(user, plans, note=note))


# --- the rows ----------------------------------------------------------------------------------


def _plan_rows(plans: Sequence[Plan], labels: dict[str, str]) -> Iterator[ft.PlanRow]:
    for plan in plans:
        yield ft.PlanRow(
            plan.code, plan.name, plan.kind, labels[plan.kind], plan.first_year, plan.last_year
        )


def _project_rows(user: Viewer, codes: ft.Codes) -> Iterator[ft.ProjectRow]:
    fields = dict(codes.fields)
    levels = dict(codes.levels)
    projects = selectors.visible_projects(user).order_by("code")
    for project in projects.iterator(chunk_size=CHUNK):
        investor = project.investor
        level = selectors.destination_level(project)
        location, district = project.location, project.former_district
        yield ft.ProjectRow(
            code=project.code,
            name=project.name,
            field_code=project.field,
            field_label=fields.get(project.field, project.field),
            location_code=location.code if location else None,
            location_name=location.full_name if location else None,
            investor_level=level,
            investor_level_label=levels[level] if level else None,
            investor_unit_code=investor.unit.code if investor else None,
            investor_unit_name=investor.unit.full_name if investor else None,
            investor_code=investor.code if investor else None,
            investor_name=investor.name if investor else None,
            former_investor=project.former_investor or None,
            former_district_code=district.code if district else None,
            former_district_name=district.full_name if district else None,
            total_investment=project.total_investment,
        )


def _entries(user: Viewer, plans: Sequence[Plan]):
    return LedgerEntry.objects.restrict(user).filter(plan__in=[p.pk for p in plans])


def _balance_rows(user: Viewer, plans: Sequence[Plan], codes: ft.Codes) -> Iterator[ft.BalanceRow]:
    if not plans:
        return
    years = {p.code: (p.first_year, p.last_year) for p in plans}
    sources, levels = dict(codes.sources), dict(codes.levels)
    grouped = (
        _entries(user, plans)
        .values_list("plan__code", "project__code", "source", "level")
        .annotate(total=Sum("amount"))
        .order_by("plan__code", "project__code", "source", "level")
    )
    for plan, project, source, level, total in grouped.iterator(chunk_size=CHUNK):
        if total:
            first, last = years[plan]
            yield ft.BalanceRow(
                plan, first, last, project, source, sources[source], level, levels[level], total
            )


def _change_rows(user: Viewer, plans: Sequence[Plan], codes: ft.Codes) -> Iterator[ft.ChangeRow]:
    if not plans:
        return
    kinds = dict(codes.kinds)
    entries = (
        _entries(user, plans)
        .order_by("pk")
        .values_list(
            "pk",
            "plan__code",
            "project__code",
            "source",
            "level",
            "amount",
            "kind",
            "decision_number",
            "decision_date",
            "reason",
            "batch_id",
            "reverses_id",
        )
    )
    for (
        pk,
        plan,
        project,
        source,
        level,
        amount,
        kind,
        number,
        day,
        reason,
        batch,
        reverses,
    ) in entries.iterator(chunk_size=CHUNK):
        yield ft.ChangeRow(
            pk,
            plan,
            project,
            source,
            level,
            amount,
            kind,
            kinds[kind],
            number,
            day,
            reason,
            batch,
            reverses,
        )


def _disbursement_rows(user: Viewer, plans: Sequence[Plan]) -> Iterator[ft.DisbursementRow]:
    """The months of the plans' years."""
    if not plans:
        return
    first, last = min(p.first_year for p in plans), max(p.last_year for p in plans)
    months = (
        Disbursement.objects.restrict(user)
        .filter(year__gte=first, year__lte=last)
        .order_by("project__code", "year", "month")
        .values_list("project__code", "year", "month", "amount")
    )
    for project, year, month, amount in months.iterator(chunk_size=CHUNK):
        yield ft.DisbursementRow(project, year, month, amount)


def rows(user: Viewer, plans: Sequence[Plan]) -> ft.Rows:
    """The package's rows, read lazily (each table's query runs when it is written)."""
    found = codes()
    return ft.Rows(
        plans=_plan_rows(plans, dict(found.plan_kinds)),
        projects=_project_rows(user, found),
        balances=_balance_rows(user, plans, found),
        changes=_change_rows(user, plans, found),
        disbursement=_disbursement_rows(user, plans),
    )


def write(user: Viewer, plans: Sequence[Plan], target: IO[bytes]) -> None:
    fp.write_zip(target, meta(user, plans), rows(user, plans))


def package_file(user: Viewer, plans: Sequence[Plan]) -> IO[bytes]:
    """The zipped package in a temporary file (in memory while small), rewound."""
    spooled = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 (the caller's)
    write(user, plans, spooled)
    spooled.seek(0)
    return spooled


def file_name(on: dt.date) -> str:
    return f"ke-hoach-von-dau-tu-cong-{on:%Y%m%d}.zip"
