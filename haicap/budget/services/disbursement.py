"""Writes of disbursement: a project's month (entered, replaced), a month for many projects at
once, an imported sheet, and the pace the province expects. Each is one transaction, audited.

A month's figure is what the project disbursed IN the month; entering it again replaces it
(audited with before and after). What a project has disbursed from January may never exceed the
annual plan in force at the end of any month, so a figure that would take it over is refused,
naming the plan's figure. Many rows are written all or nothing, each refused row said.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.budget import pace, permissions, rates, selectors
from haicap.budget.disbursement_sheet import MAX_AMOUNT, DisbursementRow
from haicap.budget.models import Disbursement, PaceTarget, Plan, Project
from haicap.budget.money import format_vnd
from haicap.budget.services.projects import today
from haicap.core.audit import record_change, record_save, snapshot
from haicap.core.errors import InvalidInput, PermissionDenied

CREATED, REPLACED, UNCHANGED = "created", "replaced", "unchanged"


class RowsRefused(InvalidInput):
    """Rows written together, refused together: ``problems`` says why, row by row (by project
    id for a month's form, as lines for an import)."""

    code = "rows_refused"

    def __init__(self, problems: Mapping[object, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(self.problems.values()))


@dataclass(frozen=True)
class ImportReport:
    created: int
    replaced: int
    unchanged: int


def month_label(year: int, month: int) -> str:
    return _("%(month)d/%(year)d") % {"month": month, "year": year}


def _require_reporter(user: User, project: Project) -> None:
    if not rates.may_report(user, project):
        raise PermissionDenied(
            _("Only the Department of Finance and the project's investor enter its disbursement.")
        )


def _check_month(year: int, month: int) -> Plan:
    """The annual plan the month is measured against; the month must have begun."""
    if not 1 <= month <= 12:
        raise InvalidInput(_("A month is a number from 1 to 12."))
    now = today()
    if (year, month) > (now.year, now.month):
        raise InvalidInput(
            _("%(month)s has not begun: a month's disbursement is entered from its first day.")
            % {"month": month_label(year, month)}
        )
    plan = selectors.annual_plan(year)
    if plan is None:
        raise InvalidInput(
            _("There is no annual capital plan for %(year)d to measure disbursement against.")
            % {"year": year}
        )
    return plan


def _check_amount(amount: object) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount <= MAX_AMOUNT:
        raise InvalidInput(
            _("The amount disbursed is a whole number of đồng from 0 to %(max)s.")
            % {"max": format_vnd(MAX_AMOUNT)}
        )
    return amount


def _check_against_plan(plan: Plan, project: Project, year: int, month: int, amount: int) -> None:
    """Refuse a figure that takes what the project disbursed from January over the plan in
    force at the end of a month, from ``month`` to the last month entered. A figure that only
    lowers the disbursement is never refused (a plan reduced later is the plan's to explain)."""
    entered = dict(
        Disbursement.objects.filter(project=project, year=year).values_list("month", "amount")
    )
    after = {**entered, month: amount}
    dated = (
        selectors.entries_in_force(plan, projects=Project.objects.filter(pk=project.pk))
        .values_list("decision_date")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    plans = pace.in_force_by_month(year, list(dated))
    before_totals, after_totals = pace.cumulative(entered), pace.cumulative(after)
    for checked in range(month, max(after) + 1):
        disbursed, planned = after_totals[checked - 1], plans[checked - 1]
        if disbursed > planned and disbursed > before_totals[checked - 1]:
            raise InvalidInput(
                _(
                    "From January to %(month)s the project would have disbursed %(disbursed)s đ, "
                    "more than the plan in force at the end of that month, %(plan)s đ."
                )
                % {
                    "month": month_label(year, checked),
                    "disbursed": format_vnd(disbursed),
                    "plan": format_vnd(planned),
                }
            )


def _record(
    user: User, project: Project, year: int, month: int, amount: object
) -> tuple[Disbursement | None, str]:
    _require_reporter(user, project)
    amount = _check_amount(amount)
    plan = _check_month(year, month)
    with transaction.atomic():
        # one writer per project at a time: the check against the plan reads its other months
        Project.objects.select_for_update().filter(pk=project.pk).first()
        row = Disbursement.objects.filter(project=project, year=year, month=month).first()
        if row is not None and row.amount == amount:
            return row, UNCHANGED
        _check_against_plan(plan, project, year, month, amount)
        before = snapshot(row) if row is not None else None
        if row is None:
            row = Disbursement(project=project, year=year, month=month)
        row.amount, row.entered_by = amount, user
        row.save()
        record_save(row, before, actor=user)
        return row, CREATED if before is None else REPLACED


def record(user: User, project: Project, year: int, month: int, amount: int) -> Disbursement:
    """Enter what ``project`` disbursed in ``month`` of ``year`` (replacing a figure entered
    before): Finance, or an officer of the body that invests in it."""
    row, _outcome = _record(user, project, year, month, amount)
    return row


def record_month(
    user: User, year: int, month: int, amounts: Mapping[Project, int]
) -> dict[int, str]:
    """Enter a month for several projects, all or nothing: what happened to each (by project
    id), or ``RowsRefused`` with each refused project's reason (by project id)."""
    outcomes: dict[int, str] = {}
    problems: dict[int, str] = {}
    with transaction.atomic():
        for project, amount in amounts.items():
            try:
                with transaction.atomic():
                    outcomes[project.pk] = _record(user, project, year, month, amount)[1]
            except (InvalidInput, PermissionDenied) as refused:
                problems[project.pk] = refused.detail
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise RowsRefused(problems)
    return outcomes


def import_disbursement(user: User, rows: Sequence[DisbursementRow]) -> ImportReport:
    """Enter the rows of a sheet, all or nothing: what was done, or ``RowsRefused`` with every
    refused row's reason as a line naming its row."""
    codes = {row.code for row in rows}
    projects = {
        p.code: p
        for p in Project.objects.restrict(user)
        .filter(code__in=codes)
        .select_related("investor__unit")
    }
    counts = {CREATED: 0, REPLACED: 0, UNCHANGED: 0}
    problems: dict[int, str] = {}
    with transaction.atomic():
        for row in sorted(rows, key=lambda r: (r.code, r.year, r.month)):
            project = projects.get(row.code)
            try:
                if project is None:
                    raise InvalidInput(
                        _("No project you may see has the code %(code)s.") % {"code": row.code}
                    )
                with transaction.atomic():
                    _row, outcome = _record(user, project, row.year, row.month, row.amount)
                counts[outcome] += 1
            except (InvalidInput, PermissionDenied) as refused:
                problems[row.row] = _("Row %(row)d: %(problem)s") % {
                    "row": row.row,
                    "problem": refused.detail,
                }
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise RowsRefused(dict(sorted(problems.items())))
    return ImportReport(counts[CREATED], counts[REPLACED], counts[UNCHANGED])


# --- the pace ---------------------------------------------------------------------------------


def _check_share(share: object) -> Decimal:
    try:
        value = Decimal(str(share))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or not 0 <= value <= 100 or value != value.quantize(Decimal("0.01")):
        raise InvalidInput(_("An expected share is a percentage from 0 to 100, to the hundredth."))
    return value.quantize(Decimal("0.01"))


def percent_text(share: Decimal) -> str:
    """40 → "40 %", 12.5 → "12,50 %" (in the reader's conventions)."""
    places = 0 if share == share.to_integral_value() else 2
    return f"{number_format(share, places)} %"


def set_pace_months(user: User, plan: Plan, shares: Mapping[int, object]) -> list[PaceTarget]:
    """Set (or clear, with None) the share of an annual plan expected disbursed by the end of
    each month given; the others stay. Finance's officers; the shares may not fall from one
    month to the next. The plan's pace, all twelve months, in order."""
    permissions.require(permissions.arranges_capital(user))
    if plan.kind != Plan.Kind.ANNUAL:
        raise InvalidInput(_("The pace is set for an annual plan."))
    if any(not isinstance(m, int) or not 1 <= m <= 12 for m in shares):
        raise InvalidInput(_("A month is a number from 1 to 12."))
    wanted = {m: None if s is None else _check_share(s) for m, s in shares.items()}
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).first()
        held = {t.month: t for t in PaceTarget.objects.filter(plan=plan)}
        after = {m: t.share for m, t in held.items()}
        for month, share in wanted.items():
            if share is None:
                after.pop(month, None)
            else:
                after[month] = share
        if fell := pace.falls(after):
            earlier, later = fell[0]
            raise InvalidInput(
                _(
                    "The expected share may not fall from one month to the next: %(earlier)s "
                    "by the end of month %(first)d, but %(later)s by the end of month %(second)d."
                )
                % {
                    "earlier": percent_text(after[earlier]),
                    "first": earlier,
                    "later": percent_text(after[later]),
                    "second": later,
                }
            )
        for month, share in sorted(wanted.items()):
            target = held.get(month)
            if share is None:
                if target is not None:
                    record_change("pacetarget.removed", target, actor=user, before=snapshot(target))
                    target.delete()
                continue
            if target is not None and target.share == share:
                continue
            before = snapshot(target) if target is not None else None
            target = target or PaceTarget(plan=plan, month=month)
            target.share = share
            target.save()
            record_save(target, before, actor=user)
    return list(PaceTarget.objects.filter(plan=plan).order_by("month"))


def set_pace(user: User, plan: Plan, month: int, share: Decimal | None) -> PaceTarget | None:
    """Set (or clear) the share expected disbursed by the end of one month."""
    targets = set_pace_months(user, plan, {month: share})
    return next((t for t in targets if t.month == month), None)
