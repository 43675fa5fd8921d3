"""What the worker does about directives' deadlines: warn before, and when it has passed.

The lead agency (a commune's leaders, a department's staff), the group's secretariat and the
group's leader are warned once a directive is due within ``WARN_WITHIN`` working days, and again
from the day after its deadline; each warning is a ``DirectiveNotification`` row, unique per
recipient, directive and kind, so however often the worker runs (or however many run at once) a
warning is sent once.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from haicap.accounts.models import Membership, User
from haicap.calendar.selectors import calendar_for
from haicap.calendar.workdays import VIETNAM, WorkCalendar
from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.roles import Role
from haicap.core.scoping import acting_body
from haicap.oversight.models import Directive, DirectiveNotification
from haicap.units.kinds import Tier
from haicap.units.models import Agency

WARN_WITHIN = 3  # working days left, the deadline's own day included
READ_ONLY_ROLES = [Role.PROVINCE_SUPERVISOR.value]


@dataclass
class WarningReport:
    due_soon: int = 0  # warnings sent (one per recipient)
    overdue: int = 0


def working_days_left(calendar: WorkCalendar, today: dt.date, deadline: dt.date) -> int:
    """Working days from tomorrow up to the deadline, both included: on the deadline's own day,
    0; on the working day before, 1."""
    return calendar.working_days_in(today + dt.timedelta(days=1), deadline)


def staff_of(agency: Agency) -> QuerySet[User]:
    """Active staff who work for ``agency`` (a commune's agencies act as one), supervisors
    aside: they read, they do not act."""
    body = acting_body(agency.pk, agency.unit_id, agency.unit.tier)
    members = Membership.objects.filter(**body.lookups("agency__")).exclude(
        role__in=READ_ONLY_ROLES
    )
    return User.objects.filter(is_active=True, memberships__in=members).distinct()


def answerable_for(agency: Agency) -> QuerySet[User]:
    """Who answers for ``agency``'s tasks. A commune's People's Committee answers through its
    chairman and vice chairmen (the ``leader`` role), not through every officer at its desks
    (Law 72/2025/QH15 on the Organisation of Local Government: a People's Committee is led by
    its chairman, who answers for its work; domain.md section 4). A commune with no leader's
    account falls back to all its officers, so that the warning still reaches someone. A
    department's staff all follow its tasks."""
    if agency.unit.tier != Tier.COMMUNE:
        return staff_of(agency)
    body = acting_body(agency.pk, agency.unit_id, agency.unit.tier)
    leads = Membership.objects.filter(role=Role.LEADER.value, **body.lookups("agency__"))
    leaders = User.objects.filter(is_active=True, memberships__in=leads).distinct()
    return leaders if leaders.exists() else staff_of(agency)


def recipients(directive: Directive) -> list[User]:
    """Who answers for the lead agency's tasks, the group's secretariat, and the group's
    leader, who signs the conclusion and answers for its follow-up (each once)."""
    group = directive.inspection.group
    found = {u.pk: u for u in answerable_for(directive.lead_agency)}
    found.update((u.pk, u) for u in group.secretariat_people.filter(is_active=True))
    if group.leader is not None and group.leader.is_active:
        found[group.leader.pk] = group.leader
    if group.secretariat_agency is not None:
        found.update((u.pk, u) for u in staff_of(group.secretariat_agency))
    return [found[pk] for pk in sorted(found)]


def _notify(directive: Directive, kind: str, now: dt.datetime) -> int:
    """Warn each recipient not yet warned of this; how many were."""
    sent = 0
    for user in recipients(directive):
        try:
            with transaction.atomic():
                _row, made = DirectiveNotification.objects.get_or_create(
                    recipient=user, directive=directive, kind=kind, defaults={"created_at": now}
                )
        except IntegrityError:  # another worker sent it a moment ago
            made = False
        sent += int(made)
    if sent:
        record_change(f"directive.warned_{kind}", directive, after={"recipients": sent})
    return sent


def warn_directives(now: dt.datetime | None = None) -> WarningReport:
    """Warn of the open directives due soon or past their deadline (idempotent)."""
    now = now or clock.now()
    today = now.astimezone(VIETNAM).date()
    calendar = calendar_for()  # the days are the province's; office hours do not matter here
    report = WarningReport()
    # Due within WARN_WITHIN working days: never more than a few weeks of calendar days ahead.
    horizon = today + dt.timedelta(days=7 * WARN_WITHIN + 21)
    open_directives = Directive.objects.filter(closed_at__isnull=True).select_related(
        "lead_agency__unit",
        "inspection__group__secretariat_agency__unit",
        "inspection__group__leader",
    )
    for directive in open_directives.filter(deadline__gte=today, deadline__lte=horizon):
        if working_days_left(calendar, today, directive.deadline) <= WARN_WITHIN:
            with transaction.atomic():
                report.due_soon += _notify(directive, DirectiveNotification.Kind.DUE_SOON, now)
    for directive in open_directives.filter(deadline__lt=today):
        with transaction.atomic():
            report.overdue += _notify(directive, DirectiveNotification.Kind.OVERDUE, now)
    return report


def run_warnings() -> str:
    """The scheduled job: one round under the worker's name in the audit log."""
    from haicap.core.context import acting_as

    with acting_as("worker"):
        report = warn_directives()
    return f"{report.due_soon} warned of directives due soon, {report.overdue} of overdue ones"
