"""Transfer batches: the abolished districts' capital moved, in a plan, to the province or the
commune that now invests in each project.

Finance's officers draft a batch (the ledger's ``district_transfer`` over the plan's balances:
for each project with an investor and each source, minus on the district level, plus on the
investor's level) and correct it while it is a draft. A Finance leader approves it with the
approving decision: the batch is checked again with its projects locked, refused with every
difference named project by project unless it balances, and its entries are written to the
append-only ledger in the same transaction. An approved batch never changes.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.accounts.models import User
from haicap.accounts.services import require_writable
from haicap.budget import explain, ledger, reform, selectors
from haicap.budget.models import (
    BatchEntry,
    LedgerEntry,
    Level,
    Plan,
    Project,
    Source,
    TransferBatch,
)
from haicap.budget.money import format_vnd
from haicap.budget.permissions import approves_capital, arranges_capital, require
from haicap.budget.services.projects import today
from haicap.budget.transfer_selectors import (
    batch_projects,
    check_batch,
    dated_before,
    district_projects,
    entries_of,
    facts,
    held_before,
    rule_entries,
)
from haicap.core import clock
from haicap.core.audit import record_change, snapshot
from haicap.core.errors import Conflict, InvalidInput, PermissionDenied
from haicap.core.models import AuditRecord
from haicap.core.validators import check_text
from haicap.dossiers.services.retries import earlier_request, request_digest
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit

__all__ = [
    "BatchApproved",
    "TransferRefused",
    "add_entry",
    "approve",
    "batch_made_with",
    "check_batch",
    "draft_batch",
    "remove_entry",
    "set_entry_amount",
]

DRAFTED = "transfer_batch.drafted"
# Larger than any plan: an amount beyond it is a typing slip, not capital.
MOST = 10**15
TITLE_LENGTH = 300
DECISION_LENGTH = 60


class BatchApproved(Conflict):
    """An approved batch is frozen."""

    code = "transfer_approved"
    title = gettext_lazy("The transfer batch is approved")


class TransferRefused(Conflict):
    """The batch cannot be approved: ``differences`` and ``explanations`` say why, project by
    project."""

    code = "transfer_not_balanced"
    title = gettext_lazy("The transfer does not balance")

    def __init__(
        self,
        detail: str,
        differences: tuple[ledger.Difference, ...],
        explanations: list[explain.Explanation],
    ) -> None:
        super().__init__(detail, projects=sorted({d.project for d in differences}))
        self.differences = differences
        self.explanations = explanations


def _arranger(actor: User) -> None:
    require_writable(actor)
    require(arranges_capital(actor))


def _check_amount(amount: int) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidInput(_("Give the amount in whole đồng."))
    if amount == 0:
        raise InvalidInput(_("An entry moves capital: give an amount other than zero."))
    if abs(amount) >= MOST:
        raise InvalidInput(
            _("%(amount)s đ is more than any plan holds.") % {"amount": format_vnd(amount)}
        )
    return amount


def _check_side(level: str, amount: int) -> None:
    """A transfer takes capital from the district level only (``ledger.Problem``)."""
    if amount < 0 and level != Level.DISTRICT:
        raise InvalidInput(
            _(
                "A transfer takes capital from the district level only: a decrease at %(level)s "
                "is an adjustment of the plan, not a transfer."
            )
            % {"level": explain.LEVEL_WORDS[level]}
        )


def _locked_draft(batch: TransferBatch) -> TransferBatch:
    """The batch, locked for the transaction, refused if it is approved."""
    batch = TransferBatch.objects.select_for_update().get(pk=batch.pk)
    if not batch.is_draft:
        raise BatchApproved(
            _(
                "The transfer was approved by decision %(number)s of %(day)s: it can no longer "
                "change."
            )
            % {"number": batch.decision_number, "day": batch.decision_date.strftime("%d/%m/%Y")}
        )
    return batch


def _day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _day_refused(refusal: reform.DayRefusal) -> InvalidInput:
    """The approving decision's day refused, in the reader's language."""
    if refusal.problem == reform.DayProblem.BEFORE_REFORM:
        return InvalidInput(
            _(
                "The approving decision cannot be dated before %(day)s: the districts' capital "
                "is transferred by a decision made once they ended."
            )
            % {"day": _day(refusal.day)}
        )
    project, source, level = refusal.key or ("", "", "")
    words = {
        "day": _day(refusal.day),
        "project": project,
        "source": Source(source).label,
        "level": explain.LEVEL_WORDS[level],
        "held": format_vnd(refusal.held),
        "taken": format_vnd(refusal.taken),
    }
    if refusal.problem == reform.DayProblem.BEFORE_LATEST:
        return InvalidInput(
            _(
                "The approving decision cannot be dated before %(day)s: a decision of that day "
                "changed what %(project)s holds from %(source)s at %(level)s, and the transfer "
                "cannot move capital before it is there."
            )
            % words
        )
    return InvalidInput(
        _(
            "From %(day)s the transfer would take what %(project)s holds from %(source)s at "
            "%(level)s below zero: %(held)s đ are held that day, and %(taken)s đ would be taken."
        )
        % words
    )


def _entry_state(entry: BatchEntry) -> dict:
    return {"project": entry.project.code, **snapshot(entry, ["source", "level", "amount"])}


# --- drafting -----------------------------------------------------------------------------------


def draft_batch(
    actor: User,
    plan: Plan,
    district: AdministrativeUnit | None = None,
    *,
    title: str,
    idempotency_key: str = "",
) -> TransferBatch:
    """A draft that moves, in ``plan``, the district-level capital of every project of
    ``district`` (of every abolished district when None) that has an investor, to its
    investor's level. Projects without an investor are left out: their capital waits. A retry
    with the same ``idempotency_key`` returns the batch it made."""
    _arranger(actor)
    check_text("title", title)
    check_text("idempotency_key", idempotency_key)
    title, key = title.strip(), idempotency_key.strip()
    if not title:
        raise InvalidInput(_("Give the transfer a title."))
    if len(title) > TITLE_LENGTH:
        raise InvalidInput(_("A title has at most %(count)d characters.") % {"count": TITLE_LENGTH})
    if district is not None and district.tier != Tier.DISTRICT:
        raise InvalidInput(_("%(unit)s is not a former district.") % {"unit": district.full_name})
    digest = request_digest(plan=plan.pk, district=district.pk if district else None, title=title)
    with transaction.atomic():
        # Two sends of one key take turns on the plan's row: the second finds the first's batch.
        Plan.objects.select_for_update().only("pk").get(pk=plan.pk)
        if key and (earlier := _earlier(actor, key, digest)) is not None:
            return earlier
        projects = district_projects(district)
        held = selectors.balances(plan, projects=projects)
        moving = {code for code, _source, _level in held}
        found = list(projects.filter(code__in=moving))
        entries = ledger.district_transfer(held, selectors.destinations(found))
        if not entries:
            raise InvalidInput(
                _(
                    "No district-level capital of a project with an investor remains in "
                    "%(plan)s: there is nothing to transfer."
                )
                % {"plan": plan.name}
            )
        batch = TransferBatch.objects.create(
            plan=plan, title=title, district=district, created_by=actor
        )
        ids = {project.code: project.pk for project in found}
        BatchEntry.objects.bulk_create(
            BatchEntry(
                batch=batch,
                project_id=ids[entry.project],
                source=entry.source,
                level=entry.level,
                amount=entry.amount,
            )
            for entry in entries
        )
        extra = {"idempotency_key": key, "request_digest": digest} if key else {}
        record_change(
            DRAFTED,
            batch,
            actor=actor,
            after={
                **snapshot(batch, ["plan", "title", "district"]),
                "entries": [[e.project, e.source, e.level, e.amount] for e in entries],
                **extra,
            },
        )
    return batch


def _earlier(actor: User, key: str, digest: str) -> TransferBatch | None:
    earlier = earlier_request(DRAFTED, actor.pk, key, digest)
    if earlier is None:
        return None
    return TransferBatch.objects.get(pk=int(earlier.object_id))


def batch_made_with(actor: User, idempotency_key: str) -> TransferBatch | None:
    """The batch ``actor`` drafted with ``idempotency_key``, if any: a form sent twice finds
    it."""
    key = idempotency_key.strip()
    if not key or actor.pk is None:
        return None
    earlier = (
        AuditRecord.objects.filter(action=DRAFTED, actor_id=actor.pk, after__idempotency_key=key)
        .order_by("-id")
        .first()
    )
    return TransferBatch.objects.filter(pk=int(earlier.object_id)).first() if earlier else None


# --- correcting a draft -------------------------------------------------------------------------


def set_entry_amount(actor: User, entry: BatchEntry, amount: int) -> BatchEntry:
    """Change a draft's entry to ``amount`` (signed đồng: a decrease is negative)."""
    _arranger(actor)
    amount = _check_amount(amount)
    with transaction.atomic():
        batch = _locked_draft(entry.batch)
        entry = BatchEntry.objects.select_related("project").get(pk=entry.pk, batch=batch)
        _check_side(entry.level, amount)
        before = _entry_state(entry)
        if entry.amount == amount:
            return entry
        entry.amount = amount
        entry.save(update_fields=["amount"])
        record_change(
            "transfer_batch.entry_changed",
            batch,
            actor=actor,
            before={"entry": entry.pk, **before},
            after={"entry": entry.pk, **_entry_state(entry)},
        )
    return entry


def add_entry(
    actor: User, batch: TransferBatch, project: Project, source: str, level: str, amount: int
) -> BatchEntry:
    """Add an entry to a draft: a project of its former district, a source and a level it has no
    entry for yet."""
    _arranger(actor)
    amount = _check_amount(amount)
    if source not in Source.values:
        raise InvalidInput(_("Choose a source of capital."))
    if level not in Level.values:
        raise InvalidInput(_("Choose a budget level."))
    _check_side(level, amount)
    try:
        with transaction.atomic():
            batch = _locked_draft(batch)
            if not batch_projects(batch).filter(pk=project.pk).exists():
                raise InvalidInput(
                    _("%(project)s is not a project of the former district of this transfer.")
                    % {"project": project}
                )
            entry = BatchEntry.objects.create(
                batch=batch, project=project, source=source, level=level, amount=amount
            )
            record_change(
                "transfer_batch.entry_added",
                batch,
                actor=actor,
                after={"entry": entry.pk, **_entry_state(entry)},
            )
    except IntegrityError:
        raise Conflict(
            _(
                "%(project)s already has an entry for this source and level: change its amount "
                "instead."
            )
            % {"project": project.code}
        ) from None
    return entry


def remove_entry(actor: User, entry: BatchEntry) -> None:
    """Take an entry out of a draft."""
    _arranger(actor)
    with transaction.atomic():
        batch = _locked_draft(entry.batch)
        entry = BatchEntry.objects.select_related("project").get(pk=entry.pk, batch=batch)
        before = {"entry": entry.pk, **_entry_state(entry)}
        entry.delete()
        record_change("transfer_batch.entry_removed", batch, actor=actor, before=before)


# --- approving ----------------------------------------------------------------------------------


def approve(
    actor: User, batch: TransferBatch, *, decision_number: str, decision_date: dt.date
) -> TransferBatch:
    """A Finance leader approves the batch under the decision ``decision_number`` of
    ``decision_date``: refused (``TransferRefused``, naming each project) unless the batch
    balances over the plan as it is now, and refused (``InvalidInput``) when the decision is
    dated before the districts ended, before a decision behind what the batch takes, or so
    that a balance would be short from that day on (``reform``); then each of its entries is
    written to the ledger as a transfer under that decision, and the batch is frozen."""
    require_writable(actor)
    if not approves_capital(actor):
        raise PermissionDenied(
            _("A transfer is approved by a leader of the Department of Finance.")
        )
    check_text("decision_number", decision_number)
    number = decision_number.strip()
    if not number:
        raise InvalidInput(_("Give the approving decision's number."))
    if len(number) > DECISION_LENGTH:
        raise InvalidInput(
            _("A decision number has at most %(count)d characters.") % {"count": DECISION_LENGTH}
        )
    if decision_date > today():
        raise InvalidInput(_("The approving decision cannot be dated on a day still to come."))
    if (early := reform.approval_day_refusal({}, [], decision_date)) is not None:
        raise _day_refused(early)
    with transaction.atomic():
        batch = _locked_draft(batch)
        plan = batch.plan
        if decision_date < dt.date(plan.first_year, 1, 1):
            raise InvalidInput(
                _("The approving decision cannot be dated before %(plan)s began (%(year)d).")
                % {"plan": plan.name, "year": plan.first_year}
            )
        # No other change to these projects' capital lands between the check and the writing.
        projects = list(
            Project.objects.select_for_update()
            .filter(pk__in=batch_projects(batch).values("pk"))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        entries = entries_of(batch)
        if not entries:
            raise InvalidInput(_("The transfer has no entries: there is nothing to approve."))
        read = list(batch_projects(batch))
        moves = rule_entries(entries)
        check = ledger.check_transfer(
            held_before(batch, batch_projects(batch)), moves, selectors.destinations(read)
        )
        if not check.approvable:
            explanations = explain.explain(check, facts(read))
            raise TransferRefused(
                _("The transfer cannot be approved: %(reasons)s.")
                % {"reasons": "; ".join(e.text for e in explanations)},
                check.differences,
                explanations,
            )
        # The entries count from the decision's day: no balance may be short from then on.
        dated = dated_before(batch, batch_projects(batch))
        if (refusal := reform.approval_day_refusal(dated, moves, decision_date)) is not None:
            raise _day_refused(refusal)
        written = LedgerEntry.objects.bulk_create(
            LedgerEntry(
                plan=plan,
                project=entry.project,
                source=entry.source,
                level=entry.level,
                amount=entry.amount,
                kind=LedgerEntry.Kind.TRANSFER,
                decision_number=number,
                decision_date=decision_date,
                reason=batch.title,
                batch=batch,
                recorded_by=actor,
            )
            for entry in entries
        )
        batch.status = TransferBatch.Status.APPROVED
        batch.decision_number, batch.decision_date = number, decision_date
        batch.approved_by, batch.approved_at = actor, clock.now()
        batch.save(
            update_fields=[
                "status",
                "decision_number",
                "decision_date",
                "approved_by",
                "approved_at",
            ]
        )
        record_change(
            "transfer_batch.approved",
            batch,
            actor=actor,
            before={"status": TransferBatch.Status.DRAFT},
            after={
                **snapshot(batch, ["status", "decision_number", "decision_date", "approved_by"]),
                "ledger_entries": [row.pk for row in written],
                "projects": len(projects),
                "moved": sum(e.amount for e in entries if e.amount > 0),
            },
        )
    return batch
