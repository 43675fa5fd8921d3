"""Who may write what in the oversight app: the group's secretariat, its leader, the PPC
Office, the agencies a directive names."""

from django.utils.translation import gettext as _

from haicap.accounts.models import Membership, User
from haicap.accounts.services import require_writable
from haicap.core.errors import PermissionDenied
from haicap.core.scoping import scope_of
from haicap.oversight.models import WorkingGroup
from haicap.units.kinds import AgencyKind
from haicap.units.models import Agency


def works_for(actor: User, agency: Agency) -> bool:
    """Whether ``actor`` works for ``agency``: a member of it, or of any agency of its commune
    (a commune's bodies act as one)."""
    return any(body.includes(agency.pk, agency.unit_id) for body in scope_of(actor).bodies())


def in_secretariat(actor: User, group: WorkingGroup) -> bool:
    """The group's secretariat: its secretariat members, and the staff of its secretariat
    agency."""
    if group.secretariat_people.filter(pk=actor.pk).exists():
        return True
    return group.secretariat_agency is not None and works_for(actor, group.secretariat_agency)


def require_group_maker(actor: User) -> None:
    require_writable(actor)
    if scope_of(actor).is_system_admin:
        return
    if not Membership.objects.filter(user=actor, agency__kind=AgencyKind.PPC_OFFICE).exists():
        raise PermissionDenied(
            _("Working groups are set up by the PPC Office and system administrators.")
        )


def require_group_editor(actor: User, group: WorkingGroup) -> None:
    require_writable(actor)
    if in_secretariat(actor, group):
        return
    require_group_maker(actor)


def manages(actor: User, group: WorkingGroup) -> bool:
    """Whether ``actor`` writes the group's inspections, findings and directives: its
    secretariat, its leader, or a system administrator (and not one who only reads)."""
    if scope_of(actor).read_only:
        return False
    return (
        scope_of(actor).is_system_admin
        or group.leader_id == actor.pk
        or in_secretariat(actor, group)
    )


def require_manager(actor: User, group: WorkingGroup) -> None:
    """The group's secretariat, its leader, or a system administrator."""
    require_writable(actor)
    if not manages(actor, group):
        raise PermissionDenied(
            _("Only the working group's secretariat and leader write its inspections.")
        )
