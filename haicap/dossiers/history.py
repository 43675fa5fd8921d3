"""Rebuilding a dossier's current state from its events.

The row of ``Dossier`` is a convenience: everything in it follows from the intake (who filed
what, when, at which desk) and the events that came after. Replaying them through the same
``apply_move`` that ``act`` uses gives the state back; a difference means the row was changed
outside the services, or the calendar was changed since (a declared day off moves due dates).
"""

import datetime as dt
from copy import copy
from dataclasses import dataclass

from haicap.accounts.models import User
from haicap.calendar.selectors import calendar_for
from haicap.dossiers.models import Dossier
from haicap.dossiers.selectors import template_of
from haicap.dossiers.services import apply_move, step_due
from haicap.dossiers.services.moves import SUPPLEMENT_LAPSED, lapse_move
from haicap.units.models import Agency
from haicap.workflow.engine import Move

STATE_FIELDS = (
    "step",
    "step_kind",
    "competent_agency_id",
    "assignee_id",
    "clock_started_at",
    "due_at",
    "step_started_at",
    "step_due_at",
    "paused_at",
    "appointment_at",
    "finished_at",
    "worked_days",
    "outcome",
    "timeliness",
    "late_agency_id",
    "warned_at",
    "overdue_since",
    "version",
)
WORKER_MARKS = {"warned_due_soon": "warned_at", "marked_overdue": "overdue_since"}
# Events that record something done to the dossier's papers and leave its state as it was.
RECORD_ONLY = frozenset({"digitise_paper", "reuse_paper"})


@dataclass(frozen=True)
class Difference:
    field: str
    stored: object
    rebuilt: object


def rebuild(dossier: Dossier) -> Dossier:
    """An unsaved copy of the dossier in the state its events lead to."""
    events = list(dossier.events.select_related("agency").order_by("seq"))
    template = template_of(dossier)
    first_transfer = next((e for e in events if "from_agency" in e.data), None)
    state = copy(dossier)
    state.competent_agency = (
        Agency.objects.select_related("unit").get(pk=first_transfer.data["from_agency"])
        if first_transfer
        else dossier.competent_agency
    )
    start = template.step(template.start)
    calendar = calendar_for(state.competent_agency.unit)
    state.step, state.step_kind = start.code, start.kind
    state.clock_started_at = calendar.clock_start(dossier.received_at, dossier.cutoff)
    state.due_at = calendar.add(
        dossier.received_at, dossier.legal_amount, dossier.legal_unit, dossier.cutoff
    )
    state.step_started_at = state.clock_started_at
    state.step_due_at = step_due(
        calendar, start, state.clock_started_at, dossier.legal_amount, dossier.legal_unit
    )
    state.assignee = state.late_agency = None
    state.paused_at = state.appointment_at = state.finished_at = None
    state.warned_at = state.overdue_since = None
    state.outcome = state.timeliness = ""
    state.version = 1
    for event in events[1:]:
        if event.action in WORKER_MARKS:
            setattr(state, WORKER_MARKS[event.action], event.at)
            continue
        if event.action == SUPPLEMENT_LAPSED:  # the worker's close replays the move it took
            apply_move(
                state,
                calendar_for(state.competent_agency.unit),
                lapse_move(template, event.from_step),
                event.at,
            )
            continue
        if event.action in RECORD_ONLY:
            continue
        action = next(a for a in template.actions_from(event.from_step) if a.code == event.action)
        username = event.data.get("assignee")
        appointment = event.data.get("new_appointment_at")
        apply_move(
            state,
            calendar_for(state.competent_agency.unit),
            Move(action, template.step(action.target), action.clock),
            event.at,
            target_agency=event.agency if action.transfers else None,
            assignee=User.objects.get(username=username) if username else None,
            new_appointment_at=dt.datetime.fromisoformat(appointment) if appointment else None,
        )
    return state


def differences(dossier: Dossier) -> list[Difference]:
    rebuilt = rebuild(dossier)
    return [
        Difference(name, getattr(dossier, name), getattr(rebuilt, name))
        for name in STATE_FIELDS
        if getattr(dossier, name) != getattr(rebuilt, name)
    ]
