"""Reads of asset records, each through its kind's one scoping rule (``restrict``)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from haicap.assets.models import Asset, AssetKind, Movement, administers_assets
from haicap.assets.permissions import arranges_assets, edits_agency_assets
from haicap.core.collation import vietnamese_key
from haicap.core.errors import NotFound
from haicap.core.restricted import Viewer
from haicap.core.scoping import scope_of
from haicap.core.text import search_key
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit, Agency, UnitLineage


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
