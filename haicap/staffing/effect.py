"""Secondments in effect: the role a seconded officer's account holds at the host while the
secondment runs, granted on its first day and taken back the day after its last.

The worker reconciles every night (and once when it starts, so a missed night catches up):

- *wanted*: the secondments of an approved plan running today (``standings.in_effect``) whose
  officer has a haicap account (``Officer.user``);
- *held*: the open ``SecondmentGrant`` rows (not yet taken back);
- a wanted secondment with no open grant gets its role; an open grant whose secondment is no
  longer wanted loses it: its last day has passed, or its plan was superseded by a version
  without it (a new version's own secondment gets a grant of its own), or discarded.

The role (``host_role``): an officer seconded to a one-stop desk (a Public Administration
Service Centre) receives dossiers there, ``intake_officer``; to any other office of the host,
where a field's dossiers are appraised (the Economic Office for land, say), ``specialist``.
That is the work a field's gap is measured by, whatever the officer did at home: an officer
posted at their own desk does the host's specialised work, and keeps their home roles.

A role the account already held at the host before the secondment (``already_held``) is left
in place when the secondment ends. Two secondments of one account that give the same role
(a plan's new version repeating a secondment) share the membership: it goes when the last of
them ends. Each change runs in its own transaction with the account's row locked, and the
unique open grant per secondment (``one_open_grant``) turns a second worker's attempt into
nothing, so running twice, or two workers at once, changes nothing more. Grants, take-backs
and the memberships they make or remove are all in the audit log, under the worker's name.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from haicap.accounts.models import Membership, User
from haicap.accounts.services import grant_membership, revoke_membership
from haicap.core.audit import record_change, snapshot
from haicap.core.errors import Conflict
from haicap.core.roles import Role
from haicap.staffing.models import Secondment, SecondmentGrant
from haicap.staffing.standings import in_effect, today
from haicap.units.models import Agency


def host_role(host: Agency) -> Role:
    """The role a secondment to ``host`` gives: receiving at a one-stop desk, else appraising."""
    return Role.INTAKE_OFFICER if host.is_one_stop_desk else Role.SPECIALIST


@dataclass
class Reconciliation:
    """What one round changed: the grants made, and those taken back."""

    on: dt.date
    granted: list[SecondmentGrant] = field(default_factory=list)
    taken_back: list[SecondmentGrant] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{len(self.granted)} secondment roles granted, {len(self.taken_back)} taken back "
            f"({self.on.isoformat()})"
        )


def wanted_secondments(on: dt.date) -> QuerySet[Secondment]:
    """Secondments running on ``on`` whose officer has an account: each should hold its role."""
    return (
        Secondment.objects.filter(in_effect(on), officer__user__isnull=False)
        .select_related("officer", "to_agency")
        .order_by("pk")
    )


def _target(secondment: Secondment) -> tuple[int, int, str]:
    return secondment.officer.user_id, secondment.to_agency_id, host_role(secondment.to_agency)


def apply_secondments(on: dt.date | None = None) -> Reconciliation:
    """Grant the roles of the secondments running on ``on`` (today) and take back the others
    (idempotent; see the module's docstring)."""
    on = on or today()
    done = Reconciliation(on)
    wanted = {s.pk: s for s in wanted_secondments(on)}
    open_grants = list(SecondmentGrant.objects.filter(revoked_on=None).order_by("pk"))
    # An account relinked, or a host changed, while the grant was open: the old one goes first,
    # since a secondment holds one open grant at a time.
    stale = [
        g
        for g in open_grants
        if g.secondment_id in wanted
        and (g.user_id, g.agency_id, g.role) != _target(wanted[g.secondment_id])
    ]
    for grant in stale:
        _take_back(grant.pk, on, done)
    # Grants before take-backs: a secondment repeated in a plan's new version keeps its
    # membership through the change instead of losing it for a moment.
    for secondment in wanted.values():
        _grant(secondment, on, done)
    for grant in open_grants:
        if grant.secondment_id not in wanted:
            _take_back(grant.pk, on, done)
    return done


def _grant(secondment: Secondment, on: dt.date, done: Reconciliation) -> None:
    user_id, agency_id, role = _target(secondment)
    try:
        with transaction.atomic():
            # Everything about one account's secondment roles is decided under its row lock.
            user = User.objects.select_for_update().get(pk=user_id)
            if SecondmentGrant.objects.filter(secondment=secondment, revoked_on=None).exists():
                return  # held already (granted on an earlier night, or by another worker)
            same_role = {"user": user, "agency_id": agency_id, "role": role}
            held = Membership.objects.filter(**same_role).exists()
            # held only because another secondment gave it: it goes when they all end
            lent = SecondmentGrant.objects.filter(
                **same_role, revoked_on=None, already_held=False
            ).exists()
            if not held:
                grant_membership(None, user, secondment.to_agency, Role(role))
            grant = SecondmentGrant.objects.create(
                secondment=secondment,
                user=user,
                agency_id=agency_id,
                role=role,
                already_held=held and not lent,
                granted_on=on,
            )
            record_change("secondment.role_granted", grant, after=snapshot(grant))
    except (IntegrityError, Conflict):
        return  # another worker granted it at the same moment
    user.forget_scope()
    done.granted.append(grant)


def _take_back(grant_id: int, on: dt.date, done: Reconciliation) -> None:
    with transaction.atomic():
        user_id = (
            SecondmentGrant.objects.filter(pk=grant_id).values_list("user_id", flat=True).first()
        )
        user = User.objects.select_for_update().get(pk=user_id)
        grant = (
            SecondmentGrant.objects.select_for_update()
            .select_related("agency")
            .filter(pk=grant_id, revoked_on=None)
            .first()
        )
        if grant is None:
            return  # another worker took it back a moment ago
        before = snapshot(grant)
        same_role = {"user": user, "agency_id": grant.agency_id, "role": grant.role}
        shared = SecondmentGrant.objects.filter(**same_role, revoked_on=None).exclude(pk=grant.pk)
        if not grant.already_held and not shared.exists():
            membership = Membership.objects.filter(**same_role).select_related("agency").first()
            if membership is not None:
                membership.user = user
                revoke_membership(None, membership)
        grant.revoked_on = on
        grant.save(update_fields=["revoked_on"])
        record_change(
            "secondment.role_taken_back",
            grant,
            before=before,
            after=snapshot(grant, ["revoked_on"]),
        )
    user.forget_scope()
    done.taken_back.append(grant)


def run_scheduled() -> str:
    """The worker's nightly job: the roles of the secondments in effect, then the warnings of
    secondments ending soon and desk postings due for rotation; under the worker's name."""
    from haicap.core.context import acting_as
    from haicap.staffing.warnings import send_warnings

    with acting_as("worker"):
        roles = apply_secondments()
        warned = send_warnings(roles.on)
    return f"{roles}; {warned}"
