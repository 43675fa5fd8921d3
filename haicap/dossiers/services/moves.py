"""The state a move of the process leaves a dossier in: its clock, its step and its budget.

No database work and no checks: ``act`` checks first, and rebuilding a dossier from its events
(``history``) replays the same functions, so the two cannot drift apart.
"""

import datetime as dt
from decimal import Decimal

from haicap.accounts.models import User
from haicap.calendar.workdays import WHOLE_WORKING_DAYS, WORKING_DAYS, WorkCalendar
from haicap.dossiers.handovers import step_result
from haicap.dossiers.models import Dossier
from haicap.dossiers.remaining import HOURS_PER_WORKING_DAY
from haicap.dossiers.timeliness import Timeliness, classify, shift_by_pause
from haicap.units.models import Agency
from haicap.workflow.engine import Clock, Move, Step, StepKind, Template

# A refusal is a decision and is judged for timeliness like a result; a withdrawal is not.
RESOLVED_OUTCOMES = {"refused"}
# The worker closes a dossier whose supplement never came (``deadlines``): its event's action.
SUPPLEMENT_LAPSED = "closed_unsupplemented"
STOPPED_OUTCOME = "withdrawn"


def lapse_move(template: Template, step_code: str) -> Move | None:
    """How a dossier waiting at ``step_code`` is stopped when its supplement never comes: the
    template's own move from there that stops the clock at the terminal step of stopped
    processing (like a withdrawal, it is no decision and is not judged for timeliness); None
    when the template has none from that step."""
    for action in template.actions_from(step_code):
        target = template.step(action.target)
        if (
            action.clock is Clock.STOP
            and target.kind is StepKind.TERMINAL
            and target.outcome == STOPPED_OUTCOME
        ):
            return Move(action, target, Clock.STOP)
    return None


def step_due(
    calendar: WorkCalendar, step: Step, started: dt.datetime, legal_amount: Decimal, legal_unit: str
) -> dt.datetime | None:
    """A work step's own budget: its share of the legal time, counted from when it starts.

    A share of whole working days is counted in working days (hours): a step of a same-day
    procedure gets its part of the day, not a day's close of its own.
    """
    if step.kind is not StepKind.WORK or step.share == 0:
        return None
    if legal_unit == WHOLE_WORKING_DAYS:
        return calendar.add(started, legal_amount * step.share, WORKING_DAYS)
    if legal_unit == "calendar_days":
        return calendar.add(started, (legal_amount * step.share).to_integral_value(), legal_unit)
    return calendar.add(started, legal_amount * step.share, legal_unit)


def apply_move(
    dossier: Dossier,
    calendar: WorkCalendar,
    move: Move,
    now: dt.datetime,
    *,
    target_agency: Agency | None = None,
    assignee: User | None = None,
    new_appointment_at: dt.datetime | None = None,
) -> dict:
    """The state a move leaves the dossier in, and what its event records.

    No database work and no checks: ``act`` checks first, and rebuilding a dossier from its
    events replays the same function, so the two cannot drift apart.
    """
    data: dict = {}
    if move.action.transfers:
        data["from_agency"] = dossier.competent_agency_id
        dossier.competent_agency = target_agency
        dossier.assignee = None  # the receiving agency assigns its own officer
    if assignee is not None:
        dossier.assignee = assignee
        data["assignee"] = assignee.get_username()
    if new_appointment_at is not None:
        data.update(
            {
                "due_at": dossier.due_at.isoformat(),
                "new_appointment_at": new_appointment_at.isoformat(),
            }
        )
        dossier.appointment_at = new_appointment_at
        dossier.late_agency = dossier.competent_agency
    _apply_clock(dossier, calendar, move.clock, now)
    if move.clock is Clock.STOP and (
        move.target.kind is StepKind.DONE or move.target.outcome in RESOLVED_OUTCOMES
    ):
        dossier.timeliness = classify(now, dossier.due_at, calendar.zone)
        dossier.worked_days = used_legal_time(dossier, calendar, now)
        if dossier.timeliness == Timeliness.LATE and dossier.late_agency_id is None:
            dossier.late_agency = dossier.competent_agency
    if move.target.code != dossier.step:
        if dossier.step_kind == StepKind.WORK and dossier.step_due_at is not None:
            # which step made a dossier late: each work step is judged against its budget
            data["step_timeliness"] = step_result(now, dossier.step_due_at, calendar.zone)
        dossier.step, dossier.step_kind = move.target.code, move.target.kind
        if move.target.kind is StepKind.WAITING:
            pass  # the step's budget waits with the clock; it is shifted on resuming
        elif move.clock is not Clock.RESUME:
            dossier.step_started_at = now
            dossier.step_due_at = step_due(
                calendar, move.target, now, dossier.legal_amount, dossier.legal_unit
            )
        if move.target.kind is not StepKind.WORK:
            dossier.assignee = None
    if move.target.kind is StepKind.TERMINAL:
        dossier.outcome = move.target.outcome
    dossier.version += 1
    return data


def used_legal_time(dossier: Dossier, calendar: WorkCalendar, now: dt.datetime) -> Decimal:
    """Working days of the legal time used by ``now``, pauses left out.

    A pause moves the due moment by the paused working time, and a restart moves it by the whole
    legal time, so the legal time less what remains to the due moment is the time used (more
    than the legal time when late). A period in calendar days or whole working days has no fixed
    budget in working hours; it is measured from the clock's start.
    """
    if dossier.legal_unit in ("calendar_days", WHOLE_WORKING_DAYS):
        # n whole working days hold less than n days of hours when the clock starts mid-day,
        # so they have no fixed budget in hours either
        used = calendar.elapsed(dossier.clock_started_at, now)
    else:
        per_day = HOURS_PER_WORKING_DAY if dossier.legal_unit == "working_hours" else 1
        used = dossier.legal_amount / per_day - calendar.elapsed(now, dossier.due_at)
    return max(used, Decimal(0)).quantize(Decimal("0.001"))


def _apply_clock(dossier: Dossier, calendar: WorkCalendar, effect: Clock, now: dt.datetime) -> None:
    if effect is Clock.PAUSE:
        dossier.paused_at = now
    elif effect is Clock.RESUME:
        # The clock goes on where it stopped: every deadline moves by the paused working time,
        # so a dossier that was already late stays late.
        dossier.due_at = shift_by_pause(
            calendar, dossier.due_at, dossier.paused_at, now, dossier.legal_unit
        )
        if dossier.step_due_at is not None:
            dossier.step_due_at = shift_by_pause(
                calendar, dossier.step_due_at, dossier.paused_at, now
            )
        dossier.paused_at = None
        _forget_deadline_notices(dossier)
    elif effect is Clock.RESTART:
        # The complete dossier has arrived: the whole legal time starts again from zero.
        dossier.clock_started_at = calendar.clock_start(now, dossier.cutoff)
        dossier.due_at = calendar.add(now, dossier.legal_amount, dossier.legal_unit, dossier.cutoff)
        dossier.paused_at = None
        _forget_deadline_notices(dossier)
    elif effect is Clock.STOP:
        dossier.paused_at = None
        dossier.finished_at = now


def _forget_deadline_notices(dossier: Dossier) -> None:
    """A new due moment needs its own warning and overdue marking (and apology draft)."""
    dossier.warned_at = None
    dossier.overdue_since = None


def worked_days(dossier: Dossier, calendar: WorkCalendar, now: dt.datetime) -> Decimal:
    """Working days since the clock (re)started, not counting a pause in progress."""
    until = dossier.paused_at or now
    return calendar.elapsed(dossier.clock_started_at, max(until, dossier.clock_started_at))
