"""Reads of asset records, each through its kind's one scoping rule (``restrict``)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.assets import takeover_document
from haicap.assets.gaps import KindNorm, ProvinceGaps, kind_norms, province_gaps
from haicap.assets.models import (
    AllocationProposal,
    Asset,
    AssetKind,
    Category,
    DisposalPlan,
    DisposalUpdate,
    EquipmentNorm,
    Movement,
    TakeoverLine,
    TakeoverRecord,
    administers_assets,
)
from haicap.assets.needs import Need
from haicap.assets.permissions import arranges_assets, edits_agency_assets
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.collation import vietnamese_key
from haicap.core.errors import InvalidInput, NotFound
from haicap.core.ordering import in_vietnamese_order
from haicap.core.restricted import Viewer
from haicap.core.scoping import scope_of
from haicap.core.task_status import Outcome, Status, status_of
from haicap.core.text import search_key
from haicap.units.kinds import AgencyKind, Duty, Tier
from haicap.units.models import AdministrativeUnit, Agency, AgencyDuty, UnitLineage
from haicap.units.selectors import the_province


def reads_province(user: Viewer) -> bool:
    """Reads every commune's assets (Finance, supervisors)."""
    return administers_assets(scope_of(user))


def visible_communes(user: Viewer) -> list[int] | None:
    """The communes (unit ids) whose assets ``user`` reads: None for the whole province."""
    return None if reads_province(user) else sorted(scope_of(user).communes)


def visible_assets(user: Viewer) -> QuerySet[Asset]:
    return Asset.objects.restrict(user).select_related("kind", "holder__unit", "origin")


def get_asset(user: Viewer, asset_id: int) -> Asset:
    asset = visible_assets(user).filter(pk=asset_id).first()
    if asset is None:
        raise NotFound(_("No such asset."))
    return asset


# --- take-over records ------------------------------------------------------------------------


def visible_takeovers(user: Viewer, *, signed: bool | None = None) -> QuerySet[TakeoverRecord]:
    """The records ``user`` reads (Finance and supervisors all, a commune those handing
    something to it), each with its assets counted, those without a destination, and totals."""
    records = (
        TakeoverRecord.objects.restrict(user)
        .select_related("former_unit", "signed_by")
        .annotate(
            asset_count=Count("lines"),
            without_destination=Count(
                "lines", filter=Q(lines__destination__isnull=True, lines__disposal="")
            ),
            original_total=Sum("lines__asset__original_value"),
            remaining_total=Sum("lines__asset__remaining_value"),
        )
    )
    if signed is not None:
        records = records.filter(signed_on__isnull=not signed)
    # as Vietnamese readers sort names: "Đà Sơn" after every D, "Lạc Sơn" before "Lưu Sơn"
    return in_vietnamese_order(records, "former_unit__tier", "former_unit__name")


def get_takeover(user: Viewer, record_id: int) -> TakeoverRecord:
    record = visible_takeovers(user).filter(pk=record_id).first()
    if record is None:
        raise NotFound(_("No such take-over record."))
    return record


def takeover_lines(record: TakeoverRecord) -> QuerySet[TakeoverLine]:
    """The lines of a record the user was allowed to read (``get_takeover``): the whole record,
    since it is one document every party signs."""
    return record.lines.select_related(
        "asset__kind", "asset__holder__unit", "destination__unit"
    ).order_by("asset__identifier")


def get_takeover_line(user: Viewer, record_id: int, line_id: int) -> TakeoverLine:
    record = get_takeover(user, record_id)
    line = takeover_lines(record).filter(pk=line_id).first()
    if line is None:
        raise NotFound(_("No such asset on the record."))
    return line


def abolished_units_without_record(user: Viewer) -> QuerySet[AdministrativeUnit]:
    """The abolished units (former districts, merged communes) with no take-over record yet, for
    those who read the province; nothing for the others."""
    if not reads_province(user):
        return AdministrativeUnit.objects.none()
    opened = TakeoverRecord.objects.restrict(user).values("former_unit")
    return (
        AdministrativeUnit.objects.filter(
            valid_to__isnull=False, tier__in=(Tier.DISTRICT, Tier.COMMUNE)
        )
        .exclude(pk__in=opened)
        .select_related("parent")
        .order_by("tier", "name")
    )


def get_abolished_unit(user: Viewer, unit_id: int) -> AdministrativeUnit:
    """An abolished unit (a former district or merged commune), for those reading the
    province."""
    unit = None
    if reads_province(user):
        unit = AdministrativeUnit.objects.filter(
            pk=unit_id, valid_to__isnull=False, tier__in=(Tier.DISTRICT, Tier.COMMUNE)
        ).first()
    if unit is None:
        raise NotFound(_("No such abolished unit."))
    return unit


def receiving_agencies(user: Viewer) -> QuerySet[Agency]:
    """The agencies an asset may go to: a current commune's, or the province's."""
    return (
        Agency.objects.restrict(user)
        .filter(unit__valid_to__isnull=True, unit__tier__in=(Tier.COMMUNE, Tier.PROVINCE))
        .select_related("unit")
        .order_by("unit__tier", "unit__name", "code")
    )


def record_destinations(
    user: Viewer, record: TakeoverRecord
) -> tuple[QuerySet[Agency], QuerySet[Agency]]:
    """The agencies a record's assets are offered to first: those of the communes the abolished
    unit became, and the province's (any other receiving agency may be named by its code)."""
    successors = UnitLineage.objects.filter(predecessor=record.former_unit).values("successor")
    agencies = receiving_agencies(user)
    return agencies.filter(unit__in=successors), agencies.filter(unit__tier=Tier.PROVINCE)


def get_receiving_agency(user: Viewer, code: str) -> Agency:
    agency = receiving_agencies(user).filter(code=code).first()
    if agency is None:
        raise InvalidInput(
            _("There is no agency %(code)s of a current commune or of the province.")
            % {"code": code}
        )
    return agency


def agency_words(agency: Agency) -> str:
    """An agency as a record names it: a commune's People's Committee as "UBND xã Đô Lương"."""
    if agency.kind == AgencyKind.COMMUNE_PEOPLES_COMMITTEE:
        return f"UBND {agency.unit.full_name}"
    return agency.name


def takeover_paper(user: Viewer, record_id: int) -> takeover_document.Record:
    """The record the user reads, as its printed document says it (in Vietnamese, whatever the
    reader's language: it is an administrative document)."""
    record = get_takeover(user, record_id)
    finance = (
        AgencyDuty.objects.filter(duty=Duty.ASSETS).select_related("agency").order_by("pk").first()
    )
    province = the_province()
    lineage = (
        UnitLineage.objects.filter(predecessor=record.former_unit)
        .exclude(legal_basis="")
        .values_list("legal_basis", flat=True)
        .first()
    )
    with translation.override("vi"):
        items = [
            takeover_document.Item(
                identifier=line.asset.identifier,
                name=line.asset.name,
                kind=line.asset.kind.name,
                original_value=line.asset.original_value,
                remaining_value=line.asset.remaining_value,
                condition=str(line.asset.get_condition_display()),
                destination=(
                    agency_words(line.destination)
                    if line.destination
                    else takeover_document.DISPOSAL_WORDS.get(line.disposal, "")
                ),
                disposed=bool(line.disposal),
            )
            for line in takeover_lines(record)
        ]
    return takeover_document.Record(
        issuer_parent=f"Ủy ban nhân dân {province.full_name}" if province else "",
        issuer=finance.agency.name if finance else "Sở Tài chính",
        number=record.number,
        place=province.name if province else "",
        signed_on=record.signed_on,
        former_unit=record.former_unit.full_name,
        handed_by=record.handed_by,
        received_by=record.received_by,
        items=items,
        legal_basis=lineage or "",
    )


# --- surplus offices' disposal plans ----------------------------------------------------------

PLAN_STATUS_LABELS = {
    Status.IN_PROGRESS: gettext_lazy("In progress, within the deadline"),
    Status.OVERDUE: gettext_lazy("In progress, overdue"),
    Status.DONE_ON_TIME: gettext_lazy("Done on time"),
    Status.DONE_LATE: gettext_lazy("Done late"),
    Status.NOT_ACHIEVED: gettext_lazy("Not done (closed)"),
}


def today() -> dt.date:
    return clock.now().astimezone(VIETNAM).date()


def plan_status(plan: DisposalPlan, on: dt.date) -> Status:
    """A plan's status on ``on``: the directives' rule."""
    outcome = Outcome(plan.outcome) if plan.outcome else None
    return status_of(plan.deadline, plan.closed_on, outcome, on)


def plan_status_condition(status: Status, on: dt.date) -> Q:
    """``status_of`` as a condition on plans, to filter a list in the database."""
    open_ = Q(closed_on__isnull=True)
    achieved = Q(closed_on__isnull=False, outcome=Outcome.ACHIEVED)
    return {
        Status.IN_PROGRESS: open_ & Q(deadline__gte=on),
        Status.OVERDUE: open_ & Q(deadline__lt=on),
        Status.DONE_ON_TIME: achieved & Q(closed_on__lte=F("deadline")),
        Status.DONE_LATE: achieved & Q(closed_on__gt=F("deadline")),
        Status.NOT_ACHIEVED: Q(closed_on__isnull=False, outcome=Outcome.NOT_ACHIEVED),
    }[status]


def commune_of_plans(commune_id: int) -> Q:
    """A plan concerns a commune when the office is held there or one of its agencies is
    responsible."""
    return Q(office__holder__unit_id=commune_id) | Q(responsible__unit_id=commune_id)


def visible_disposal_plans(
    user: Viewer,
    *,
    status: Status | None = None,
    commune_id: int | None = None,
    on: dt.date | None = None,
) -> QuerySet[DisposalPlan]:
    """The plans ``user`` reads (Finance and supervisors all; a commune or agency those of the
    offices it holds or is responsible for), with their last progress, by deadline."""
    last = DisposalUpdate.objects.filter(plan=OuterRef("pk")).order_by("-on", "-recorded_at", "-pk")
    plans = (
        DisposalPlan.objects.restrict(user)
        .select_related("office__kind", "office__holder__unit", "office__origin", "responsible")
        .annotate(
            last_progress=Subquery(last.values("text")[:1]),
            last_progress_on=Subquery(last.values("on")[:1]),
        )
        .order_by("deadline", "pk")
    )
    if status is not None:
        plans = plans.filter(plan_status_condition(Status(status), on or today()))
    if commune_id is not None:
        plans = plans.filter(commune_of_plans(commune_id))
    return plans


def get_disposal_plan(user: Viewer, plan_id: int) -> DisposalPlan:
    plan = visible_disposal_plans(user).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(_("No such disposal plan."))
    return plan


def plan_updates(plan: DisposalPlan) -> QuerySet[DisposalUpdate]:
    """A plan's progress, newest first (the plan already read through ``get_disposal_plan``)."""
    return plan.updates.select_related("by").order_by("-on", "-recorded_at", "-pk")


def surplus_offices_without_plan(user: Viewer) -> QuerySet[Asset]:
    """The surplus offices the user sees that have no disposal plan yet."""
    return (
        visible_assets(user)
        .filter(
            kind__category=Category.LAND_BUILDING,
            status=Asset.Status.SURPLUS,
            disposal_plan__isnull=True,
        )
        .order_by("identifier")
    )


def plan_communes(user: Viewer) -> QuerySet[AdministrativeUnit]:
    """The communes the plans the user reads concern, to filter by."""
    plans = visible_disposal_plans(user)
    ids = set(plans.values_list("office__holder__unit_id", flat=True))
    ids |= set(plans.values_list("responsible__unit_id", flat=True))
    return AdministrativeUnit.objects.filter(pk__in=ids, tier=Tier.COMMUNE).order_by("name")


def responsible_agencies(user: Viewer) -> QuerySet[Agency]:
    """The agencies a plan may be put in the charge of: the communes' People's Committees and
    the province's own (a short list, not every office of every commune)."""
    return receiving_agencies(user).filter(
        kind__in=(
            AgencyKind.COMMUNE_PEOPLES_COMMITTEE,
            AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE,
            AgencyKind.PPC_OFFICE,
            AgencyKind.DEPARTMENT,
        )
    )


# --- what each commune lacks: the gap table, a cell's items, the norms, the proposals ----------


@dataclass(frozen=True)
class GapSum:
    """Needs added up (a row, a column, the table): gaps and items beyond the need each on
    their own, since one commune's spare item does not fill another's gap, nor a spare
    computer a missing printer. ``held`` counts the items within each need (a kind's held
    capped at its need), so held + gap = needed and the items beyond are said apart."""

    needed: int = 0
    held: int = 0
    gap: int = 0
    beyond: int = 0

    def plus(self, need: Need) -> "GapSum":
        return GapSum(
            self.needed + need.needed,
            self.held + min(need.held, need.needed),
            self.gap + need.gap,
            self.beyond + need.beyond,
        )


@dataclass(frozen=True)
class GapTable:
    """The communes (rows, in Vietnamese alphabetical order) by the kinds with a norm (columns)
    a reader asked for: each cell what the commune needs and holds."""

    communes: list[AdministrativeUnit]
    kinds: list[KindNorm]
    gaps: ProvinceGaps

    def cell(self, unit_id: int, kind_code: str) -> Need | None:
        return self.gaps.of(unit_id, kind_code)

    def desks(self, unit_id: int) -> int:
        return self.gaps.desks.get(unit_id, 0)

    def offices(self, unit_id: int) -> int:
        return self.gaps.offices.get(unit_id, 0)

    def _sum(self, communes: list[AdministrativeUnit], kinds: list[KindNorm]) -> GapSum:
        total = GapSum()
        for commune in communes:
            for kind in kinds:
                need = self.cell(commune.pk, kind.kind.code)
                if need is not None:
                    total = total.plus(need)
        return total

    def row_total(self, unit_id: int) -> GapSum:
        """One commune's row (only its cells: a table reads a row per commune)."""
        return self._sum([c for c in self.communes if c.pk == unit_id], self.kinds)

    def column_total(self, kind_code: str) -> GapSum:
        return self._sum(self.communes, [k for k in self.kinds if k.kind.code == kind_code])

    def total(self) -> GapSum:
        return self._sum(self.communes, self.kinds)


def _name_matches(unit: AdministrativeUnit, typed: str) -> bool:
    return search_key(typed) in search_key(unit.name)


def norm_kinds(user: Viewer) -> list[KindNorm]:
    """The kinds the province sets a norm for (reference data: every officer reads them)."""
    return kind_norms() if scope_of(user).user_id is not None else []


def gap_table(
    user: Viewer, kind_code: str | None = None, lacking_only: bool = False, query: str = ""
) -> GapTable:
    """What the communes ``user`` reads (the province, or their own) need and hold of each
    kind with a norm (or ``kind_code``'s), those lacking it only if ``lacking_only``, those
    whose name holds ``query`` only if given."""
    found = province_gaps(visible_communes(user))
    kinds = [k for k in found.kinds if kind_code in (None, "", k.kind.code)]

    def lacking(unit_id: int) -> bool:
        return any(found.of(unit_id, k.kind.code).gap for k in kinds)

    communes = [
        c
        for c in found.communes
        if (not query.strip() or _name_matches(c, query)) and (not lacking_only or lacking(c.pk))
    ]
    return GapTable(communes, kinds, found)


@dataclass(frozen=True)
class GapItems:
    """One cell of the gap table with the items behind it: every item of the kind the
    commune's agencies hold (those not counted too, each saying why)."""

    commune: AdministrativeUnit
    kind: KindNorm
    need: Need
    desks: int
    offices: int
    items: list[Asset]


def gap_items(user: Viewer, unit_id: int, kind_id: int) -> GapItems:
    """A commune's items of a kind; a commune the user does not read, or a kind without a
    norm, is not found."""
    communes = visible_communes(user)
    if communes is not None and unit_id not in communes:
        raise NotFound(_("No such commune."))
    found = province_gaps([unit_id])
    kind = next((k for k in found.kinds if k.kind.pk == kind_id), None)
    if not found.communes or kind is None:
        raise NotFound(_("The province sets no norm for this kind."))
    items = (
        visible_assets(user)
        .filter(holder__unit_id=unit_id, kind_id=kind_id)
        .exclude(status=Asset.Status.DISPOSED)
        .order_by("identifier")
    )
    return GapItems(
        commune=found.communes[0],
        kind=kind,
        need=found.of(unit_id, kind.kind.code),
        desks=found.desks.get(unit_id, 0),
        offices=found.offices.get(unit_id, 0),
        items=list(items),
    )


def equipment_norms(user: Viewer) -> list[EquipmentNorm]:
    """The norms, by their kind's name, per desk before per office."""
    norms = EquipmentNorm.objects.restrict(user).select_related("kind")
    return sorted(norms, key=lambda n: (vietnamese_key(n.kind.name), n.kind.code, n.per))


def get_norm(user: Viewer, norm_id: int) -> EquipmentNorm:
    norm = EquipmentNorm.objects.restrict(user).select_related("kind").filter(pk=norm_id).first()
    if norm is None:
        raise NotFound(_("No such norm."))
    return norm


def equipment_kinds(user: Viewer) -> list[AssetKind]:
    """The kinds of equipment (a norm is set for equipment), by name."""
    kinds = AssetKind.objects.restrict(user).filter(category=Category.EQUIPMENT)
    return sorted(kinds, key=lambda k: (vietnamese_key(k.name), k.code))


def visible_proposals(user: Viewer) -> QuerySet[AllocationProposal]:
    return AllocationProposal.objects.restrict(user).select_related(
        "asset__kind", "asset__holder__unit", "to_agency__unit", "decided_by", "movement"
    )


def get_proposal(user: Viewer, proposal_id: int) -> AllocationProposal:
    proposal = visible_proposals(user).filter(pk=proposal_id).first()
    if proposal is None:
        raise NotFound(_("No such proposal."))
    return proposal


@dataclass(frozen=True)
class ProposalRow:
    """A proposal with what it does to the receiving commune's gap of its kind. An open
    proposal: the gap now (less the open proposals before it to the same commune and kind),
    and after it. A decided one: the gap now (None when the kind has no norm any more)."""

    proposal: AllocationProposal
    gap_before: int | None
    gap_after: int | None


def proposal_rows(user: Viewer, proposals: list[AllocationProposal]) -> list[ProposalRow]:
    """``proposals`` with their gaps, from the same fixed queries however many there are."""
    units = sorted({p.to_agency.unit_id for p in proposals})
    found = province_gaps(units) if units else None
    # open proposals count against the gap in the order they were made
    ahead: dict[tuple[int, str], int] = defaultdict(int)
    rows = []
    for proposal in sorted(proposals, key=lambda p: p.pk):
        key = (proposal.to_agency.unit_id, proposal.asset.kind.code)
        need = found.of(*key) if found else None
        if need is None:
            rows.append(ProposalRow(proposal, None, None))
        elif proposal.status == AllocationProposal.Status.PROPOSED:
            before = max(0, need.gap - ahead[key])
            ahead[key] += 1
            rows.append(ProposalRow(proposal, before, max(0, before - 1)))
        else:
            rows.append(ProposalRow(proposal, None, need.gap))
    order = {p.pk: index for index, p in enumerate(proposals)}
    return sorted(rows, key=lambda r: order[r.proposal.pk])


# --- the register (``register_views``, the API) ------------------------------------------------


def filter_assets(
    user: Viewer,
    *,
    category: str | None = None,
    kind_id: int | None = None,
    commune_id: int | None = None,
    holder_id: int | None = None,
    status: str | None = None,
    condition: str | None = None,
    origin_id: int | None = None,
    query: str = "",
) -> QuerySet[Asset]:
    """The assets ``user`` sees that match: their kind's category or the kind, their holder's
    commune (a unit id) or the holder, their status and condition, the former unit they came
    from, and every word of ``query`` in their identifier or name (accents ignored)."""
    assets = visible_assets(user).select_related("origin__parent")
    if category:
        assets = assets.filter(kind__category=category)
    if kind_id is not None:
        assets = assets.filter(kind_id=kind_id)
    if commune_id is not None:
        assets = assets.filter(holder__unit_id=commune_id)
    if holder_id is not None:
        assets = assets.filter(holder_id=holder_id)
    if status:
        assets = assets.filter(status=status)
    if condition:
        assets = assets.filter(condition=condition)
    if origin_id is not None:
        assets = assets.filter(origin_id=origin_id)
    words = search_key(query).split()
    if words:
        # Names have no folded copy to search in the database: fold them here (the register
        # of a province holds thousands of assets, not millions).
        matching = [
            pk
            for pk, identifier, name in assets.values_list("pk", "identifier", "name")
            if all(word in search_key(f"{identifier} {name}") for word in words)
        ]
        assets = assets.filter(pk__in=matching)
    return assets


# The orders the list offers: a column, the identifier breaking ties.
ASSET_SORTS = {
    "identifier": ("identifier",),
    "name": ("name", "identifier"),
    "kind": ("kind__category", "kind__code", "identifier"),
    "holder": ("holder__code", "identifier"),
    "-original_value": ("-original_value", "identifier"),
    "-remaining_value": ("-remaining_value", "identifier"),
    "acquired_year": ("acquired_year", "identifier"),
    "-acquired_year": ("-acquired_year", "identifier"),
}


def sorted_assets(assets: QuerySet[Asset], sort: str) -> QuerySet[Asset]:
    return assets.order_by(*ASSET_SORTS.get(sort, ASSET_SORTS["identifier"]))


@dataclass(frozen=True)
class Totals:
    count: int
    original_value: int
    remaining_value: int


def asset_totals(assets: QuerySet[Asset]) -> Totals:
    """How many, and what they are worth together (in đồng)."""
    found = assets.order_by().aggregate(
        count=Count("pk"), original=Sum("original_value"), remaining=Sum("remaining_value")
    )
    return Totals(found["count"], found["original"] or 0, found["remaining"] or 0)


def asset_movements(user: Viewer, asset: Asset) -> list[Movement]:
    """The asset's history, oldest first: from whom, to whom, when, by which decision, recorded
    by whom."""
    return list(
        Movement.objects.restrict(user)
        .filter(asset=asset)
        .select_related("from_agency__unit", "to_agency__unit", "recorded_by")
        .order_by("on", "pk")
    )


def last_movements(assets: Iterable[Asset]) -> dict[int, Movement]:
    """The latest movement of each asset (the day it came to where it is)."""
    latest: dict[int, Movement] = {}
    rows = Movement.objects.filter(asset__in=[a.pk for a in assets]).order_by("asset", "on", "pk")
    for movement in rows:
        latest[movement.asset_id] = movement
    return latest


def may_edit_asset(user: Viewer, asset: Asset) -> bool:
    """Corrects all of the asset (Finance), while it is not disposed of."""
    return asset.status != Asset.Status.DISPOSED and arranges_assets(user)


def may_edit_condition(user: Viewer, asset: Asset) -> bool:
    """Corrects the asset's condition, or declares it surplus: Finance, or an administrator or
    leader of the body holding it (not a read-only reader)."""
    if asset.status == Asset.Status.DISPOSED or asset.holder is None:
        return False
    if arranges_assets(user):
        return True
    return not scope_of(user).read_only and edits_agency_assets(user, asset.holder)


def asset_kinds() -> QuerySet[AssetKind]:
    return AssetKind.objects.order_by("category", "code")


def former_units() -> list[AdministrativeUnit]:
    """The units abolished in 2025 (the 20 former district-level units first, then the merged
    communes), in Vietnamese order, each with what it became (``became``: the new units)."""
    units = list(AdministrativeUnit.objects.exclude(valid_to=None).select_related("parent"))
    became: dict[int, list[AdministrativeUnit]] = {}
    links = UnitLineage.objects.filter(predecessor__in=units).select_related("successor")
    for link in links:
        became.setdefault(link.predecessor_id, []).append(link.successor)
    for unit in units:
        unit.became = sorted(became.get(unit.pk, []), key=lambda u: vietnamese_key(u.name))
    return sorted(
        units, key=lambda u: (u.tier != Tier.DISTRICT, vietnamese_key(u.name), u.kind, u.pk)
    )


def current_agencies(user: Viewer) -> QuerySet[Agency]:
    """The agencies of units that exist, which an asset may go to."""
    return (
        Agency.objects.restrict(user)
        .filter(unit__valid_to=None)
        .select_related("unit")
        .order_by("-unit__tier", "unit__search_name", "code")
    )
