"""Writes of the equipment norms: how many of a kind each one-stop desk, or each office of a
commune, should have. Data the province sets (Finance, ``permissions.arranges_assets``); one
norm per kind and per desk or office. Each write is one transaction and is audited.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.assets import permissions
from haicap.assets.models import AssetKind, EquipmentNorm
from haicap.core.audit import record_change, record_save, snapshot
from haicap.core.errors import Conflict, InvalidInput
from haicap.core.validators import check_text

MOST_PER_PLACE = 100  # items of one kind per desk or office: beyond it, a typing slip


@dataclass(frozen=True)
class NormSpec:
    kind: AssetKind
    per: EquipmentNorm.Per
    count: int
    note: str = ""


def _require_arranger(actor: User | None) -> None:
    if actor is not None:
        permissions.require(permissions.arranges_assets(actor))


def _check(spec: NormSpec) -> None:
    if spec.per not in EquipmentNorm.Per.values:
        raise InvalidInput(_("A norm is per one-stop desk or per office."))
    if not 0 <= spec.count <= MOST_PER_PLACE:
        raise InvalidInput(_("A norm counts from 0 to %(most)d items.") % {"most": MOST_PER_PLACE})
    check_text("note", spec.note)
    if len(spec.note.strip()) > EquipmentNorm._meta.get_field("note").max_length:
        raise InvalidInput(_("The note is too long."))


def save_norm(
    actor: User | None, spec: NormSpec, norm: EquipmentNorm | None = None
) -> EquipmentNorm:
    """Set a norm, or change ``norm`` to ``spec``: one per kind and per desk or office."""
    _require_arranger(actor)
    _check(spec)
    try:
        with transaction.atomic():
            before = None
            if norm is not None:
                norm = EquipmentNorm.objects.select_for_update().get(pk=norm.pk)
                before = snapshot(norm)
            clash = EquipmentNorm.objects.filter(kind=spec.kind, per=spec.per)
            if norm is not None:
                clash = clash.exclude(pk=norm.pk)
            if clash.exists():
                raise Conflict(_("That kind already has a norm there; change it instead."))
            norm = norm or EquipmentNorm()
            norm.kind, norm.per, norm.count = spec.kind, spec.per, spec.count
            norm.note = spec.note.strip()
            norm.save()
            record_save(norm, before, actor=actor)
    except IntegrityError:
        # another officer set the same norm at the same moment
        raise Conflict(_("That kind already has a norm there; change it instead.")) from None
    return norm


def remove_norm(actor: User | None, norm: EquipmentNorm) -> None:
    _require_arranger(actor)
    with transaction.atomic():
        norm = EquipmentNorm.objects.select_for_update().get(pk=norm.pk)
        record_change("equipmentnorm.removed", norm, actor=actor, before=snapshot(norm))
        norm.delete()
