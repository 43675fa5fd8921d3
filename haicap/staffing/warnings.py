"""What staffing warns about, and the warnings the worker sends.

Three things (the rules are ``rotation``'s, the window the province's ``STAFFING_WARNING_DAYS``):

- a secondment ending soon: running, its last day at most that many days away, so that the
  host can plan for the officer's return and Home Affairs decide whether to extend;
- a seconded officer with no haicap account: running, or starting at most that many days
  away. The worker gives a seconded officer their role at the host through their account; with
  none, the host cannot give them work in haicap until someone opens one and links it;
- a one-stop desk posting due for rotation (its 36-month limit, Decree 118/2025 Art. 11, at
  most that many days away) or past that limit.

Each is listed on the warnings page (``effect_views``) to whoever may see the officer or the
secondment, and sent once as a notice (``StaffingNotice``, shown on the desk through
``core.notices``) to the staffing authority's staff, who arrange the rotation or the next
plan, and to the administrators of the officer's own body, who manage its staff; for a
secondment ending, also to the host's, which is about to lose the officer. An officer without
an account is the host's and the authority's business (the host's administrators link the
account; the officer's own body has nothing to do), so only they are told. A notice is one row
per recipient, kind and thing warned about, so however often the worker runs (or however many
run at once) each is sent once; a plan's new version repeating a secondment is the same thing.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haicap.accounts.models import Membership, User
from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.roles import Role
from haicap.core.scoping import acting_body
from haicap.staffing.models import (
    Officer,
    Secondment,
    SecondmentPlan,
    StaffingNotice,
)
from haicap.staffing.permissions import EDITORS
from haicap.staffing.rotation import (
    Rotation,
    desk_rotation,
    latest_start_warned,
    rotation_limit,
)
from haicap.staffing.standings import body_name, in_effect
from haicap.units.kinds import Duty
from haicap.units.models import Agency


def warning_days() -> int:
    return settings.STAFFING_WARNING_DAYS


@dataclass(frozen=True)
class DeskRotation:
    """A desk posting due for rotation or past its limit."""

    officer: Officer
    rotation: Rotation
    limit: dt.date  # the day the posting reaches 36 months

    @property
    def past(self) -> bool:
        return self.rotation == Rotation.PAST


def ending_secondments(secondments: QuerySet[Secondment], on: dt.date) -> list[Secondment]:
    """Those of ``secondments`` running on ``on`` whose last day is at most ``warning_days``
    away, the soonest first."""
    last = on + dt.timedelta(days=warning_days())
    return list(
        secondments.filter(in_effect(on), end_date__lte=last)
        .select_related("officer__agency__unit", "from_agency__unit", "to_agency__unit", "field")
        .order_by("end_date", "officer__full_name", "pk")
    )


def without_account(secondments: QuerySet[Secondment], on: dt.date) -> list[Secondment]:
    """Those of ``secondments`` (approved) running on ``on`` or starting at most
    ``warning_days`` away whose officer has no haicap account, the soonest start first."""
    first = on + dt.timedelta(days=warning_days())
    return list(
        secondments.filter(
            plan__status=SecondmentPlan.Status.APPROVED,
            officer__user__isnull=True,
            start_date__lte=first,
            end_date__gte=on,
        )
        .select_related("officer__agency__unit", "from_agency__unit", "to_agency__unit", "field")
        .order_by("start_date", "officer__full_name", "pk")
    )


def no_account_words(secondment: Secondment) -> str:
    """What an officer seconded with no haicap account means to the host, in a sentence."""
    return _("%(host)s cannot give them work in haicap") % {"host": body_name(secondment.to_agency)}


def desk_rotations(officers: QuerySet[Officer], on: dt.date) -> list[DeskRotation]:
    """Those of ``officers`` whose desk posting is due for rotation or past its limit on
    ``on``: past the limit first, then the soonest limit first."""
    days = warning_days()
    posted = officers.filter(
        desk_posting_from__isnull=False, desk_posting_from__lte=latest_start_warned(on, days)
    ).select_related("agency__unit")
    found = []
    for officer in posted:
        state = desk_rotation(officer.desk_posting_from, officer.desk_posting_until, on, days)
        if state is not None:
            found.append(DeskRotation(officer, state, rotation_limit(officer.desk_posting_from)))
    found.sort(key=lambda r: (not r.past, r.limit, r.officer.full_name, r.officer.pk))
    return found


# --- who is told ---------------------------------------------------------------------------


def authority_staff() -> QuerySet[User]:
    """The staffing authority's officers who arrange staff (not its read-only supervisors)."""
    members = Membership.objects.filter(
        agency__duties__duty=Duty.STAFFING, role__in=sorted(EDITORS)
    )
    return User.objects.filter(is_active=True, memberships__in=members).distinct()


def administrators_of(agency: Agency) -> QuerySet[User]:
    """The administrators of the body ``agency`` belongs to (a commune's agencies act as one)."""
    body = acting_body(agency.pk, agency.unit_id, agency.unit.tier)
    members = Membership.objects.filter(role=Role.AGENCY_ADMIN.value, **body.lookups("agency__"))
    return User.objects.filter(is_active=True, memberships__in=members).distinct()


def host_recipients(secondment: Secondment) -> list[User]:
    """Who is told about a secondment's host's business: the authority's staff and the host's
    administrators, each once, by id."""
    found = {u.pk: u for u in authority_staff()}
    found.update((u.pk, u) for u in administrators_of(secondment.to_agency))
    return [found[pk] for pk in sorted(found)]


def recipients(officer: Officer, secondment: Secondment | None = None) -> list[User]:
    """Who is told about ``officer`` (and their ``secondment``), each once, by id."""
    found = {u.pk: u for u in authority_staff()}
    found.update((u.pk, u) for u in administrators_of(officer.agency))
    if secondment is not None:
        found.update((u.pk, u) for u in administrators_of(secondment.to_agency))
    return [found[pk] for pk in sorted(found)]


# --- sending -------------------------------------------------------------------------------


@dataclass
class WarningReport:
    """Notices sent in one round (one per recipient)."""

    secondments_ending: int = 0
    rotations_due: int = 0
    rotations_past: int = 0
    without_account: int = 0

    def __str__(self) -> str:
        return (
            f"{self.secondments_ending} warned of secondments ending soon, "
            f"{self.without_account} of seconded officers without an account, "
            f"{self.rotations_due} of desk postings due for rotation, "
            f"{self.rotations_past} of postings past the limit"
        )


def secondment_key(secondment: Secondment) -> str:
    """The same ending in every version of a plan: the officer, the host and the last day."""
    return (
        f"secondment:{secondment.officer_id}:{secondment.to_agency_id}:"
        f"{secondment.end_date.isoformat()}"
    )


def no_account_key(secondment: Secondment) -> str:
    """The same secondment in every version of a plan: the officer, the host and the first
    day."""
    return (
        f"no-account:{secondment.officer_id}:{secondment.to_agency_id}:"
        f"{secondment.start_date.isoformat()}"
    )


def posting_key(officer: Officer) -> str:
    return f"desk:{officer.pk}:{officer.desk_posting_from.isoformat()}"


def _notify(
    people: list[User],
    kind: str,
    about: str,
    officer: Officer,
    secondment: Secondment | None,
    now: dt.datetime,
) -> int:
    """Tell each of ``people`` not yet told of this; how many were (audited when any)."""
    sent = 0
    with transaction.atomic():
        for user in people:
            try:
                with transaction.atomic():
                    _row, made = StaffingNotice.objects.get_or_create(
                        recipient=user,
                        kind=kind,
                        about=about,
                        defaults={"officer": officer, "secondment": secondment, "created_at": now},
                    )
            except IntegrityError:  # another worker sent it a moment ago
                made = False
            sent += int(made)
        if sent:
            target = secondment if secondment is not None else officer
            record_change(f"staffing.warned_{kind}", target, after={"recipients": sent})
    return sent


def send_warnings(on: dt.date, now: dt.datetime | None = None) -> WarningReport:
    """Send the notices of the secondments ending soon, the seconded officers without an
    account and the desk postings due for rotation or past their limit on ``on``
    (idempotent)."""
    now = now or clock.now()
    report = WarningReport()
    for secondment in ending_secondments(Secondment.objects.all(), on):
        report.secondments_ending += _notify(
            recipients(secondment.officer, secondment),
            StaffingNotice.Kind.SECONDMENT_ENDING,
            secondment_key(secondment),
            secondment.officer,
            secondment,
            now,
        )
    for secondment in without_account(Secondment.objects.all(), on):
        report.without_account += _notify(
            host_recipients(secondment),
            StaffingNotice.Kind.NO_ACCOUNT,
            no_account_key(secondment),
            secondment.officer,
            secondment,
            now,
        )
    for due in desk_rotations(Officer.objects.all(), on):
        kind = StaffingNotice.Kind.ROTATION_PAST if due.past else StaffingNotice.Kind.ROTATION_DUE
        sent = _notify(
            recipients(due.officer), kind, posting_key(due.officer), due.officer, None, now
        )
        if due.past:
            report.rotations_past += sent
        else:
            report.rotations_due += sent
    return report
