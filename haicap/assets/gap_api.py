"""``/api/v1/assets``: what each commune lacks (the gap table, the equipment norms) and the
allocation proposals: run (once per ``Idempotency-Key``), approved or turned down.

The gap table is the communes the caller reads (Finance and the supervisors the province, a
commune its own); the proposals those moving something into or out of what they read."""

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from haicap.assets import selectors
from haicap.assets.models import AllocationProposal, EquipmentNorm
from haicap.assets.services import allocation
from haicap.assets.services.allocation import DECISION_LENGTH, LONGEST_REACH_MINUTES
from haicap.core.api import BODY_ERRORS, Day, LocalDateTime, RecordId, SingleLine, errors
from haicap.core.errors import InvalidInput
from haicap.core.pagination import DEFAULT_LIMIT, keyset_page
from haicap.dossiers.api.inputs import IdempotencyKey

router = Router(tags=["assets"])


# --- the gap table and the norms --------------------------------------------------------------


class GapQuery(Schema):
    kind: str | None = Field(
        None, max_length=20, description="an asset kind's code: that kind only"
    )
    lacking_only: bool = Field(False, description="only the communes lacking the kind(s)")


class GapOut(Schema):
    unit_id: int
    unit_code: str | None
    commune: str
    kind_code: str
    kind: str
    desks: int = Field(description="the commune's one-stop desks")
    offices: int = Field(description="the commune's offices (its agencies, the desk among them)")
    per_desk: int = Field(description="the norm per one-stop desk")
    per_office: int = Field(description="the norm per office")
    needed: int = Field(description="per_desk × desks + per_office × offices")
    held: int = Field(description="items of the kind its agencies hold, in use and usable")
    gap: int
    beyond: int = Field(description="items held beyond the need")


class GapsOut(Schema):
    items: list[GapOut]


@router.get(
    "/assets/gaps",
    response={200: GapsOut, **errors(401, 422)},
    summary="What each commune needs of each kind with a norm, what it holds and lacks",
)
def gaps(request: HttpRequest, query: Query[GapQuery]) -> GapsOut:
    """The communes in Vietnamese alphabetical order, kind by kind (by name)."""
    user = request.user
    if query.kind and query.kind not in {k.kind.code for k in selectors.norm_kinds(user)}:
        raise InvalidInput(_("No norm is set for a kind %(code)s.") % {"code": query.kind})
    table = selectors.gap_table(user, kind_code=query.kind, lacking_only=query.lacking_only)
    items = []
    for commune in table.communes:
        for kind in table.kinds:
            need = table.cell(commune.pk, kind.kind.code)
            items.append(
                GapOut(
                    unit_id=commune.pk,
                    unit_code=commune.code,
                    commune=commune.full_name,
                    kind_code=kind.kind.code,
                    kind=kind.kind.name,
                    desks=table.desks(commune.pk),
                    offices=table.offices(commune.pk),
                    per_desk=kind.norm.per_desk,
                    per_office=kind.norm.per_office,
                    needed=need.needed,
                    held=need.held,
                    gap=need.gap,
                    beyond=need.beyond,
                )
            )
    return GapsOut(items=items)


class NormOut(Schema):
    id: int
    kind_code: str
    kind: str
    per: EquipmentNorm.Per
    count: int
    note: str


@router.get(
    "/assets/norms",
    response={200: list[NormOut], **errors(401)},
    summary="The equipment norms: how many of a kind per one-stop desk or per office",
)
def norms(request: HttpRequest) -> list[NormOut]:
    return [
        NormOut(
            id=n.pk,
            kind_code=n.kind.code,
            kind=n.kind.name,
            per=n.per,
            count=n.count,
            note=n.note,
        )
        for n in selectors.equipment_norms(request.user)
    ]


# --- allocation proposals ---------------------------------------------------------------------


class ProposalOut(Schema):
    id: int
    asset_id: int
    asset_identifier: str
    asset_name: str
    kind_code: str
    from_agency: str | None = Field(
        description="the agency code it moves (or moved) from: its holder, or the movement's"
    )
    to_agency: str = Field(description="the receiving agency's code")
    to_unit_id: int
    travel_minutes: int | None
    status: AllocationProposal.Status
    gap_before: int | None = Field(
        description="an open proposal: the commune's gap of the kind before it (the open "
        "proposals made earlier to it counted)"
    )
    gap_after: int | None = Field(
        description="an open proposal: the gap after it; a decided one: the gap now"
    )
    proposed_at: LocalDateTime
    decided_on: dt.date | None
    decision: str = Field(description="the approving decision, or why it was turned down")
    movement_id: int | None

    @staticmethod
    def of(row: selectors.ProposalRow) -> "ProposalOut":
        p = row.proposal
        source = p.movement.from_agency if p.movement else p.asset.holder
        return ProposalOut(
            id=p.pk,
            asset_id=p.asset_id,
            asset_identifier=p.asset.identifier,
            asset_name=p.asset.name,
            kind_code=p.asset.kind.code,
            from_agency=source.code if source else None,
            to_agency=p.to_agency.code,
            to_unit_id=p.to_agency.unit_id,
            travel_minutes=p.travel_minutes,
            status=p.status,
            gap_before=row.gap_before,
            gap_after=row.gap_after,
            proposed_at=p.proposed_at,
            decided_on=p.decided_on,
            decision=p.decision,
            movement_id=p.movement_id,
        )


class ProposalPage(Schema):
    items: list[ProposalOut]
    next_cursor: str | None


class ProposalQuery(Schema):
    status: AllocationProposal.Status | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


class RunIn(Schema):
    max_minutes: int = Field(
        ge=0, le=LONGEST_REACH_MINUTES, description="the longest travel, from the travel table"
    )


class ProposalsOut(Schema):
    items: list[ProposalOut] = Field(description="the proposals the run made, nearest first")


class ApproveIn(Schema):
    decision: SingleLine = Field(min_length=1, max_length=DECISION_LENGTH)
    on: Day = Field(description="the decision's date")


class RejectIn(Schema):
    reason: SingleLine = Field(min_length=1, max_length=DECISION_LENGTH)


def _rows(request: HttpRequest, proposals: list[AllocationProposal]) -> list[ProposalOut]:
    return [ProposalOut.of(r) for r in selectors.proposal_rows(request.user, proposals)]


def _fresh(request: HttpRequest, proposal_id: int) -> ProposalOut:
    found = selectors.visible_proposals(request.user).select_related("movement__from_agency")
    return _rows(request, [found.get(pk=proposal_id)])[0]


@router.get(
    "/assets/proposals",
    response={200: ProposalPage, **errors(401, 422)},
    summary="Allocation proposals, the latest first",
)
def list_proposals(request: HttpRequest, query: Query[ProposalQuery]) -> ProposalPage:
    found = selectors.visible_proposals(request.user).select_related("movement__from_agency")
    if query.status:
        found = found.filter(status=query.status)
    page = keyset_page(found, ("-proposed_at", "-id"), query.cursor, query.limit)
    return ProposalPage(items=_rows(request, page.items), next_cursor=page.next_cursor)


@router.post(
    "/assets/proposals",
    response={201: ProposalsOut, **errors(401, 403, *BODY_ERRORS)},
    summary="Run the allocation: surplus items proposed to the communes lacking their kind",
)
def run_allocation(
    request: HttpRequest, body: RunIn, idempotency_key: str | None = IdempotencyKey
) -> Answer:
    """Finance's officers. Nearest first, within ``max_minutes``; a retry with the same
    ``Idempotency-Key`` answers the first run's proposals."""
    made = allocation.propose(request.user, body.max_minutes, idempotency_key=idempotency_key or "")
    found = selectors.visible_proposals(request.user).filter(pk__in=[p.pk for p in made])
    by_id = {p.pk: p for p in found}
    return Answer(
        201, ProposalsOut(items=_rows(request, [by_id[p.pk] for p in made if p.pk in by_id]))
    )


@router.post(
    "/assets/proposals/{proposal_id}/approve",
    response={200: ProposalOut, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Approve a proposal (Finance's leaders): the item moves and the move is recorded",
)
def approve(request: HttpRequest, proposal_id: RecordId, body: ApproveIn) -> ProposalOut:
    proposal = selectors.get_proposal(request.user, proposal_id)
    allocation.approve(request.user, proposal, body.decision, body.on)
    return _fresh(request, proposal_id)


@router.post(
    "/assets/proposals/{proposal_id}/reject",
    response={200: ProposalOut, **errors(401, 403, 404, 409, *BODY_ERRORS)},
    summary="Turn a proposal down (Finance's leaders): the item stays surplus where it is",
)
def reject(request: HttpRequest, proposal_id: RecordId, body: RejectIn) -> ProposalOut:
    proposal = selectors.get_proposal(request.user, proposal_id)
    allocation.reject(request.user, proposal, body.reason)
    return _fresh(request, proposal_id)
