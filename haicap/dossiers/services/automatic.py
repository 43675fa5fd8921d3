"""Moves the system takes on a dossier by itself, with no officer acting: the pause while the
applicant's fee is unpaid and the resumption once the payment platform confirms it.

The moves are the process template's own (``request_payment`` pauses the clock,
``payment_received`` resumes it where it stopped: haicap's convention 5, the applicant's
financial obligation is a pause, not a restart); the system takes them in place of the roles the
template names, only from the steps the template allows them from, and once per key.
"""

from django.db import transaction

from haicap.calendar.selectors import calendar_for
from haicap.core import clock
from haicap.core.audit import record_change
from haicap.dossiers import changes
from haicap.dossiers.models import ApologyDraft, Dossier
from haicap.dossiers.selectors import template_of
from haicap.dossiers.services.events import append_event
from haicap.dossiers.services.moves import apply_move, worked_days
from haicap.workflow.engine import Clock, NotAllowed, take

PAYMENT_PAUSE = "request_payment"
PAYMENT_RESUME = "payment_received"
AUTOMATIC_ACTIONS = frozenset({PAYMENT_PAUSE, PAYMENT_RESUME})


def take_automatic(code: str, action: str, *, note: str, idempotency_key: str, data: dict) -> bool:
    """Take ``action`` on the dossier ``code`` as the system; True when it moved now.

    False, changing nothing, when the dossier is not at a step the action leaves from (an
    officer moved it first) or when the action was already taken under ``idempotency_key``.
    """
    if action not in AUTOMATIC_ACTIONS:
        raise ValueError(f"{action!r} is not an action the system takes by itself")
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("template", "procedure", "competent_agency__unit")
            .filter(code=code)
            .first()
        )
        if dossier is None:
            raise LookupError(f"no dossier {code!r}")
        if dossier.events.filter(idempotency_key=idempotency_key).exists():
            return False
        template = template_of(dossier)
        # The system stands in for whichever role the template gives the action.
        roles = {role for a in template.actions if a.code == action for role in a.roles}
        calendar = calendar_for(dossier.competent_agency.unit)
        now = clock.now()
        try:
            move = take(
                template,
                dossier.step,
                action,
                roles,
                dossier.events.values_list("action", flat=True),
                worked_days(dossier, calendar, now),
            )
        except NotAllowed:
            return False
        before = changes.state_of(dossier)
        moved = apply_move(dossier, calendar, move, now)
        if move.clock in (Clock.RESUME, Clock.RESTART):
            ApologyDraft.objects.filter(dossier=dossier).delete()  # as ``act``: for the old due
        dossier.save()
        event = append_event(
            dossier,
            None,
            action,
            move.action.source,
            move.target.code,
            move.clock,
            note,
            None,
            {**moved, **data},
            idempotency_key,
        )
        changes.publish(changes.DossierChange(dossier, event, before, changes.state_of(dossier)))
        record_change(
            f"dossier.{action}",
            dossier,
            after={"step": dossier.step, "version": dossier.version, "due_at": dossier.due_at},
        )
    return True
