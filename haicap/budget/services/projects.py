"""Writes of projects and plans: the three plans haicap keeps, a project with its structure of
sources (created or corrected, audited), and the plan workbook's import (``import_plan``), all
or nothing.

A project's code never changes. Its structure of sources (``Funding``) is how its total
investment is funded: the sources add up to the total, to the đồng. Its investor after the
reform is an agency of a current unit (a provincial agency, or a commune's), which decides the
level its district capital moves to (``selectors.destination_level``). ``actor`` is the Finance
officer who writes; every write records an audit entry in its transaction.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.budget import permissions
from haicap.budget.models import Funding, InvestmentField, Plan, Project, Source
from haicap.budget.money import format_vnd
from haicap.core import clock
from haicap.core.audit import record_change, snapshot
from haicap.core.errors import Conflict, InvalidInput, NotFound
from haicap.core.validators import check_text
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit, Agency

# The plans haicap keeps: the medium-term allocation and the annual plans the transfer and the
# disbursement follow.
PLANS = (
    ("2021-2025", "Kế hoạch đầu tư công trung hạn giai đoạn 2021–2025", Plan.Kind.MEDIUM_TERM),
    ("2025", "Kế hoạch đầu tư công năm 2025", Plan.Kind.ANNUAL),
    ("2026", "Kế hoạch đầu tư công năm 2026", Plan.Kind.ANNUAL),
)
INVESTOR_TIERS = (Tier.PROVINCE, Tier.COMMUNE)


def today() -> dt.date:
    """Today in Vietnam (the project's time zone): the one reading of "today" for capital."""
    return timezone.localdate(clock.now())


def require_arranger(actor: User) -> None:
    permissions.require(permissions.arranges_capital(actor))


def ensure_plans(actor: User | None = None) -> dict[str, Plan]:
    """The plans of ``PLANS`` by code, each created (and audited) the first time it is needed."""
    plans = {plan.code: plan for plan in Plan.objects.filter(code__in=[p[0] for p in PLANS])}
    with transaction.atomic():
        for code, name, kind in PLANS:
            if code in plans:
                continue
            first, _dash, last = code.partition("-")
            plan, made = Plan.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "kind": kind,
                    "first_year": int(first),
                    "last_year": int(last or first),
                },
            )
            if made:
                record_change("capital_plan.created", plan, actor=actor, after=snapshot(plan))
            plans[code] = plan
    return plans


# --- what a project is --------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectDetails:
    """Everything about a project but its code, as a form, a sheet or the API gives it."""

    name: str
    field: str
    total_investment: int
    fundings: Mapping[str, int]  # source → đồng (the sources given, each above 0)
    location: AdministrativeUnit | None = None
    investor: Agency | None = None
    former_investor: str = ""
    former_district: AdministrativeUnit | None = None


def details_of(project: Project) -> ProjectDetails:
    return ProjectDetails(
        name=project.name,
        field=project.field,
        total_investment=project.total_investment,
        fundings={f.source: f.amount for f in project.fundings.all()},
        location=project.location,
        investor=project.investor,
        former_investor=project.former_investor,
        former_district=project.former_district,
    )


def details_problems(details: ProjectDetails) -> dict[str, str]:
    """What is wrong with ``details``, by field name, in the reader's language."""
    problems: dict[str, str] = {}
    if not details.name.strip():
        problems["name"] = _("A project has a name.")
    if details.field not in InvestmentField.values:
        problems["field"] = _("Choose the project's field.")
    if details.total_investment <= 0:
        problems["total_investment"] = _("The total investment is a whole number of đồng above 0.")
    unknown = set(details.fundings) - set(Source.values)
    bad = [amount for amount in details.fundings.values() if amount <= 0]
    if unknown or bad:
        problems["fundings"] = _("Each source's amount is a whole number of đồng above 0.")
    elif sum(details.fundings.values()) != details.total_investment:
        problems["fundings"] = _(
            "The sources add up to %(sources)s đồng, not the total investment of %(total)s đồng."
        ) % {
            "sources": format_vnd(sum(details.fundings.values())),
            "total": format_vnd(details.total_investment),
        }
    location = details.location
    if location is not None and (location.tier != Tier.COMMUNE or location.valid_to is not None):
        problems["location"] = _("A project is built in a current commune or ward.")
    investor = details.investor
    if investor is not None and (
        investor.unit.valid_to is not None or investor.unit.tier not in INVESTOR_TIERS
    ):
        problems["investor"] = _(
            "The investor after the reform is a provincial agency or a current commune's."
        )
    district = details.former_district
    if district is not None and district.tier != Tier.DISTRICT:
        problems["former_district"] = _("The former district is one of the abolished districts.")
    return problems


def check_details(details: ProjectDetails) -> None:
    problems = details_problems(details)
    if problems:
        raise InvalidInput(" ".join(problems.values()), fields=problems)
    check_text("name", details.name)
    check_text("former_investor", details.former_investor)


def _state(project: Project) -> dict:
    """The audited state of a project: its row and its structure of sources."""
    fundings = {f.source: f.amount for f in project.fundings.all()}
    return {**snapshot(project), "fundings": dict(sorted(fundings.items()))}


def _write(project: Project, details: ProjectDetails) -> None:
    project.name = details.name.strip()
    project.field = details.field
    project.total_investment = details.total_investment
    project.location = details.location
    project.investor = details.investor
    project.former_investor = details.former_investor.strip()
    project.former_district = details.former_district


def _write_fundings(project: Project, fundings: Mapping[str, int]) -> None:
    """The structure of sources becomes ``fundings``: sources no longer given go."""
    held = {f.source: f for f in Funding.objects.filter(project=project)}
    for source, funding in held.items():
        if source not in fundings:
            funding.delete()
    for source, amount in fundings.items():
        funding = held.get(source)
        if funding is None:
            Funding.objects.create(project=project, source=source, amount=amount)
        elif funding.amount != amount:
            funding.amount = amount
            funding.save(update_fields=["amount"])
    if hasattr(project, "_prefetched_objects_cache"):
        project._prefetched_objects_cache.pop("fundings", None)


def create_project(actor: User, code: str, details: ProjectDetails) -> Project:
    """A new project with its structure of sources (Finance)."""
    require_arranger(actor)
    code = code.strip().upper()
    if not code:
        raise InvalidInput(_("A project has a code."))
    check_text("code", code)
    check_details(details)
    with transaction.atomic():
        if Project.objects.filter(code=code).exists():
            raise Conflict(_("A project with the code %(code)s exists already.") % {"code": code})
        project = Project(code=code)
        _write(project, details)
        project.save()
        _write_fundings(project, details.fundings)
        record_change("project.created", project, actor=actor, after=_state(project))
    return project


def locked_project(project: Project) -> Project:
    locked = (
        Project.objects.select_for_update(of=("self",))
        .select_related("investor__unit", "location", "former_district")
        .filter(pk=project.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("No such project."))
    return locked


def save_changes(actor: User, project: Project, details: ProjectDetails) -> bool:
    """Write ``details`` over the project, audited with what changed; whether anything did."""
    before = _state(project)
    _write(project, details)
    project.save()
    _write_fundings(project, details.fundings)
    after = _state(project)
    changed = {key: value for key, value in after.items() if before.get(key) != value}
    if changed:
        record_change(
            "project.updated",
            project,
            actor=actor,
            before={key: before.get(key) for key in changed},
            after=changed,
        )
    return bool(changed)


def update_project(actor: User, project: Project, details: ProjectDetails) -> Project:
    """Correct a project (never its code) and its structure of sources (Finance)."""
    require_arranger(actor)
    check_details(details)
    with transaction.atomic():
        project = locked_project(project)
        if details_of(project) != details:
            save_changes(actor, project, details)
    return project
