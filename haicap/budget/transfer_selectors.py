"""Reads of transfer batches: the batches a user may see (the province's readers only), one
batch with its entries, and its review: the ledger's check over the plan's balances, the
differences explained project by project, the entries grouped by project with their subtotals,
the province's totals before and after, and the projects still waiting for an investor.

A draft is checked against the plan as it is now. An approved batch is not checked again (today's
investors may differ from those it was approved for): it shows the entries it wrote to the
ledger and the decision that approved it."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from haicap.budget import explain, ledger, selectors
from haicap.budget.models import BatchEntry, LedgerEntry, Plan, Project, TransferBatch
from haicap.core.errors import NotFound
from haicap.core.restricted import Viewer
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit


def visible_batches(user: Viewer) -> QuerySet[TransferBatch]:
    """The batches, newest first, each with its number of entries and the capital it moves."""
    return (
        TransferBatch.objects.restrict(user)
        .select_related("plan", "district", "approved_by")
        .annotate(
            entry_count=Count("entries"),
            moved=Sum("entries__amount", filter=Q(entries__amount__gt=0), default=0),
        )
    )


def get_batch(user: Viewer, batch_id: int) -> TransferBatch:
    batch = visible_batches(user).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound(_("No such transfer batch."))
    return batch


def get_entry(user: Viewer, batch: TransferBatch, entry_id: int) -> BatchEntry:
    entry = (
        BatchEntry.objects.restrict(user)
        .filter(batch=batch, pk=entry_id)
        .select_related("project")
        .first()
    )
    if entry is None:
        raise NotFound(_("No such entry in this transfer batch."))
    return entry


def get_batch_project(user: Viewer, batch: TransferBatch, code: str) -> Project:
    """A project of the batch's former district (any former district's when it names none)."""
    project = (
        batch_projects(batch)
        .filter(code=code, pk__in=Project.objects.restrict(user).values("pk"))
        .first()
    )
    if project is None:
        raise NotFound(
            _("No project %(code)s of the former district in this transfer.") % {"code": code}
        )
    return project


def former_districts(user: Viewer) -> QuerySet[AdministrativeUnit]:
    """The abolished districts that allocated capital to a project the user reads."""
    return AdministrativeUnit.objects.filter(
        tier=Tier.DISTRICT,
        pk__in=Project.objects.restrict(user).values("former_district"),
    ).order_by("name")


def get_former_district(user: Viewer, unit_id: int) -> AdministrativeUnit:
    district = former_districts(user).filter(pk=unit_id).first()
    if district is None:
        raise NotFound(_("No such former district has allocated capital to a project."))
    return district


def district_projects(district: AdministrativeUnit | None) -> QuerySet[Project]:
    """The projects ``district`` allocated capital to (every abolished district's when None),
    with their investors' units. Not scoped: only the province's readers reach a batch."""
    projects = Project.objects.select_related("investor__unit")
    if district is None:
        return projects.filter(former_district__isnull=False)
    return projects.filter(former_district=district)


def batch_projects(batch: TransferBatch) -> QuerySet[Project]:
    """The projects a batch looks at: its district's and any its entries name."""
    projects = Project.objects.select_related("investor__unit")
    of_district = (
        Q(former_district=batch.district_id)
        if batch.district_id
        else Q(former_district__isnull=False)
    )
    return projects.filter(of_district | Q(pk__in=batch.entries.values("project"))).order_by("code")


def _entries_before(batch: TransferBatch) -> QuerySet[LedgerEntry]:
    """The ledger entries the batch is checked against: all of them for a draft; for an approved
    batch, those written before its own."""
    entries = LedgerEntry.objects.filter(plan_id=batch.plan_id)
    if batch.is_draft:
        return entries
    first = batch.ledger_entries.order_by("pk").values_list("pk", flat=True).first()
    return entries.filter(pk__lt=first) if first is not None else entries


def held_before(batch: TransferBatch, projects: QuerySet[Project]) -> dict[ledger.Key, int]:
    """What each (project, source, level) of ``projects`` holds before the batch, in one
    query."""
    rows = (
        _entries_before(batch)
        .filter(project__in=projects.values("pk"))
        .values_list("project__code", "source", "level")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {(code, source, level): total for code, source, level, total in rows if total}


def dated_before(
    batch: TransferBatch, projects: QuerySet[Project]
) -> dict[ledger.Key, list[tuple[dt.date, int]]]:
    """The (decision day, amount) of every ledger entry of each (project, source, level) of
    ``projects`` before the batch: when each balance held what (``reform``)."""
    dated: dict[ledger.Key, list[tuple[dt.date, int]]] = {}
    rows = (
        _entries_before(batch)
        .filter(project__in=projects.values("pk"))
        .values_list("project__code", "source", "level", "decision_date", "amount")
        .order_by()
    )
    for code, source, level, day, amount in rows:
        dated.setdefault((code, source, level), []).append((day, amount))
    return dated


def plan_total_before(batch: TransferBatch) -> int:
    """The plan's total over every project of the province, before the batch."""
    return _entries_before(batch).aggregate(total=Sum("amount", default=0))["total"]


def rule_entries(entries: list[BatchEntry]) -> list[ledger.Entry]:
    return [ledger.Entry(e.project.code, e.source, e.level, e.amount) for e in entries]


def entries_of(batch: TransferBatch) -> list[BatchEntry]:
    return list(
        batch.entries.select_related("project__investor__unit").order_by(
            "project__code", "source", "amount"
        )
    )


def written_entries(batch: TransferBatch) -> list[LedgerEntry]:
    """The ledger entries an approved batch wrote, in the order of a draft's."""
    return list(
        batch.ledger_entries.select_related("project__investor__unit").order_by(
            "project__code", "source", "amount"
        )
    )


def check_batch(batch: TransferBatch) -> ledger.Check:
    """The ledger's check of the batch: the plan's balances of the batch's projects (before the
    batch), its entries, and where each project's capital belongs now."""
    projects = list(batch_projects(batch))
    return ledger.check_transfer(
        held_before(batch, batch_projects(batch)),
        rule_entries(entries_of(batch)),
        selectors.destinations(projects),
    )


def facts(projects: list[Project]) -> dict[str, explain.ProjectFacts]:
    return {
        p.code: explain.ProjectFacts(
            code=p.code,
            name=p.name,
            investor=p.investor.name if p.investor_id else None,
            destination=selectors.destination_level(p),
        )
        for p in projects
    }


@dataclass
class ProjectRows:
    """One project's entries in a batch, with what they take and give."""

    project: Project
    entries: list[BatchEntry | LedgerEntry]  # a draft's, or what an approved one wrote
    decreases: int = 0  # positive
    increases: int = 0
    problems: list[explain.Explanation] = field(default_factory=list)

    @property
    def gap(self) -> int:
        return self.increases - self.decreases


@dataclass
class Review:
    batch: TransferBatch
    check: ledger.Check
    explanations: list[explain.Explanation]
    groups: list[ProjectRows]
    decreases: int
    increases: int
    province_before: int
    province_after: int
    waiting: list[tuple[Project, int]]  # projects without an investor, their district capital

    @property
    def approvable(self) -> bool:
        return self.check.approvable and bool(self.groups)

    @property
    def verdict(self) -> str:
        """An approved batch's verdict: the decision that approved it ("" for a draft)."""
        if self.batch.is_draft:
            return ""
        return _(
            "Approved by decision %(number)s of %(day)s: its entries are written to the ledger "
            "and can no longer change."
        ) % {
            "number": self.batch.decision_number,
            "day": self.batch.decision_date.strftime("%d/%m/%Y"),
        }


def review(batch: TransferBatch) -> Review:
    """Everything the batch's page and the API show about it, in a handful of queries."""
    projects = list(batch_projects(batch))
    by_code = {p.code: p for p in projects}
    held = held_before(batch, batch_projects(batch))
    before = plan_total_before(batch)
    entries: list[BatchEntry] | list[LedgerEntry]
    if batch.is_draft:
        entries = entries_of(batch)
        check = ledger.check_transfer(held, rule_entries(entries), selectors.destinations(projects))
        explanations = explain.explain(check, facts(projects))
    else:
        # It passed the check when it was written: today's investors do not judge it again.
        entries = written_entries(batch)
        moved = sum(entry.amount for entry in entries)
        check, explanations = ledger.Check((), before, before + moved), []
    groups: dict[str, ProjectRows] = {}
    for entry in entries:
        rows = groups.setdefault(entry.project.code, ProjectRows(entry.project, []))
        rows.entries.append(entry)
        if entry.amount < 0:
            rows.decreases -= entry.amount
        else:
            rows.increases += entry.amount
    for explanation in explanations:
        if explanation.project in groups:
            groups[explanation.project].problems.append(explanation)
    district_held: dict[str, int] = {}
    for (code, _source, level), amount in held.items():
        if level == ledger.DISTRICT and by_code[code].investor_id is None:
            district_held[code] = district_held.get(code, 0) + amount
    moved = sum(entry.amount for entry in entries)
    return Review(
        batch=batch,
        check=check,
        explanations=explanations,
        groups=list(groups.values()),
        decreases=sum(g.decreases for g in groups.values()),
        increases=sum(g.increases for g in groups.values()),
        province_before=before,
        province_after=before + moved,
        waiting=[
            (by_code[code], amount) for code, amount in sorted(district_held.items()) if amount > 0
        ],
    )


def draftable_plans(user: Viewer) -> QuerySet[Plan]:
    """The plans a transfer may be drafted in, the latest first: those the user reads."""
    return selectors.visible_plans(user).order_by("-first_year", "kind")


@dataclass
class ReceivedTransfer:
    """The approved transfer of one project's capital of one source, as the ledger holds it:
    what left ``from_levels`` and reached ``to_levels`` under the batch's decision."""

    project: Project
    source: str
    from_levels: list[str]
    to_levels: list[str]
    amount: int
    decision_number: str
    decision_date: object  # datetime.date


def received_transfers(user: Viewer) -> list[ReceivedTransfer]:
    """The approved transfer entries of the projects ``user`` reads (a commune's, for one who
    is not the province's), paired side by side per batch, project and source. Read from the
    ledger, not the batches: those stay the province's."""
    entries = (
        LedgerEntry.objects.restrict(user)
        .filter(kind=LedgerEntry.Kind.TRANSFER)
        .select_related("project")
        .order_by("-decision_date", "batch_id", "project__code", "source", "pk")
    )
    paired: dict[tuple[int, int, str], ReceivedTransfer] = {}
    for entry in entries:
        key = (entry.batch_id, entry.project_id, entry.source)
        row = paired.setdefault(
            key,
            ReceivedTransfer(
                entry.project, entry.source, [], [], 0, entry.decision_number, entry.decision_date
            ),
        )
        if entry.amount < 0:
            row.from_levels.append(entry.level)
        else:
            row.to_levels.append(entry.level)
            row.amount += entry.amount
    return list(paired.values())
