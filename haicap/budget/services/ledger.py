"""Writes to the capital ledger outside a transfer: an adjustment of a plan (Finance's officers)
and the reversal of an entry (Finance's leaders). The ledger is append-only: a correction is a
new entry, never an edit (``haicap.budget.history``).

Allocations and adjustments may be reversed, each once (the one-to-one ``reverses``). A transfer
entry is one side of an approved batch that balances as a whole: it is corrected by a new batch,
not by reversing one side. A reversal is not reversed: a new adjustment says what the plan is.
No change may take a balance below zero on its day or later, nor an annual plan below what the
project disbursed from January through a month's end (``adjustment``).

Two officers changing one project at once take turns: each change locks the project's row first
(the balance it checks cannot move under it). A change sent again with the same
``idempotency_key`` (the API's retries) is written once; every change is audited.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import formats
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.budget import adjustment, permissions, selectors
from haicap.budget.models import Disbursement, LedgerEntry, Level, Plan, Project, Source
from haicap.budget.money import MAX_VND, format_vnd
from haicap.budget.services.disbursement import month_label
from haicap.budget.services.projects import locked_project, today
from haicap.core.audit import record_change, snapshot
from haicap.core.errors import Conflict, InvalidInput
from haicap.core.validators import check_text
from haicap.dossiers.services.retries import earlier_request, request_digest

ADJUSTED = "ledger_entry.adjusted"
REVERSED = "ledger_entry.reversed"
DECISION_NUMBER_MAX, REASON_MAX = 60, 300  # the ledger's columns


def _day(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _check_decision(decision_number: str, reason: str) -> tuple[str, str]:
    decision_number, reason = decision_number.strip(), reason.strip()
    if not decision_number:
        raise InvalidInput(_("Give the number of the decision that makes the change."))
    if len(decision_number) > DECISION_NUMBER_MAX:
        raise InvalidInput(
            _("The decision number is longer than %(max)d characters.")
            % {"max": DECISION_NUMBER_MAX}
        )
    if not reason:
        raise InvalidInput(_("Say why the plan changes."))
    if len(reason) > REASON_MAX:
        raise InvalidInput(_("The reason is longer than %(max)d characters.") % {"max": REASON_MAX})
    check_text("decision_number", decision_number)
    check_text("reason", reason)
    return decision_number, reason


def _check_change(
    plan: Plan, project: Project, source: str, level: str, amount: int, day: dt.date
) -> None:
    """The change keeps the ledger's rules (``adjustment``), over the entries as they are now."""
    dated = LedgerEntry.objects.filter(
        plan=plan, project=project, source=source, level=level
    ).values_list("decision_date", "amount")
    if adjustment.adds_district_capital(level, amount, day):
        raise InvalidInput(
            _(
                "The district level ended on %(ended)s: capital decided from then on goes to the "
                "province or a commune, and district capital only decreases."
            )
            % {"ended": _day(adjustment.DISTRICTS_ENDED)}
        )
    found = adjustment.change_problem(list(dated), day, amount, today())
    if found is None:
        _check_against_disbursed(plan, project, amount, day)
        return
    message, params = found
    if message == adjustment.ZERO:
        raise InvalidInput(_("The amount is not 0: an increase is positive, a decrease negative."))
    if message == adjustment.IN_THE_FUTURE:
        raise InvalidInput(
            _("The decision is dated after today (%(today)s): record it once it is made.")
            % {"today": _day(params["today"])}
        )
    raise InvalidInput(
        _(
            "The change would take the %(source)s held at the %(level)s level below zero: "
            "%(held)s đồng are held on %(day)s, and %(taken)s đồng would be taken."
        )
        % {
            "source": Source(source).label.lower(),
            "level": Level(level).label.lower(),
            "held": format_vnd(params["held"]),
            "day": _day(params["day"]),
            "taken": format_vnd(params["taken"]),
        }
    )


def _check_against_disbursed(plan: Plan, project: Project, amount: int, day: dt.date) -> None:
    """A decrease of an annual plan keeps it at or above what the project disbursed from
    January through the end of every month it counts in (the disbursement service's reads)."""
    if plan.kind != Plan.Kind.ANNUAL or amount >= 0:
        return
    year = plan.first_year
    dated = (
        selectors.entries_in_force(plan, projects=Project.objects.filter(pk=project.pk))
        .values_list("decision_date")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    disbursed = dict(
        Disbursement.objects.filter(project=project, year=year).values_list("month", "amount")
    )
    found = adjustment.below_disbursed(year, list(dated), day, amount, disbursed)
    if found is None:
        return
    month, planned, through = found
    raise InvalidInput(
        _(
            "The change would leave the plan in force at the end of %(month)s at %(plan)s đ, "
            "less than the %(disbursed)s đ the project disbursed from January to that month."
        )
        % {
            "month": month_label(year, month),
            "plan": format_vnd(planned),
            "disbursed": format_vnd(through),
        }
    )


def _earlier(action: str, actor: User, key: str, digest: str) -> LedgerEntry | None:
    """The entry an earlier request with ``key`` wrote (its audit record keeps the key)."""
    earlier = earlier_request(action, actor.pk, key, digest)
    if earlier is None:
        return None
    return LedgerEntry.objects.get(pk=int(earlier.object_id))


def _record(action: str, entry: LedgerEntry, actor: User, key: str, digest: str) -> None:
    extra = {"idempotency_key": key, "request_digest": digest} if key else {}
    record_change(action, entry, actor=actor, after={**snapshot(entry), **extra})


def adjust(
    actor: User,
    plan: Plan,
    project: Project,
    source: str,
    level: str,
    amount: int,
    decision_number: str,
    decision_date: dt.date,
    reason: str,
    *,
    idempotency_key: str = "",
) -> LedgerEntry:
    """Add ``amount`` (signed đồng) to what ``project`` holds in ``plan`` from ``source`` at
    ``level``, by the decision given (Finance's officers)."""
    permissions.require(permissions.arranges_capital(actor))
    if source not in Source.values or level not in Level.values:
        raise InvalidInput(_("Choose a source and a budget level."))
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidInput(_("The amount is a whole number of đồng."))
    if abs(amount) > MAX_VND:  # beyond any plan, and beyond what the sums of đồng can hold
        raise InvalidInput(_("An amount is at most %(max)s đồng.") % {"max": format_vnd(MAX_VND)})
    decision_number, reason = _check_decision(decision_number, reason)
    key = idempotency_key.strip()
    digest = ""
    if key:
        check_text("idempotency_key", key)
        digest = request_digest(
            kind="capital_adjustment",
            request=[plan.pk, project.pk, source, level, amount, decision_number],
            decided=decision_date.isoformat(),
            reason=reason,
        )
    with transaction.atomic():
        project = locked_project(project)
        if key and (earlier := _earlier(ADJUSTED, actor, key, digest)) is not None:
            return earlier
        _check_change(plan, project, source, level, amount, decision_date)
        entry = LedgerEntry.objects.create(
            plan=plan,
            project=project,
            source=source,
            level=level,
            amount=amount,
            kind=LedgerEntry.Kind.ADJUSTMENT,
            decision_number=decision_number,
            decision_date=decision_date,
            reason=reason,
            recorded_by=actor,
        )
        _record(ADJUSTED, entry, actor, key, digest)
    return entry


def refusal_to_reverse(entry: LedgerEntry) -> str | None:
    """Why ``entry`` cannot be reversed, in the reader's language, or None if it can."""
    if entry.kind == LedgerEntry.Kind.TRANSFER:
        return _(
            "A transfer entry is one side of an approved batch: a transfer is corrected by a new "
            "transfer batch, not by reversing one of its entries."
        )
    if entry.kind == LedgerEntry.Kind.REVERSAL:
        return _("A reversal is not reversed: record an adjustment to say what the plan is.")
    earlier = LedgerEntry.objects.filter(reverses=entry).first()
    if earlier is not None:
        return _("This entry was reversed already, by decision %(number)s of %(day)s.") % {
            "number": earlier.decision_number,
            "day": _day(earlier.decision_date),
        }
    return None


def reverse(
    actor: User,
    entry: LedgerEntry,
    decision_number: str,
    decision_date: dt.date,
    reason: str,
    *,
    idempotency_key: str = "",
) -> LedgerEntry:
    """Write the entry that cancels ``entry`` (an allocation or an adjustment), by the decision
    given (Finance's leaders)."""
    permissions.require(permissions.approves_capital(actor))
    decision_number, reason = _check_decision(decision_number, reason)
    key = idempotency_key.strip()
    digest = ""
    if key:
        check_text("idempotency_key", key)
        digest = request_digest(
            kind="capital_reversal",
            request=[entry.pk, decision_number, decision_date.isoformat(), reason],
        )
    with transaction.atomic():
        locked_project(entry.project)
        if key and (earlier := _earlier(REVERSED, actor, key, digest)) is not None:
            return earlier
        refusal = refusal_to_reverse(entry)
        if refusal is not None:
            already = entry.kind not in (LedgerEntry.Kind.TRANSFER, LedgerEntry.Kind.REVERSAL)
            raise (Conflict if already else InvalidInput)(refusal)
        if decision_date < entry.decision_date:
            raise InvalidInput(
                _("A reversal is decided on or after the entry it reverses (%(day)s).")
                % {"day": _day(entry.decision_date)}
            )
        _check_change(
            entry.plan, entry.project, entry.source, entry.level, -entry.amount, decision_date
        )
        try:
            with transaction.atomic():
                reversal = LedgerEntry.objects.create(
                    plan=entry.plan,
                    project=entry.project,
                    source=entry.source,
                    level=entry.level,
                    amount=-entry.amount,
                    kind=LedgerEntry.Kind.REVERSAL,
                    decision_number=decision_number,
                    decision_date=decision_date,
                    reason=reason,
                    reverses=entry,
                    recorded_by=actor,
                )
        except IntegrityError:  # reversed meanwhile, past the lock (one-to-one ``reverses``)
            raise Conflict(refusal_to_reverse(entry) or "") from None
        _record(REVERSED, reversal, actor, key, digest)
    return reversal
