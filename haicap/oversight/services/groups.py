"""Setting up and changing a working group."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.core.audit import record_change, snapshot
from haicap.core.errors import Conflict, InvalidInput
from haicap.core.validators import check_text
from haicap.oversight.models import WorkingGroup
from haicap.oversight.services import retries
from haicap.oversight.services.permissions import require_group_editor, require_group_maker
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit, Agency


@dataclass(frozen=True)
class GroupSpec:
    number: str
    name: str
    term_start: dt.date
    term_end: dt.date | None = None
    leader: User | None = None
    leader_title: str = ""
    member_agencies: Sequence[Agency] = ()
    member_people: Sequence[User] = ()
    secretariat_agency: Agency | None = None
    secretariat_people: Sequence[User] = ()
    communes: Sequence[AdministrativeUnit] = ()


def check_communes(communes: Sequence[AdministrativeUnit]) -> None:
    for unit in communes:
        if unit.tier != Tier.COMMUNE or not unit.is_current:
            raise InvalidInput(capfirst(_("%(unit)s is not a current commune.") % {"unit": unit}))


def _check_group(spec: GroupSpec) -> None:
    for label, value in (
        ("number", spec.number),
        ("name", spec.name),
        ("leader_title", spec.leader_title),
    ):
        check_text(label, value)
    if not spec.number.strip() or not spec.name.strip():
        raise InvalidInput(_("A working group needs a number and a name."))
    if spec.term_end is not None and spec.term_end < spec.term_start:
        raise InvalidInput(_("The term ends before it begins."))
    if spec.secretariat_agency is None and not spec.secretariat_people:
        raise InvalidInput(
            _("Name the group's secretariat (an agency or people): it closes the directives.")
        )
    if spec.leader is None and not spec.leader_title.strip():
        raise InvalidInput(_("Name the group's leader, or the office the leader holds."))
    check_communes(spec.communes)


def _group_state(group: WorkingGroup) -> dict:
    return {
        **snapshot(group),
        "member_agencies": sorted(a.pk for a in group.member_agencies.all()),
        "member_people": sorted(u.pk for u in group.member_people.all()),
        "secretariat_people": sorted(u.pk for u in group.secretariat_people.all()),
        "communes": sorted(u.pk for u in group.communes.all()),
    }


def save_group(
    actor: User, spec: GroupSpec, group: WorkingGroup | None = None, *, idempotency_key: str = ""
) -> WorkingGroup:
    """Set up a working group (once per ``idempotency_key``), or change ``group`` to ``spec``."""
    if group is None and idempotency_key:
        return retries.once(
            actor, idempotency_key, retries.Kind.GROUP, spec, lambda: save_group(actor, spec)
        )
    if group is None:
        require_group_maker(actor)
    else:
        require_group_editor(actor, group)
    _check_group(spec)
    with transaction.atomic():
        before = None
        if group is not None:
            group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
            before = _group_state(group)
        clash = WorkingGroup.objects.filter(number=spec.number.strip(), term_start=spec.term_start)
        if group is not None:
            clash = clash.exclude(pk=group.pk)
        if clash.exists():
            raise Conflict(
                _("Working group no. %(number)s of that term already exists.")
                % {"number": spec.number}
            )
        group = group or WorkingGroup()
        group.number = spec.number.strip()
        group.name = spec.name.strip()
        group.term_start, group.term_end = spec.term_start, spec.term_end
        group.leader, group.leader_title = spec.leader, spec.leader_title.strip()
        group.secretariat_agency = spec.secretariat_agency
        group.save()
        group.member_agencies.set(spec.member_agencies)
        group.member_people.set(spec.member_people)
        group.secretariat_people.set(spec.secretariat_people)
        group.communes.set(spec.communes)
        after = _group_state(group)
        if before is None:
            record_change("workinggroup.created", group, actor=actor, after=after)
        elif before != after:
            changed = {k: v for k, v in after.items() if before.get(k) != v}
            record_change(
                "workinggroup.updated",
                group,
                actor=actor,
                before={k: before.get(k) for k in changed},
                after=changed,
            )
    return group
