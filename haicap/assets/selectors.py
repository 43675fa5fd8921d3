"""Reads of asset records, each through its kind's one scoping rule (``restrict``)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haicap.assets.gaps import KindNorm, ProvinceGaps, kind_norms, province_gaps
from haicap.assets.models import (
    AllocationProposal,
    Asset,
    AssetKind,
    Category,
    EquipmentNorm,
    administers_assets,
)
from haicap.assets.needs import Need
from haicap.core.collation import vietnamese_key
from haicap.core.errors import NotFound
from haicap.core.restricted import Viewer
from haicap.core.scoping import scope_of
from haicap.core.text import search_key
from haicap.units.models import AdministrativeUnit


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


# --- what each commune lacks: the gap table, a cell's items, the norms, the proposals ----------


@dataclass(frozen=True)
class GapSum:
    """Needs added up (a row, a column, the table): gaps and items beyond the need each on
    their own, since one commune's spare item does not fill another's gap."""

    needed: int = 0
    held: int = 0
    gap: int = 0
    beyond: int = 0

    def plus(self, need: Need) -> "GapSum":
        return GapSum(
            self.needed + need.needed,
            self.held + need.held,
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

    def _sum(self, unit_id: int | None = None, kind_code: str | None = None) -> GapSum:
        total = GapSum()
        for commune in self.communes:
            for kind in self.kinds:
                if unit_id not in (None, commune.pk) or kind_code not in (None, kind.kind.code):
                    continue
                need = self.cell(commune.pk, kind.kind.code)
                if need is not None:
                    total = total.plus(need)
        return total

    def row_total(self, unit_id: int) -> GapSum:
        return self._sum(unit_id=unit_id)

    def column_total(self, kind_code: str) -> GapSum:
        return self._sum(kind_code=kind_code)

    def total(self) -> GapSum:
        return self._sum()


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
