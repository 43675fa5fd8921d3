"""An inspection from planned to concluded."""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.audit import record_change, snapshot
from haicap.core.errors import Conflict, InvalidInput
from haicap.core.validators import check_text
from haicap.oversight.models import Inspection, WorkingGroup
from haicap.oversight.notice import issuing, numbered
from haicap.oversight.services import retries
from haicap.oversight.services.groups import check_communes
from haicap.oversight.services.permissions import require_manager
from haicap.units.models import AdministrativeUnit


def plan_inspection(
    actor: User,
    group: WorkingGroup,
    *,
    held_on: dt.date,
    communes: Sequence[AdministrativeUnit],
    participants: Sequence[User] = (),
    other_participants: str = "",
    agenda: str = "",
    idempotency_key: str = "",
) -> Inspection:
    """Plan a visit of ``group`` to some of the communes it covers (once per
    ``idempotency_key``)."""
    if idempotency_key:
        asked = {
            "group": group,
            "held_on": held_on,
            "communes": sorted(c.pk for c in communes),
            "participants": sorted(u.pk for u in participants),
            "other_participants": other_participants,
            "agenda": agenda,
        }
        return retries.once(
            actor,
            idempotency_key,
            retries.Kind.INSPECTION,
            asked,
            lambda: plan_inspection(
                actor,
                group,
                held_on=held_on,
                communes=communes,
                participants=participants,
                other_participants=other_participants,
                agenda=agenda,
            ),
        )
    require_manager(actor, group)
    check_text("other_participants", other_participants, multiline=True)
    check_text("agenda", agenda, multiline=True)
    if not communes:
        raise InvalidInput(_("Name the communes the inspection visits."))
    check_communes(communes)
    covered = set(group.communes.values_list("pk", flat=True))
    if covered and not {c.pk for c in communes} <= covered:
        raise InvalidInput(_("The working group visits only the communes it covers."))
    with transaction.atomic():
        inspection = Inspection.objects.create(
            group=group,
            held_on=held_on,
            other_participants=other_participants.strip(),
            agenda=agenda.strip(),
            created_by=actor,
        )
        inspection.communes.set(communes)
        inspection.participants.set(participants)
        record_change(
            "inspection.planned",
            inspection,
            actor=actor,
            after={
                **snapshot(inspection),
                "communes": sorted(c.pk for c in communes),
                "participants": sorted(u.pk for u in participants),
            },
        )
    return inspection


def locked_inspection(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().select_related("group").get(pk=inspection.pk)


def start_inspection(actor: User, inspection: Inspection) -> Inspection:
    """The visit begins: findings may now be recorded."""
    require_manager(actor, inspection.group)
    with transaction.atomic():
        inspection = locked_inspection(inspection)
        if inspection.state != Inspection.State.PLANNED:
            raise Conflict(_("Only a planned inspection can begin."))
        inspection.state = Inspection.State.IN_PROGRESS
        inspection.save(update_fields=["state"])
        record_change("inspection.started", inspection, actor=actor, after={"state": "in_progress"})
    return inspection


CONCLUSION_FIELDS = [
    "state",
    "conclusion_number",
    "conclusion_date",
    "conclusion_summary",
    "conclusion_text",
]


def conclude_inspection(
    actor: User,
    inspection: Inspection,
    *,
    number: str,
    date: dt.date,
    summary: str,
    text: str,
) -> Inspection:
    """The group's conclusion: its number, date, summary (the notice's title line) and text (the
    group's assessment, the notice's body). Directives are issued under it.

    The number takes the symbol of whoever issues the notice (``notice.issuing``): "95" is
    stored "95/TB-UBND" for a group led by a Vice Chairman, and "95/TB-TCT" is refused there.
    """
    require_manager(actor, inspection.group)
    check_text("number", number)
    check_text("summary", summary, multiline=True)
    check_text("text", text, multiline=True)
    if not number.strip():
        raise InvalidInput(_("A conclusion needs its number."))
    # the notice's section III states the conclusion; without it there is nothing to notify
    if not text.strip():
        raise InvalidInput(_("Write the conclusion: the notice states it."))
    symbol = issuing("", inspection.group.number, inspection.group.leader_title).symbol
    try:
        number = numbered(number, symbol)
    except ValueError:
        raise InvalidInput(
            _("The number is its ordinal in figures, with the symbol %(symbol)s: 95/%(symbol)s.")
            % {"symbol": symbol}
        ) from None
    with transaction.atomic():
        inspection = locked_inspection(inspection)
        if inspection.state != Inspection.State.IN_PROGRESS:
            raise Conflict(_("Only an inspection in progress can be concluded."))
        if date < inspection.held_on:
            raise InvalidInput(_("The conclusion cannot be dated before the visit."))
        if date > clock.now().astimezone(VIETNAM).date():
            raise InvalidInput(_("The conclusion cannot be dated after today."))
        inspection.state = Inspection.State.CONCLUDED
        inspection.conclusion_number = number
        inspection.conclusion_date = date
        inspection.conclusion_summary = summary.strip()
        inspection.conclusion_text = text.strip()
        inspection.save(update_fields=CONCLUSION_FIELDS)
        record_change(
            "inspection.concluded",
            inspection,
            actor=actor,
            after=snapshot(inspection, CONCLUSION_FIELDS),
        )
    return inspection
