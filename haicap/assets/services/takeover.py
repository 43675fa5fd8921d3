"""Take-over records ("biên bản bàn giao"): an abolished unit's assets and where each goes.

Finance opens the record of an abolished unit (it lists every asset that came from the unit and
was not taken over yet), sets each asset's destination (an agency of a current commune or of
the province) or the way it is disposed of, names the parties' representatives; a Finance leader
signs it once no asset lacks a destination. Signing moves every asset to its destination (a
``Movement`` each, the holder and status updated) in the one transaction that freezes the
record: after it, every change is refused.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.accounts.models import User
from haicap.accounts.services import require_writable
from haicap.assets import takeover_rules
from haicap.assets.models import Asset, Disposal, Movement, TakeoverLine, TakeoverRecord
from haicap.assets.permissions import arranges_assets, decides_assets, require
from haicap.assets.takeover_document import DISPOSAL_WORDS
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.audit import record_change, snapshot
from haicap.core.errors import Conflict, InvalidInput, PermissionDenied
from haicap.core.validators import check_text
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit, Agency

# The ways an asset of a record may be disposed of instead of going to an agency: reusing or
# transferring it gives it to an agency, which is then its destination.
DISPOSALS_ON_RECORD = (Disposal.SALE, Disposal.LIQUIDATION, Disposal.DEMOLITION)
RECEIVING_TIERS = (Tier.COMMUNE, Tier.PROVINCE)


class RecordSigned(Conflict):
    """A signed record is frozen."""

    code = "takeover_signed"
    title = gettext_lazy("The take-over record is signed")


class AssetsWithoutDestination(Conflict):
    """The record cannot be signed: the refusal names each asset that has no destination."""

    code = "takeover_without_destination"
    title = gettext_lazy("Some assets have no destination")


def _today() -> dt.date:
    return clock.now().astimezone(VIETNAM).date()


def _require_arranger(actor: User) -> None:
    require_writable(actor)
    require(arranges_assets(actor))


def _locked(record: TakeoverRecord) -> TakeoverRecord:
    """The record, locked for the transaction, refused if it is signed."""
    record = TakeoverRecord.objects.select_for_update().get(pk=record.pk)
    if record.signed:
        raise RecordSigned(
            _("The take-over record of %(unit)s was signed on %(day)s: it can no longer change.")
            % {
                "unit": record.former_unit.full_name,
                "day": record.signed_on.strftime("%d/%m/%Y"),
            }
        )
    return record


def assets_to_take_over(former_unit: AdministrativeUnit):
    """The assets that came from ``former_unit``, are not disposed of, were never taken over
    and are on no record yet."""
    return (
        Asset.objects.filter(origin=former_unit)
        .exclude(status=Asset.Status.DISPOSED)
        .exclude(movements__kind=Movement.Kind.TAKEN_OVER)
        .exclude(pk__in=TakeoverLine.objects.values("asset"))
        .order_by("identifier")
    )


def open_record(actor: User, former_unit: AdministrativeUnit) -> TakeoverRecord:
    """The take-over record of an abolished unit, opened if it has none, listing every asset
    that came from the unit and has not been taken over (``assets_to_take_over``). Opening it
    again adds the assets registered since, while it is unsigned."""
    _require_arranger(actor)
    if former_unit.valid_to is None or former_unit.tier not in (Tier.DISTRICT, Tier.COMMUNE):
        raise InvalidInput(
            _("%(unit)s is not an abolished unit: only those have take-over records.")
            % {"unit": former_unit.full_name}
        )
    try:
        with transaction.atomic():
            record, created = TakeoverRecord.objects.get_or_create(former_unit=former_unit)
            if record.signed:
                return record
            record = _locked(record)
            added = [
                TakeoverLine.objects.create(record=record, asset=asset)
                for asset in assets_to_take_over(former_unit)
            ]
            if created or added:
                record_change(
                    "takeover.opened" if created else "takeover.assets_added",
                    record,
                    actor=actor,
                    after={
                        "former_unit": former_unit.pk,
                        "assets": [line.asset.identifier for line in added],
                    },
                )
    except IntegrityError:
        # another officer opened it, or listed the same asset, a moment ago
        raise Conflict(_("The record was opened at the same time; open it again.")) from None
    return record


def describe_parties(
    actor: User, record: TakeoverRecord, *, handed_by: str, received_by: str
) -> TakeoverRecord:
    """Name who represents the unit handing over and who the receiving side."""
    _require_arranger(actor)
    for label, value in (("handed_by", handed_by), ("received_by", received_by)):
        check_text(label, value)
    with transaction.atomic():
        record = _locked(record)
        before = snapshot(record, ["handed_by", "received_by"])
        record.handed_by, record.received_by = handed_by.strip(), received_by.strip()
        record.save(update_fields=["handed_by", "received_by"])
        after = snapshot(record, ["handed_by", "received_by"])
        if after != before:
            record_change("takeover.parties", record, actor=actor, before=before, after=after)
    return record


def receives_assets(agency: Agency) -> bool:
    """An agency may take an asset over: a current commune's, or the province's."""
    unit = agency.unit
    return unit.valid_to is None and unit.tier in RECEIVING_TIERS


def set_destination(
    actor: User, line: TakeoverLine, *, destination: Agency | None = None, disposal: str = ""
) -> TakeoverLine:
    """Where the line's asset goes: to ``destination`` (an agency of a current commune or of
    the province), or disposed of by ``disposal`` (sale, liquidation, demolition); neither
    clears it."""
    _require_arranger(actor)
    if destination is not None and disposal:
        raise InvalidInput(_("An asset goes either to an agency or is disposed of, not both."))
    if disposal and disposal not in DISPOSALS_ON_RECORD:
        raise InvalidInput(
            _(
                "An asset of a take-over record is disposed of by sale, liquidation or "
                "demolition; one reused or transferred goes to an agency: choose the agency."
            )
        )
    if destination is not None and not receives_assets(destination):
        raise InvalidInput(
            _(
                "%(agency)s cannot take an asset over: choose an agency of a current commune or "
                "of the province."
            )
            % {"agency": destination.name}
        )
    with transaction.atomic():
        _locked(line.record)
        line = TakeoverLine.objects.select_for_update().get(pk=line.pk)
        before = snapshot(line, ["destination", "disposal"])
        line.destination, line.disposal = destination, disposal
        line.save(update_fields=["destination", "disposal"])
        after = snapshot(line, ["destination", "disposal"])
        if after != before:
            record_change(
                "takeover.destination",
                line.record,
                actor=actor,
                before={"asset": line.asset.identifier, **before},
                after={"asset": line.asset.identifier, **after},
            )
    return line


def rule_lines(record: TakeoverRecord) -> list[takeover_rules.Line]:
    """The record's lines as the signing rule reads them, by identifier."""
    return [
        takeover_rules.Line(
            identifier=line.asset.identifier,
            name=line.asset.name,
            destination=line.destination_id,
            disposal=line.disposal,
        )
        for line in record.lines.select_related("asset").order_by("asset__identifier")
    ]


def sign(actor: User, record: TakeoverRecord, *, on: dt.date, number: str) -> TakeoverRecord:
    """A Finance leader signs the record on ``on`` under ``number``: refused while any asset has
    no destination (naming each). Each asset then moves to its destination, or is disposed of,
    and the record is frozen."""
    require_writable(actor)
    if not decides_assets(actor):
        raise PermissionDenied(_("A take-over record is signed by a leader of the Department."))
    check_text("number", number)
    if not number.strip():
        raise InvalidInput(_("Give the record's number."))
    if on > _today():
        raise InvalidInput(_("A record cannot be signed on a day still to come."))
    with transaction.atomic():
        record = _locked(record)
        lines = rule_lines(record)
        if not lines:
            raise Conflict(_("The record lists no asset: there is nothing to hand over."))
        missing = takeover_rules.without_destination(lines)
        if missing:
            raise AssetsWithoutDestination(
                _("The record cannot be signed: these assets have no destination yet: %(assets)s.")
                % {"assets": "; ".join(f"{line.identifier} {line.name}" for line in missing)},
                assets=[line.identifier for line in missing],
            )
        moved = []
        for line in record.lines.select_related("asset").order_by("asset__identifier"):
            moved.append(_hand_over(actor, line, on, number.strip()))
        record.number, record.signed_on, record.signed_by = number.strip(), on, actor
        record.save(update_fields=["number", "signed_on", "signed_by"])
        record_change(
            "takeover.signed",
            record,
            actor=actor,
            after={**snapshot(record, ["number", "signed_on", "signed_by"]), "movements": moved},
        )
    return record


def _hand_over(actor: User, line: TakeoverLine, on: dt.date, number: str) -> int:
    """Move the line's asset to its destination (or dispose of it); the movement's id."""
    asset = Asset.objects.select_for_update().get(pk=line.asset_id)
    if line.destination_id is not None:
        movement = Movement.objects.create(
            asset=asset,
            kind=Movement.Kind.TAKEN_OVER,
            from_agency_id=asset.holder_id,
            to_agency_id=line.destination_id,
            on=on,
            decision=number,
            recorded_by=actor,
        )
        asset.holder_id = line.destination_id
        asset.save(update_fields=["holder"])
    else:
        movement = Movement.objects.create(
            asset=asset,
            kind=Movement.Kind.DISPOSED,
            from_agency_id=asset.holder_id,
            on=on,
            decision=number,
            note=DISPOSAL_WORDS[line.disposal],
            recorded_by=actor,
        )
        asset.status = Asset.Status.DISPOSED
        asset.save(update_fields=["status"])
    return movement.pk
