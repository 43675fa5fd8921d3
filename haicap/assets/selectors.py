"""Reads of asset records, each through its kind's one scoping rule (``restrict``)."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haicap.assets.models import Asset, administers_assets
from haicap.core.errors import NotFound
from haicap.core.restricted import Viewer
from haicap.core.scoping import scope_of


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
