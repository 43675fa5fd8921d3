"""Writes of allocation proposals: surplus assets proposed to the communes lacking their kind,
nearest first, then approved (the move is recorded) or turned down.

Who: Finance's officers (``arranges_assets``) run the allocation; its leaders
(``decides_assets``) approve or turn down each proposal. Every write is one transaction and is
audited.

The run (``propose``):

- the items offered are the assets marked surplus, each at its holder's unit (a provincial
  agency's unit is the province), of any kind a commune lacks;
- what a commune lacks of a kind is its gap (``gaps``) less the open proposals already bringing
  it that kind, so a second run adds only what the first left uncovered;
- an asset with an open proposal is not offered again (the ``one_open_proposal`` constraint
  holds it too), and an asset is never proposed again to a commune that turned it down;
- minutes come from the province's travel table (``units.TravelTime``), by unit code; a pair
  not in the table, or beyond ``max_minutes``, is out of reach;
- the pure ``allocation.allocate`` pairs them, nearest first.

Where an item lands in the commune (``host_agency``): a kind the norms count per one-stop desk
goes to the commune's one-stop desk, since the desk is where the inspection found it missing;
any other kind to the commune's People's Committee, which arranges its offices' equipment. A
commune without such an agency gets it at its first agency by code.
"""

import datetime as dt
from collections import Counter

from django.db import transaction
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.assets import permissions
from haicap.assets.allocation import Lack, Surplus, allocate
from haicap.assets.gaps import province_gaps
from haicap.assets.models import AllocationProposal, Asset, Movement
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.audit import record_change, record_save, snapshot
from haicap.core.errors import Conflict, InvalidInput, PermissionDenied
from haicap.core.validators import check_text
from haicap.dossiers.services.retries import earlier_request, request_digest
from haicap.units.kinds import AgencyKind
from haicap.units.models import Agency, TravelTime

Status = AllocationProposal.Status
LONGEST_REACH_MINUTES = 24 * 60
RUN = "allocation.proposed"  # the audit record of a run, which keeps its Idempotency-Key
DECISION_LENGTH = AllocationProposal._meta.get_field("decision").max_length


def _today() -> dt.date:
    return clock.now().astimezone(VIETNAM).date()


# --- the run ---------------------------------------------------------------------------------


def propose(
    actor: User, max_minutes: int, *, idempotency_key: str = ""
) -> list[AllocationProposal]:
    """Propose the surplus assets to the communes lacking their kind, nearest first, within
    ``max_minutes`` of travel; the new proposals, nearest first. Once per ``idempotency_key``
    of ``actor``: a retry gets the proposals of the first run."""
    if not permissions.arranges_assets(actor):
        raise PermissionDenied(_("Only Finance's officers propose allocations."))
    if not 0 <= max_minutes <= LONGEST_REACH_MINUTES:
        raise InvalidInput(
            _("The travel allowed is from 0 to %(most)d minutes.") % {"most": LONGEST_REACH_MINUTES}
        )
    key = idempotency_key.strip()
    digest = ""
    if key:
        check_text("idempotency_key", key)
        digest = request_digest(kind="allocation", max_minutes=max_minutes)
        earlier = _earlier_run(actor, key, digest)
        if earlier is not None:
            return earlier
    with transaction.atomic():
        # Locking the surplus items makes two runs take turns: the second sees the first's
        # proposals (and its Idempotency-Key) once the first has committed.
        surplus = list(
            Asset.objects.select_for_update()
            .filter(status=Asset.Status.SURPLUS, holder__isnull=False)
            .order_by("pk")
            .values_list("pk", "kind__code", "holder__unit__code")
        )
        if key and (earlier := _earlier_run(actor, key, digest)) is not None:
            return earlier
        made = _allocate(surplus, max_minutes)
        for proposal in made:
            record_save(proposal, None, actor=actor)
        extra = {"idempotency_key": key, "request_digest": digest} if key else {}
        record_change(
            RUN,
            ("assets.allocationrun", str(made[0].pk) if made else "0"),
            actor=actor,
            after={"max_minutes": max_minutes, "proposals": [p.pk for p in made], **extra},
        )
    return made


def turned_down_still_lacking() -> int:
    """How many surplus items, not proposed now, are kept from a commune still lacking their
    kind only because that commune turned a proposal of them down: a run never proposes them
    there again, and the one who runs it should know why nothing came out."""
    waiting = AllocationProposal.objects.filter(status=Status.PROPOSED).values("asset_id")
    refused = set(
        AllocationProposal.objects.filter(
            status=Status.REJECTED,
            asset__status=Asset.Status.SURPLUS,
            asset__holder__isnull=False,
        )
        .exclude(asset_id__in=waiting)
        .values_list("asset_id", "to_agency__unit_id", "asset__kind__code")
    )
    if not refused:
        return 0
    gaps = province_gaps()
    return len(
        {
            asset_id
            for asset_id, unit_id, kind in refused
            if (need := gaps.cells.get((unit_id, kind))) is not None and need.gap > 0
        }
    )


def _earlier_run(actor: User, key: str, digest: str) -> list[AllocationProposal] | None:
    earlier = earlier_request(RUN, actor.pk, key, digest)
    if earlier is None:
        return None
    made = AllocationProposal.objects.in_bulk(earlier.after.get("proposals", []))
    return [made[pk] for pk in earlier.after.get("proposals", []) if pk in made]


def _place(code: str | None, asset_id: int) -> str:
    """An item's place for the pure allocation: its holder's unit code, with the item's id, so
    that the minutes can refuse the communes that turned this very item down."""
    return f"{code}#{asset_id}"


def _unit_code(place: str) -> str:
    return place.split("#", 1)[0]


def _allocate(surplus: list[tuple[int, str, str | None]], max_minutes: int) -> list:
    open_proposals = AllocationProposal.objects.filter(status=Status.PROPOSED)
    taken = set(open_proposals.values_list("asset_id", flat=True))
    items = [(pk, kind, code) for pk, kind, code in surplus if code and pk not in taken]
    if not items:
        return []
    gaps = province_gaps()
    code_of = {c.pk: c.code for c in gaps.communes if c.code}
    coming = Counter(
        (unit, kind)
        for unit, kind in open_proposals.values_list("to_agency__unit_id", "asset__kind__code")
    )
    lacks = [
        Lack(code_of[unit], kind, need.gap - coming[(unit, kind)])
        for (unit, kind), need in gaps.cells.items()
        if unit in code_of and need.gap > coming[(unit, kind)]
    ]
    if not lacks:
        return []
    turned_down = set(
        AllocationProposal.objects.filter(
            status=Status.REJECTED, asset_id__in=[pk for pk, _k, _c in items]
        ).values_list("asset_id", "to_agency__unit__code")
    )
    travel = _travel_table()

    def minutes(item_place: str, to_place: str) -> int | None:
        code, asset_id = _unit_code(item_place), int(item_place.split("#", 1)[1])
        if code == to_place or (asset_id, to_place) in turned_down:
            return None
        return travel.get(frozenset((code, to_place)))

    pairs = allocate(
        [Surplus(pk, kind, _place(code, pk)) for pk, kind, code in items],
        lacks,
        minutes,
        max_minutes,
    )
    if not pairs:
        return []
    unit_of = {code: unit for unit, code in code_of.items()}
    desk_kinds = {k.kind.code for k in gaps.kinds if k.norm.per_desk}
    hosts = _hosts({unit_of[p.to_place] for p in pairs})
    assets = Asset.objects.in_bulk([p.asset_id for p in pairs])
    made = []
    for pair in pairs:
        host = hosts.get((unit_of[pair.to_place], pair.kind in desk_kinds))
        if host is None:
            continue  # a commune with no agency to receive anything
        made.append(
            AllocationProposal.objects.create(
                asset=assets[pair.asset_id], to_agency=host, travel_minutes=pair.minutes
            )
        )
    return made


def _travel_table() -> dict[frozenset, int]:
    rows = TravelTime.objects.filter(one__code__isnull=False, other__code__isnull=False)
    return {
        frozenset((one, other)): minutes
        for one, other, minutes in rows.values_list("one__code", "other__code", "minutes")
    }


def _hosts(unit_ids: set[int]) -> dict[tuple[int, bool], Agency]:
    """Where an item lands in each commune: (unit id, a kind counted per desk) → agency."""
    by_unit: dict[int, list[Agency]] = {}
    for agency in Agency.objects.filter(unit_id__in=sorted(unit_ids)).order_by("code"):
        by_unit.setdefault(agency.unit_id, []).append(agency)
    hosts = {}
    for unit_id, agencies in by_unit.items():
        committee = next(
            (a for a in agencies if a.kind == AgencyKind.COMMUNE_PEOPLES_COMMITTEE), agencies[0]
        )
        desk = next((a for a in agencies if a.is_one_stop_desk), committee)
        hosts[(unit_id, True)], hosts[(unit_id, False)] = desk, committee
    return hosts


# --- deciding -------------------------------------------------------------------------------


def _require_decider(actor: User) -> None:
    if not permissions.decides_assets(actor):
        raise PermissionDenied(_("Only Finance's leaders approve or turn down allocations."))


def _check_words(label: str, value: str, missing: str) -> str:
    """The decision's number or the reason, as stored: one line, not empty, not too long."""
    value = value.strip()
    check_text(label, value)
    if not value:
        raise InvalidInput(missing)
    if len(value) > DECISION_LENGTH:
        raise InvalidInput(
            _("Write at most %(most)d characters.") % {"most": DECISION_LENGTH}, field=label
        )
    return value


def _open(proposal: AllocationProposal) -> AllocationProposal:
    proposal = (
        AllocationProposal.objects.select_for_update()
        .select_related("to_agency")
        .get(pk=proposal.pk)
    )
    if proposal.status != Status.PROPOSED:
        raise Conflict(_("This proposal was already decided."))
    return proposal


def approve(
    actor: User, proposal: AllocationProposal, decision: str, on: dt.date
) -> AllocationProposal:
    """Approve ``proposal`` by ``decision`` of ``on``: the asset moves to the proposal's agency
    (an ``allocated`` movement from its holder), and is in use there."""
    _require_decider(actor)
    decision = _check_words("decision", decision, _("Name the decision that approves it."))
    if on > _today():
        raise InvalidInput(_("A decision is dated today or earlier."))
    with transaction.atomic():
        proposal = _open(proposal)
        asset = Asset.objects.select_for_update().get(pk=proposal.asset_id)
        if asset.status != Asset.Status.SURPLUS:
            raise Conflict(_("The asset is no longer surplus: turn the proposal down."))
        before = snapshot(asset)
        movement = Movement.objects.create(
            asset=asset,
            kind=Movement.Kind.ALLOCATED,
            from_agency_id=asset.holder_id,
            to_agency=proposal.to_agency,
            on=on,
            decision=decision,
            recorded_by=actor,
        )
        record_save(movement, None, actor=actor)
        asset.holder, asset.status = proposal.to_agency, Asset.Status.IN_USE
        asset.save(update_fields=["holder", "status"])
        record_save(asset, before, actor=actor)
        _decide(actor, proposal, Status.APPROVED, decision, on, movement)
    return proposal


def reject(
    actor: User, proposal: AllocationProposal, reason: str, on: dt.date | None = None
) -> AllocationProposal:
    """Turn ``proposal`` down for ``reason``: the asset stays surplus where it is, and is never
    proposed to that commune again."""
    _require_decider(actor)
    reason = _check_words("reason", reason, _("Say why it is turned down."))
    on = on or _today()
    if on > _today():
        raise InvalidInput(_("A decision is dated today or earlier."))
    with transaction.atomic():
        proposal = _open(proposal)
        _decide(actor, proposal, Status.REJECTED, reason, on, None)
    return proposal


def _decide(
    actor: User,
    proposal: AllocationProposal,
    status: str,
    decision: str,
    on: dt.date,
    movement: Movement | None,
) -> None:
    before = snapshot(proposal)
    proposal.status, proposal.decision, proposal.decided_on = status, decision, on
    proposal.decided_by, proposal.movement = actor, movement
    proposal.save(update_fields=["status", "decision", "decided_on", "decided_by", "movement"])
    record_save(proposal, before, actor=actor)
