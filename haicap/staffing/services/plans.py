"""Writes of secondment plans: asking for one (the solver proposes), editing a draft by hand,
submitting it to the leaders, approving it, and revising an approved one as a new version.

Who: the staffing authority's officers (``arranges_staff``) ask for, edit, submit, revise and
discard plans; its leaders (``approves_plans``) are told of a submitted draft and approve it.
A draft is the only version that changes: an approved plan is a record, and a change to it is
a revision (version + 1) which, once approved, supersedes it. Every write is one transaction
and is audited.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from haicap.accounts.models import Membership, User
from haicap.core import clock
from haicap.core.audit import record_change, snapshot
from haicap.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from haicap.core.roles import Role
from haicap.core.validators import check_text
from haicap.dossiers.services.retries import check_retry, request_digest
from haicap.staffing import planning
from haicap.staffing.models import (
    Officer,
    PlanRequest,
    Secondment,
    SecondmentPlan,
    StaffField,
    StaffingNotice,
)
from haicap.staffing.permissions import approves_plans, arranges_staff
from haicap.staffing.secondment_plan import Proposal, Solution
from haicap.units.kinds import Duty
from haicap.units.models import AdministrativeUnit, Agency

# The longest secondment a plan proposes: three years, the usual ceiling of a secondment
# ("biệt phái") in the civil service rules; longer ones are decided case by case, outside a plan.
LONGEST_TERM_MONTHS = 36
Status = SecondmentPlan.Status


class PlanConstraintBroken(InvalidInput):
    """A secondment added by hand breaks one of the plan's constraints; ``constraint`` names
    which: qualification, same_body, host_gap, donor_norm, moves_once, travel, per_agency."""

    code = "plan_constraint"

    def __init__(self, constraint: str, detail: str) -> None:
        super().__init__(detail, constraint=constraint)
        self.constraint = constraint


def _require_arranger(actor: User) -> None:
    if not arranges_staff(actor):
        raise PermissionDenied(_("Only the staffing authority's officers arrange secondments."))


def _check_rules(title: str, months: int, max_travel_minutes: int, max_per_agency: int) -> None:
    check_text("title", title)
    if not title.strip():
        raise InvalidInput(_("A plan needs a title."))
    if not 1 <= months <= LONGEST_TERM_MONTHS:
        raise InvalidInput(
            _("A secondment lasts from 1 to %(most)d months.") % {"most": LONGEST_TERM_MONTHS}
        )
    if max_travel_minutes < 1:
        raise InvalidInput(_("Allow at least one minute of travel."))
    if max_per_agency < 1:
        raise InvalidInput(_("Allow at least one officer from an agency."))


# --- asking for a plan --------------------------------------------------------------------------


def request_plan(
    actor: User,
    title: str,
    starts_on: dt.date,
    months: int,
    max_travel_minutes: int,
    max_per_agency: int,
    *,
    idempotency_key: str = "",
) -> SecondmentPlan:
    """Solve a plan under these rules and store it as a draft with its proposals and what the
    solver reported. Once per ``idempotency_key`` of ``actor``: a retry gets the same plan."""
    _require_arranger(actor)
    _check_rules(title, months, max_travel_minutes, max_per_agency)
    digest = ""
    if idempotency_key:
        check_text("idempotency_key", idempotency_key)
        digest = request_digest(
            kind="plan",
            title=title.strip(),
            starts_on=starts_on.isoformat(),
            months=months,
            max_travel_minutes=max_travel_minutes,
            max_per_agency=max_per_agency,
        )
        earlier = _earlier_request(actor, idempotency_key, digest)
        if earlier is not None:
            return earlier
    # The solve reads, and may take seconds: outside the transaction that writes its result.
    inputs = planning.plan_inputs(starts_on)
    solution = planning.solve(inputs, max_travel_minutes, max_per_agency)
    try:
        with transaction.atomic():
            plan = SecondmentPlan.objects.create(
                title=title.strip(),
                max_travel_minutes=max_travel_minutes,
                max_per_agency=max_per_agency,
                months=months,
                starts_on=starts_on,
                created_by=actor,
                **_solver_facts(solution),
            )
            made = _store_proposals(plan, solution.proposals, inputs)
            if idempotency_key:
                PlanRequest.objects.create(
                    user=actor,
                    key=idempotency_key,
                    plan=plan,
                    request_digest=digest,
                    created_at=clock.now(),
                )
            record_change(
                "secondmentplan.requested",
                plan,
                actor=actor,
                after={**snapshot(plan), "secondments": made},
            )
    except IntegrityError:
        # A retry that raced its first attempt: both found no earlier request, the first won.
        earlier = _earlier_request(actor, idempotency_key, digest) if idempotency_key else None
        if earlier is None:
            raise
        return earlier
    return plan


def _earlier_request(actor: User, key: str, digest: str) -> SecondmentPlan | None:
    earlier = PlanRequest.objects.filter(user=actor, key=key).select_related("plan").first()
    if earlier is None:
        return None
    check_retry(
        earlier.request_digest,
        digest,
        _("The Idempotency-Key %(key)s was already used for another request.") % {"key": key},
    )
    return earlier.plan


def _solver_facts(solution: Solution) -> dict:
    return {
        "solver_status": solution.status,
        "mip_gap": solution.mip_gap if solution.mip_gap != float("inf") else None,
        "solve_seconds": round(solution.seconds, 3),
        "uncovered": [
            [planning.unit_of_body(body), field_code, left]
            for body, field_code, left in solution.uncovered
            if planning.unit_of_body(body) is not None
        ],
    }


def _store_proposals(
    plan: SecondmentPlan, proposals: tuple[Proposal, ...], inputs: planning.PlanInputs
) -> int:
    officers = Officer.objects.select_related("agency__unit").in_bulk(
        [p.officer_id for p in proposals]
    )
    end_date = planning.end_of_term(plan.starts_on, plan.months)
    hosts: dict[tuple[int, str], Agency | None] = {}
    rows = []
    for proposal in proposals:
        unit_id = planning.unit_of_body(proposal.to_body)
        if unit_id is None:
            continue  # the shell never offers the solver a provincial host
        staff_field = inputs.fields[proposal.field]
        if (unit_id, proposal.field) not in hosts:
            hosts[(unit_id, proposal.field)] = planning.host_agency(unit_id, staff_field)
        host = hosts[(unit_id, proposal.field)]
        if host is None:
            continue  # a commune with no agency to take anyone in
        officer = officers[proposal.officer_id]
        rows.append(
            Secondment(
                plan=plan,
                officer=officer,
                from_agency=officer.agency,
                to_agency=host,
                field=staff_field,
                start_date=plan.starts_on,
                end_date=end_date,
                travel_minutes=proposal.travel_minutes,
                host_gap_before=proposal.host_gap_before,
                host_gap_after=proposal.host_gap_after,
                donor_field=inputs.fields.get(proposal.donor_field),
                donor_norm=proposal.donor_norm,
                donor_filled_before=proposal.donor_filled_before,
            )
        )
    Secondment.objects.bulk_create(rows)
    return len(rows)


# --- editing a draft ----------------------------------------------------------------------------


def _locked_draft(actor: User, plan: SecondmentPlan) -> SecondmentPlan:
    """The plan, locked for the edit; refused unless it is a draft."""
    _require_arranger(actor)
    locked = (
        SecondmentPlan.objects.select_for_update(of=("self",))
        .select_related("revises")
        .filter(pk=plan.pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    if locked.status == Status.APPROVED:
        raise Conflict(
            _("An approved plan is a record: make a new version of it to change anything.")
        )
    if locked.status != Status.DRAFT:
        raise Conflict(_("Only a draft plan is edited."))
    return locked


def _secondment_of(plan: SecondmentPlan, secondment: Secondment | int) -> Secondment:
    secondment_id = secondment if isinstance(secondment, int) else secondment.pk
    found = (
        Secondment.objects.filter(plan=plan, pk=secondment_id)
        .select_related("to_agency", "field", "officer")
        .first()
    )
    if found is None:
        raise NotFound(_("The plan has no such secondment."))
    return found


def remove_secondment(actor: User, plan: SecondmentPlan, secondment: Secondment | int) -> None:
    """Take a proposal out of a draft plan: the gap it covered is uncovered again."""
    with transaction.atomic():
        plan = _locked_draft(actor, plan)
        found = _secondment_of(plan, secondment)
        before = snapshot(found)
        plan.uncovered = planning.adjusted_uncovered(
            plan.uncovered, found.to_agency.unit_id, found.field.code, +1
        )
        plan.save(update_fields=["uncovered"])
        record_change("secondment.removed", found, actor=actor, before=before)
        found.delete()
        _refresh_gaps_after(plan)


@dataclass(frozen=True)
class Addition:
    """A secondment added to a draft by hand."""

    officer: Officer
    commune: AdministrativeUnit
    field: StaffField
    start_date: dt.date | None = None  # the plan's start
    end_date: dt.date | None = None  # the plan's term from its start
    decision_number: str = ""


def add_secondment(actor: User, plan: SecondmentPlan, addition: Addition) -> Secondment:
    """Add a secondment to a draft by hand, under the plan's constraints; a refusal names the
    constraint it breaks (``PlanConstraintBroken``)."""
    check_text("decision_number", addition.decision_number)
    with transaction.atomic():
        plan = _locked_draft(actor, plan)
        start = addition.start_date or plan.starts_on
        end = addition.end_date or planning.end_of_term(start, plan.months)
        _check_dates(start, end)
        inputs = planning.plan_inputs(plan.starts_on, plan)
        secondment = _checked_addition(plan, addition, inputs, start)
        secondment.start_date, secondment.end_date = start, end
        secondment.decision_number = addition.decision_number.strip()
        secondment.save()
        plan.uncovered = planning.adjusted_uncovered(
            plan.uncovered, addition.commune.pk, addition.field.code, -1
        )
        plan.save(update_fields=["uncovered"])
        _refresh_gaps_after(plan)
        secondment.refresh_from_db()
        record_change("secondment.added", secondment, actor=actor, after=snapshot(secondment))
    return secondment


def _checked_addition(
    plan: SecondmentPlan, addition: Addition, inputs: planning.PlanInputs, start: dt.date
) -> Secondment:
    """The secondment ``addition`` asks for, once it keeps every constraint of the plan."""
    officer = Officer.objects.select_related("agency__unit", "position__field").get(
        pk=addition.officer.pk
    )
    field, commune = addition.field, addition.commune
    names = {
        "officer": officer.full_name,
        "field": field.name,
        "commune": commune.full_name,
    }
    existing = list(
        Secondment.objects.filter(plan=plan).select_related("from_agency__unit", "to_agency")
    )
    # an officer qualified in the field
    if not officer.qualifications.filter(pk=field.pk).exists():
        raise PlanConstraintBroken(
            "qualification", _("%(officer)s is not qualified in %(field)s.") % names
        )
    # nobody moves twice
    if any(s.officer_id == officer.pk for s in existing):
        raise PlanConstraintBroken("moves_once", _("%(officer)s is already in this plan.") % names)
    if officer.pk in planning.blocked_officers(start, planning.lineage(plan)):
        raise PlanConstraintBroken(
            "moves_once",
            _("%(officer)s is already seconded by an approved plan at that time.") % names,
        )
    # a body of its own, and a host with a gap left
    if commune.pk not in inputs.communes:
        raise InvalidInput(_("Officers are seconded to a current commune or ward."))
    host_body = planning.commune_body(commune.pk)
    if planning.body_of(officer.agency) == host_body:
        raise PlanConstraintBroken(
            "same_body", _("%(officer)s already works for %(commune)s.") % names
        )
    host = inputs.cells.get((host_body, field.code))
    if host is None:
        raise PlanConstraintBroken(
            "host_gap",
            _("The province sets no norm of %(field)s officers for %(commune)s.") % names,
        )
    taken = sum(1 for s in existing if s.to_agency.unit_id == commune.pk and s.field_id == field.pk)
    if host.gap - taken <= 0:
        raise PlanConstraintBroken(
            "host_gap",
            capfirst(_("%(commune)s has the %(field)s officers it needs with this plan.") % names),
        )
    # a donor keeps at least its own norm
    donor_body = planning.body_of(officer.agency)
    donor_field = officer.position.field
    donor = inputs.cells.get((donor_body, donor_field.code))
    donor_names = names | {
        "donor": planning.donor_name(officer.agency),
        "donor_field": donor_field.name,
    }
    if donor is None:
        raise PlanConstraintBroken(
            "donor_norm",
            capfirst(
                _(
                    "%(donor)s has no norm of %(donor_field)s officers set, so it gives none of "
                    "them."
                )
                % donor_names
            ),
        )
    given = sum(
        1
        for s in existing
        if planning.body_of(s.from_agency) == donor_body and s.donor_field_id == donor_field.pk
    )
    if donor.filled - given - 1 < donor.norm:
        raise PlanConstraintBroken(
            "donor_norm",
            capfirst(
                _(
                    "%(donor)s would keep %(left)d %(donor_field)s officers, below its norm of "
                    "%(norm)d."
                )
                % (donor_names | {"left": donor.filled - given - 1, "norm": donor.norm})
            ),
        )
    # travel within the limit
    minutes = inputs.travel.minutes(officer.agency.unit.code or "", commune.code or "")
    if minutes is None:
        raise PlanConstraintBroken(
            "travel",
            _("The travel table has no time from %(place)s to %(commune)s.")
            % (names | {"place": officer.agency.unit.full_name}),
        )
    if minutes > plan.max_travel_minutes:
        raise PlanConstraintBroken(
            "travel",
            _(
                "From %(place)s to %(commune)s is %(minutes)d minutes, over the plan's limit of "
                "%(limit)d."
            )
            % (
                names
                | {
                    "place": officer.agency.unit.full_name,
                    "minutes": minutes,
                    "limit": plan.max_travel_minutes,
                }
            ),
        )
    # no more than N from one agency
    from_agency = sum(1 for s in existing if s.from_agency_id == officer.agency_id)
    if from_agency + 1 > plan.max_per_agency:
        raise PlanConstraintBroken(
            "per_agency",
            _("The plan already takes %(count)d officers from %(agency)s, its limit.")
            % {"count": from_agency, "agency": officer.agency.name},
        )
    host_agency = planning.host_agency(commune.pk, field)
    if host_agency is None:
        raise InvalidInput(capfirst(_("%(commune)s has no agency to take an officer in.") % names))
    return Secondment(
        plan=plan,
        officer=officer,
        from_agency=officer.agency,
        to_agency=host_agency,
        field=field,
        travel_minutes=minutes,
        host_gap_before=host.gap,
        host_gap_after=max(0, host.gap - taken - 1),
        donor_field=donor_field,
        donor_norm=donor.norm,
        donor_filled_before=donor.filled,
        added_by_hand=True,
    )


def _check_dates(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise InvalidInput(_("A secondment ends on or after the day it starts."))
    if end > planning.end_of_term(start, LONGEST_TERM_MONTHS):
        raise InvalidInput(
            _("A secondment lasts at most %(most)d months.") % {"most": LONGEST_TERM_MONTHS}
        )


@dataclass(frozen=True)
class SecondmentChange:
    """What an edit of a draft's secondment sets; None leaves it as it is."""

    start_date: dt.date | None = None
    end_date: dt.date | None = None
    decision_number: str | None = None


def update_secondment(
    actor: User, plan: SecondmentPlan, secondment: Secondment | int, change: SecondmentChange
) -> Secondment:
    """Change a draft's secondment: its dates, its decision number."""
    return save_secondments(actor, plan, {_id(secondment): change})[0]


def _id(secondment: Secondment | int) -> int:
    return secondment if isinstance(secondment, int) else secondment.pk


def save_secondments(
    actor: User, plan: SecondmentPlan, changes: Mapping[int, SecondmentChange]
) -> list[Secondment]:
    """Change several of a draft's secondments at once (by id), all or none."""
    saved = []
    with transaction.atomic():
        plan = _locked_draft(actor, plan)
        for secondment_id, change in changes.items():
            found = _secondment_of(plan, secondment_id)
            before, starts_before = snapshot(found), found.start_date
            if change.decision_number is not None:
                check_text("decision_number", change.decision_number)
                found.decision_number = change.decision_number.strip()
            found.start_date = change.start_date or found.start_date
            found.end_date = change.end_date or found.end_date
            _check_dates(found.start_date, found.end_date)
            if found.start_date < plan.starts_on:
                raise InvalidInput(
                    _("A secondment of this plan starts on %(day)s or later.")
                    % {"day": plan.starts_on.strftime("%d/%m/%Y")}
                )
            if found.start_date != starts_before and found.officer_id in (
                planning.blocked_officers(found.start_date, planning.lineage(plan))
            ):
                raise PlanConstraintBroken(
                    "moves_once",
                    _("%(officer)s is already seconded by an approved plan at that time.")
                    % {"officer": found.officer.full_name},
                )
            found.save(update_fields=["decision_number", "start_date", "end_date"])
            after = snapshot(found)
            if after != before:
                record_change(
                    "secondment.updated",
                    found,
                    actor=actor,
                    before={k: before[k] for k in after if after[k] != before[k]},
                    after={k: after[k] for k in after if after[k] != before[k]},
                )
            saved.append(found)
    return saved


def _refresh_gaps_after(plan: SecondmentPlan) -> None:
    """Each secondment's gap after the plan, from the plan's secondments as they now are."""
    rows = planning.plan_rows(
        Secondment.objects.filter(plan=plan).select_related("from_agency__unit", "to_agency")
    )
    changed = []
    for row in rows:
        if row.secondment.host_gap_after != row.host_gap_after:
            row.secondment.host_gap_after = row.host_gap_after
            changed.append(row.secondment)
    Secondment.objects.bulk_update(changed, ["host_gap_after"])


def discard(actor: User, plan: SecondmentPlan) -> SecondmentPlan:
    """Set a draft aside: it stays in the plan's history, never approved."""
    with transaction.atomic():
        plan = _locked_draft(actor, plan)
        plan.status = Status.DISCARDED
        plan.save(update_fields=["status"])
        _settle_notices(plan)
        record_change(
            "secondmentplan.discarded",
            plan,
            actor=actor,
            before={"status": Status.DRAFT},
            after={"status": plan.status},
        )
    return plan


# --- approving and revising ---------------------------------------------------------------------


def _leaders() -> QuerySet[User]:
    """The staffing authority's leaders, who approve plans (``approves_plans``)."""
    members = Membership.objects.filter(agency__duties__duty=Duty.STAFFING, role=Role.LEADER)
    return User.objects.filter(is_active=True, memberships__in=members).distinct()


def _check_ready(plan: SecondmentPlan) -> list[Secondment]:
    """The plan's secondments, once the plan is ready to approve: each with its decision number
    and dates, none sending an officer another approved plan seconds at the time."""
    secondments = list(
        Secondment.objects.filter(plan=plan).select_related("officer").order_by("pk")
    )
    if not secondments and plan.revises_id is None:
        raise InvalidInput(_("The plan proposes no secondment: there is nothing to approve."))
    missing = [s.officer.full_name for s in secondments if not s.decision_number.strip()]
    if missing:
        raise InvalidInput(
            _("Give each secondment its decision number first (missing for: %(names)s).")
            % {"names": ", ".join(missing)}
        )
    undated = [s.officer.full_name for s in secondments if not (s.start_date and s.end_date)]
    if undated:
        raise InvalidInput(
            _("Give each secondment its start and end dates (missing for: %(names)s).")
            % {"names": ", ".join(undated)}
        )
    _check_nobody_moves_twice(plan, secondments)
    return secondments


def submit(actor: User, plan: SecondmentPlan) -> tuple[SecondmentPlan, int]:
    """Hand a draft to the staffing authority's leaders to approve ("trình phê duyệt"): once it
    is ready to approve, each leader is sent a notice (once) that opens the plan. The draft may
    still be edited until a leader approves it. The plan, and how many leaders were told."""
    with transaction.atomic():
        locked = _locked_draft(actor, plan)
        if locked.submitted_at is not None:
            raise Conflict(_("The plan was submitted for approval already."))
        _check_ready(locked)
        leaders = list(_leaders())
        if not leaders:
            raise Conflict(_("The staffing authority has no leader in haicap to approve the plan."))
        now = clock.now()
        locked.submitted_by, locked.submitted_at = actor, now
        locked.save(update_fields=["submitted_by", "submitted_at"])
        told = 0
        for leader in leaders:
            _row, made = StaffingNotice.objects.get_or_create(
                recipient=leader,
                kind=StaffingNotice.Kind.PLAN_SUBMITTED,
                about=f"plan:{locked.pk}",
                defaults={"plan": locked, "created_at": now},
            )
            told += int(made)
        record_change(
            "secondmentplan.submitted",
            locked,
            actor=actor,
            after={"submitted_at": now.isoformat(), "leaders_told": told},
        )
    return locked, told


def _settle_notices(plan: SecondmentPlan) -> None:
    """The leaders' notices of a plan approved or set aside have nothing left to ask."""
    StaffingNotice.objects.filter(
        plan=plan, kind=StaffingNotice.Kind.PLAN_SUBMITTED, read_at=None
    ).update(read_at=clock.now())


def approve(actor: User, plan: SecondmentPlan) -> SecondmentPlan:
    """Approve a draft (the staffing authority's leaders), submitted or not: every secondment
    has its decision number and dates, and none sends an officer already seconded by another
    approved plan. A revision's approval supersedes the version it revises."""
    if not approves_plans(actor):
        raise PermissionDenied(_("Only the staffing authority's leaders approve a plan."))
    with transaction.atomic():
        locked = SecondmentPlan.objects.select_for_update().filter(pk=plan.pk).first()
        if locked is None:
            raise NotFound()
        if locked.status != Status.DRAFT:
            raise Conflict(_("Only a draft plan is approved."))
        secondments = _check_ready(locked)
        superseded = None
        if locked.revises_id is not None:
            superseded = SecondmentPlan.objects.select_for_update().get(pk=locked.revises_id)
            if superseded.status != Status.APPROVED:
                raise Conflict(_("The version this one revises is no longer the approved plan."))
            superseded.status = Status.SUPERSEDED
            superseded.save(update_fields=["status"])
            record_change(
                "secondmentplan.superseded",
                superseded,
                actor=actor,
                before={"status": Status.APPROVED},
                after={"status": Status.SUPERSEDED, "by": locked.pk},
            )
        locked.status = Status.APPROVED
        locked.approved_by = actor
        locked.approved_at = clock.now()
        locked.save(update_fields=["status", "approved_by", "approved_at"])
        _settle_notices(locked)
        record_change(
            "secondmentplan.approved",
            locked,
            actor=actor,
            before={"status": Status.DRAFT},
            after={
                "status": locked.status,
                "secondments": [s.pk for s in secondments],
                "supersedes": superseded.pk if superseded else None,
            },
        )
    return locked


def _check_nobody_moves_twice(plan: SecondmentPlan, secondments: list[Secondment]) -> None:
    """Refused when an officer of ``secondments`` is in an approved plan's secondment ending on
    or after theirs starts (the plan's own earlier versions aside: it replaces them)."""
    if not secondments:
        return
    elsewhere: dict[int, dt.date] = {}
    for officer_id, end_date in (
        Secondment.objects.filter(
            plan__status=Status.APPROVED,
            officer_id__in=[s.officer_id for s in secondments],
            end_date__gte=min(s.start_date for s in secondments),
        )
        .exclude(plan_id__in=planning.lineage(plan))
        .values_list("officer_id", "end_date")
    ):
        elsewhere[officer_id] = max(end_date, elsewhere.get(officer_id, end_date))
    for s in secondments:
        if s.officer_id in elsewhere and elsewhere[s.officer_id] >= s.start_date:
            raise Conflict(
                _("%(officer)s is already seconded by an approved plan at that time.")
                % {"officer": s.officer.full_name}
            )


def revise(actor: User, plan: SecondmentPlan, *, idempotency_key: str = "") -> SecondmentPlan:
    """A new draft version of an approved plan, with its secondments copied: the approved one
    stays in force until the revision is approved. Once per ``idempotency_key``.

    The copies' figures are taken again from the standings on the plan's start, without the
    plan's own versions (officers may have been added or moved since it was approved): a copy
    the host no longer needs, or its donor can no longer spare, shows so on the plan's page, to
    be removed; the gaps left are counted again too."""
    _require_arranger(actor)
    digest = ""
    if idempotency_key:
        check_text("idempotency_key", idempotency_key)
        digest = request_digest(kind="revision", plan=plan.pk)
        earlier = _earlier_request(actor, idempotency_key, digest)
        if earlier is not None:
            return earlier
    with transaction.atomic():
        locked = SecondmentPlan.objects.select_for_update().filter(pk=plan.pk).first()
        if locked is None:
            raise NotFound()
        if locked.status != Status.APPROVED:
            raise Conflict(_("Only the approved version of a plan is revised."))
        if locked.revisions.filter(status=Status.DRAFT).exists():
            raise Conflict(_("A draft revision of this plan is open already: edit that one."))
        inputs = planning.plan_inputs(locked.starts_on, locked)
        revision = SecondmentPlan.objects.create(
            title=locked.title,
            version=locked.version + 1,
            revises=locked,
            max_travel_minutes=locked.max_travel_minutes,
            max_per_agency=locked.max_per_agency,
            months=locked.months,
            starts_on=locked.starts_on,
            solver_status=locked.solver_status,
            mip_gap=locked.mip_gap,
            solve_seconds=locked.solve_seconds,
            uncovered=locked.uncovered,
            created_by=actor,
        )
        copies = [
            Secondment(
                plan=revision,
                **{
                    name: getattr(s, name)
                    for name in (
                        "officer_id",
                        "from_agency",
                        "to_agency",
                        "field",
                        "start_date",
                        "end_date",
                        "decision_number",
                        "travel_minutes",
                        "host_gap_before",
                        "host_gap_after",
                        "donor_field",
                        "donor_norm",
                        "donor_filled_before",
                        "added_by_hand",
                    )
                },
            )
            for s in locked.secondments.select_related(
                "from_agency__unit", "to_agency", "field", "donor_field"
            ).order_by("pk")
        ]
        copies = planning.revision_figures(copies, inputs)
        Secondment.objects.bulk_create(copies)
        revision.uncovered = planning.uncovered_after(inputs, copies)
        revision.save(update_fields=["uncovered"])
        _refresh_gaps_after(revision)
        if idempotency_key:
            PlanRequest.objects.create(
                user=actor,
                key=idempotency_key,
                plan=revision,
                request_digest=digest,
                created_at=clock.now(),
            )
        record_change(
            "secondmentplan.revised",
            revision,
            actor=actor,
            after={**snapshot(revision), "secondments": len(copies)},
        )
    return revision
