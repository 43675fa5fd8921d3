"""What each commune needs of each kind its equipment norms name, and what it holds, computed
for the whole province (or some communes) from a fixed number of queries, never one per
commune or per kind.

A commune's desks are its agencies marked as one-stop desks (``Agency.is_one_stop_desk``); its
offices are all its agencies, the desk among them. It holds the assets of the kind its agencies
hold that are in use and usable (not ``unusable``): one marked surplus is waiting to go
elsewhere and counts for nothing here, like one that no longer works. The arithmetic is the
pure ``needs.need_of``.

Read by the gap table (``selectors.gap_table``), the allocation (``services.allocation``),
the briefing pack's section and the directive measures. Who may read which communes is the
caller's business; this module computes.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from haicap.assets.models import USABLE, Asset, AssetKind, EquipmentNorm
from haicap.assets.needs import Need, Norm, need_of
from haicap.core.collation import vietnamese_key
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit, Agency


def counted_as_held() -> Q:
    """The assets a commune counts against its norms: in use, and usable."""
    return Q(status=Asset.Status.IN_USE, condition__in=list(USABLE))


@dataclass(frozen=True)
class KindNorm:
    """A kind's norms: how many per one-stop desk and per office, with their notes."""

    kind: AssetKind
    norm: Norm
    notes: tuple[str, ...] = ()


@dataclass
class ProvinceGaps:
    """The communes (in Vietnamese alphabetical order), the kinds that have a norm (likewise),
    and each commune's need of each kind, by (unit id, kind code)."""

    communes: list[AdministrativeUnit]
    kinds: list[KindNorm]
    desks: dict[int, int] = field(default_factory=dict)
    offices: dict[int, int] = field(default_factory=dict)
    cells: dict[tuple[int, str], Need] = field(default_factory=dict)

    def of(self, unit_id: int, kind_code: str) -> Need | None:
        return self.cells.get((unit_id, kind_code))

    def kind(self, code: str) -> KindNorm | None:
        return next((k for k in self.kinds if k.kind.code == code), None)

    def total_gap(self, unit_id: int | None = None, kind_code: str | None = None) -> int:
        """The items lacking, added up over communes and kinds (one commune's spare items do
        not fill another's gap)."""
        return sum(
            need.gap
            for (unit, code), need in self.cells.items()
            if unit_id in (None, unit) and kind_code in (None, code)
        )


def kind_norms() -> list[KindNorm]:
    """Each kind the province sets a norm for, per desk and per office, by name."""
    per: dict[int, dict] = defaultdict(lambda: {"desk": 0, "office": 0, "notes": []})
    kinds: dict[int, AssetKind] = {}
    for norm in EquipmentNorm.objects.select_related("kind").order_by("kind__code", "per"):
        kinds[norm.kind_id] = norm.kind
        per[norm.kind_id][norm.per] = norm.count
        if norm.note:
            per[norm.kind_id]["notes"].append(norm.note)
    found = [
        KindNorm(
            kind=kinds[pk],
            norm=Norm(per_desk=per[pk]["desk"], per_office=per[pk]["office"]),
            notes=tuple(dict.fromkeys(per[pk]["notes"])),
        )
        for pk in kinds
    ]
    return sorted(found, key=lambda k: (vietnamese_key(k.kind.name), k.kind.code))


def current_communes(unit_ids: list[int] | None = None) -> list[AdministrativeUnit]:
    """The province's communes and wards now, in Vietnamese alphabetical order."""
    units = AdministrativeUnit.objects.filter(tier=Tier.COMMUNE, valid_to=None)
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
    return sorted(units, key=lambda u: (vietnamese_key(u.name), u.pk))


def province_gaps(unit_ids: list[int] | None = None) -> ProvinceGaps:
    """Each current commune's (of ``unit_ids``, or every one's) need of each kind with a norm."""
    kinds = kind_norms()
    found = ProvinceGaps(current_communes(unit_ids), kinds)
    if not found.communes or not kinds:
        return found
    ids = [c.pk for c in found.communes]
    agencies = (
        Agency.objects.filter(unit_id__in=ids)
        .values("unit_id")
        .annotate(offices=Count("pk"), desks=Count("pk", filter=Q(is_one_stop_desk=True)))
        .order_by()
    )
    for row in agencies:
        found.offices[row["unit_id"]] = row["offices"]
        found.desks[row["unit_id"]] = row["desks"]
    held = {
        (unit, code): n
        for unit, code, n in Asset.objects.filter(counted_as_held())
        .filter(holder__unit_id__in=ids, kind_id__in=[k.kind.pk for k in kinds])
        .values_list("holder__unit_id", "kind__code")
        .annotate(n=Count("pk"))
        .order_by()
    }
    for commune in found.communes:
        desks, offices = found.desks.get(commune.pk, 0), found.offices.get(commune.pk, 0)
        for kind in kinds:
            code = kind.kind.code
            found.cells[(commune.pk, code)] = need_of(
                kind.norm, desks, offices, held.get((commune.pk, code), 0)
            )
    return found
