"""Process templates and the moves they allow (pure: no Django).

A template is a graph: **steps** (who works there, what share of the legal time it gets) and
**actions** that move a dossier from one step to another for given roles. The engine answers
two questions and nothing else: which actions may these roles take at this step, and what does
taking one do (the next step and the effect on the legal clock).

The clock effects follow ``domain.md``:

* ``keep``: the clock runs on.
* ``pause``: the clock stops (a supplement request, the applicant's financial obligation, a wait
  a sector law excludes); the dossier waits at a *waiting* step.
* ``resume``: the clock runs again from where it stopped (the fee was paid).
* ``restart``: the legal time starts again from zero (the complete dossier arrived after a
  supplement request, Decree 61 Art. 18 as kept by current practice).
* ``stop``: processing has ended: the result is ready (a *done* step, whose timeliness is judged
  at that moment) or the dossier is closed (a *terminal* step).

``problems`` checks a template before it is published; a template without problems keeps the
clock consistent on every path: it never pauses a stopped clock or resumes a running one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Clock(StrEnum):
    KEEP = "keep"
    PAUSE = "pause"
    RESUME = "resume"
    RESTART = "restart"
    STOP = "stop"


class StepKind(StrEnum):
    WORK = "work"  # somebody works on the dossier; the clock runs
    WAITING = "waiting"  # the applicant owes something; the clock is paused
    DONE = "done"  # the result is ready; the clock has stopped, the result is yet to be handed over
    TERMINAL = "terminal"  # the dossier is closed


@dataclass(frozen=True)
class Step:
    code: str
    name: str
    kind: StepKind = StepKind.WORK
    roles: frozenset[str] = frozenset()  # who works at this step
    share: Decimal = Decimal(0)  # share of the legal time this step may use (work steps)
    outcome: str = ""  # for terminal steps: returned, refused, withdrawn, ...


@dataclass(frozen=True)
class Action:
    code: str
    name: str
    source: str
    target: str
    roles: frozenset[str]
    clock: Clock = Clock.KEEP
    needs_note: bool = False
    needs_document: bool = False
    transfers: bool = False  # hands the dossier to another agency or tier (names the agency)
    once: bool = False  # may be taken once per dossier (a supplement request, a new appointment)
    # may be taken only this many working days after the clock started (a supplement request:
    # within 3 working days of receipt, Decree 61 Art. 18); None: any time
    within_working_days: Decimal | None = None


@dataclass(frozen=True)
class Template:
    code: str
    name: str
    start: str
    steps: tuple[Step, ...]
    actions: tuple[Action, ...]
    _steps: dict[str, Step] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_steps", {s.code: s for s in self.steps})

    def step(self, code: str) -> Step:
        try:
            return self._steps[code]
        except KeyError:
            raise UnknownStep(code) from None

    def actions_from(self, step_code: str) -> list[Action]:
        return [a for a in self.actions if a.source == step_code]


class WorkflowError(Exception):
    pass


class UnknownStep(WorkflowError):
    pass


class NotAllowed(WorkflowError):
    """The action does not exist at this step, or none of the actor's roles may take it."""


@dataclass(frozen=True)
class Move:
    action: Action
    target: Step
    clock: Clock


def allowed_actions(
    template: Template,
    step_code: str,
    roles: Iterable[str],
    taken: Iterable[str] = (),
    worked_days: Decimal | None = None,
) -> list[Action]:
    """The actions these roles may take at this step, in the template's order.

    ``taken`` are the codes of actions the dossier has already taken; an action marked ``once``
    is not offered again. ``worked_days`` is the working time since the clock started; an action
    with a window is not offered once it has passed.
    """
    held, done = frozenset(roles), frozenset(taken)
    return [
        a
        for a in template.actions_from(step_code)
        if a.roles & held
        and not (a.once and a.code in done)
        and not (
            a.within_working_days is not None
            and worked_days is not None
            and worked_days > a.within_working_days
        )
    ]


def take(
    template: Template,
    step_code: str,
    action_code: str,
    roles: Iterable[str],
    taken: Iterable[str] = (),
    worked_days: Decimal | None = None,
) -> Move:
    """What taking ``action_code`` at ``step_code`` does; ``NotAllowed`` if it may not be taken."""
    for action in allowed_actions(template, step_code, roles, taken, worked_days):
        if action.code == action_code:
            return Move(action, template.step(action.target), action.clock)
    raise NotAllowed(f"{action_code!r} is not open to these roles at step {step_code!r}")


# The clock effect that fits each move between two kinds of step; a move not listed is refused.
_FITTING_CLOCK: dict[tuple[StepKind, StepKind], frozenset[Clock]] = {
    (StepKind.WORK, StepKind.WORK): frozenset({Clock.KEEP}),
    (StepKind.WORK, StepKind.WAITING): frozenset({Clock.PAUSE}),
    (StepKind.WORK, StepKind.DONE): frozenset({Clock.STOP}),
    (StepKind.WORK, StepKind.TERMINAL): frozenset({Clock.STOP}),
    (StepKind.WAITING, StepKind.WORK): frozenset({Clock.RESUME, Clock.RESTART}),
    (StepKind.WAITING, StepKind.WAITING): frozenset({Clock.KEEP}),
    (StepKind.WAITING, StepKind.TERMINAL): frozenset({Clock.STOP}),
    (StepKind.DONE, StepKind.DONE): frozenset({Clock.KEEP}),
    (StepKind.DONE, StepKind.TERMINAL): frozenset({Clock.KEEP}),
}


def expected_clock(source: Step, target: Step) -> frozenset[Clock]:
    """The clock effects that fit a move between two kinds of step (empty: no such move)."""
    return _FITTING_CLOCK.get((source.kind, target.kind), frozenset())


def problems(template: Template, known_roles: Iterable[str] | None = None) -> list[str]:
    """Everything wrong with a template, in words an administrator can act on."""
    found: list[str] = []
    codes = [s.code for s in template.steps]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        found.append(f"step codes used twice: {', '.join(duplicates)}")
    steps = {s.code: s for s in template.steps}
    roles = frozenset(known_roles) if known_roles is not None else None

    if template.start not in steps:
        found.append(f"the start step {template.start!r} does not exist")
    elif steps[template.start].kind is not StepKind.WORK:
        found.append("the start step must be a work step")
    if not any(s.kind is StepKind.TERMINAL for s in template.steps):
        found.append("no terminal step: a dossier could never finish")

    for step in template.steps:
        if not step.share.is_finite() or step.share < 0:
            found.append(f"step {step.code!r} has a negative share of the legal time")
        if step.kind is not StepKind.WORK and step.share != 0:
            found.append(f"step {step.code!r} is not a work step and cannot use legal time")
        if step.kind is StepKind.TERMINAL and not step.outcome:
            found.append(f"terminal step {step.code!r} needs an outcome")
        if roles is not None and step.roles - roles:
            found.append(f"step {step.code!r} names unknown roles {sorted(step.roles - roles)}")
    shares = [s.share for s in template.steps if s.kind is StepKind.WORK and s.share.is_finite()]
    total_share = sum(shares, Decimal(0))
    if total_share != 1:
        found.append(f"the work steps' shares of the legal time add up to {total_share}, not 1")

    seen_actions: set[tuple[str, str]] = set()
    for action in template.actions:
        key = (action.source, action.code)
        if key in seen_actions:
            found.append(f"action {action.code!r} appears twice at step {action.source!r}")
        seen_actions.add(key)
        source, target = steps.get(action.source), steps.get(action.target)
        if source is None or target is None:
            missing = action.source if source is None else action.target
            found.append(f"action {action.code!r} refers to a missing step {missing!r}")
            continue
        if source.kind is StepKind.TERMINAL:
            found.append(f"action {action.code!r} leaves terminal step {source.code!r}")
        if not action.roles:
            found.append(f"action {action.code!r} at {source.code!r} is open to no role")
        window = action.within_working_days
        if window is not None and (not window.is_finite() or window <= 0):
            found.append(f"action {action.code!r} has a window that is not a positive number")
        if roles is not None and action.roles - roles:
            found.append(
                f"action {action.code!r} names unknown roles {sorted(action.roles - roles)}"
            )
        fitting = expected_clock(source, target)
        if not fitting and source.kind is not StepKind.TERMINAL:
            found.append(
                f"action {action.code!r} cannot lead from a {source.kind} step to a "
                f"{target.kind} step"
            )
        elif fitting and action.clock not in fitting:
            allowed = " or ".join(sorted(fitting))
            found.append(
                f"action {action.code!r} ({source.code} → {target.code}) must {allowed} the "
                f"clock, not {action.clock}"
            )

    if template.start in steps:
        reachable = _reachable(template, [template.start], forward=True)
        for step in template.steps:
            if step.code not in reachable:
                found.append(f"step {step.code!r} cannot be reached from the start")
        terminals = [s.code for s in template.steps if s.kind is StepKind.TERMINAL]
        finishing = _reachable(template, terminals, forward=False)
        for step in template.steps:
            if step.code in reachable and step.code not in finishing:
                found.append(f"from step {step.code!r} no terminal step can be reached")
    return found


def _reachable(template: Template, starts: Iterable[str], forward: bool) -> set[str]:
    edges: dict[str, set[str]] = {}
    for action in template.actions:
        a, b = (action.source, action.target) if forward else (action.target, action.source)
        edges.setdefault(a, set()).add(b)
    seen = set(starts)
    queue = deque(seen)
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen
