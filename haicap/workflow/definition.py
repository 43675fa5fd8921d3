"""Process templates as data (JSON, as stored and as administrators import them) (pure).

::

    {"start": "received",
     "steps": [{"code": "received", "name": "...", "kind": "work",
                "roles": ["intake_officer"], "share": "0.1"}, ...],
     "actions": [{"code": "forward", "name": "...", "from": "received", "to": "processing",
                  "roles": ["intake_officer"], "clock": "keep", "needs_note": false,
                  "needs_document": false, "transfers": false, "once": false}, ...]}
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from haicap.workflow.engine import Action, Clock, Step, StepKind, Template


class DefinitionError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def _text(data: dict, key: str, where: str, problems: list[str], default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or (default is None and not value.strip()):
        problems.append(f"{where}: {key!r} must be text")
        return ""
    return value.strip()


def _number(value: object, what: str, problems: list[str]) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        problems.append(f"{what} must be a number")
        return None
    return number


def _roles(data: dict, where: str, problems: list[str]) -> frozenset[str]:
    value = data.get("roles", [])
    if not isinstance(value, list) or not all(isinstance(r, str) for r in value):
        problems.append(f"{where}: 'roles' must be a list of role names")
        return frozenset()
    return frozenset(value)


def _flag(data: dict, key: str, where: str, problems: list[str]) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        problems.append(f"{where}: {key!r} must be true or false")
        return False
    return value


def from_definition(code: str, name: str, data: Any) -> Template:
    """Read a template; ``DefinitionError`` lists every structural problem found."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise DefinitionError(["a template is an object with start, steps and actions"])
    steps, actions = [], []
    raw_steps = data.get("steps")
    raw_actions = data.get("actions")
    if not isinstance(raw_steps, list) or not isinstance(raw_actions, list):
        raise DefinitionError(["'steps' and 'actions' must be lists"])
    for index, raw in enumerate(raw_steps, start=1):
        where = f"step {index}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be an object")
            continue
        kind_text = _text(raw, "kind", where, problems, default="work")
        try:
            kind = StepKind(kind_text)
        except ValueError:
            problems.append(f"{where}: kind must be one of {', '.join(StepKind)}")
            kind = StepKind.WORK
        share = _number(raw.get("share", "0"), f"{where}: share", problems) or Decimal(0)
        steps.append(
            Step(
                code=_text(raw, "code", where, problems),
                name=_text(raw, "name", where, problems),
                kind=kind,
                roles=_roles(raw, where, problems),
                share=share,
                outcome=_text(raw, "outcome", where, problems, default=""),
            )
        )
    for index, raw in enumerate(raw_actions, start=1):
        where = f"action {index}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be an object")
            continue
        try:
            clock = Clock(_text(raw, "clock", where, problems, default="keep"))
        except ValueError:
            problems.append(f"{where}: clock must be one of {', '.join(Clock)}")
            clock = Clock.KEEP
        window = raw.get("within_working_days")
        actions.append(
            Action(
                code=_text(raw, "code", where, problems),
                name=_text(raw, "name", where, problems),
                source=_text(raw, "from", where, problems),
                target=_text(raw, "to", where, problems),
                roles=_roles(raw, where, problems),
                clock=clock,
                needs_note=_flag(raw, "needs_note", where, problems),
                needs_document=_flag(raw, "needs_document", where, problems),
                transfers=_flag(raw, "transfers", where, problems),
                once=_flag(raw, "once", where, problems),
                within_working_days=None
                if window is None
                else _number(window, f"{where}: within_working_days", problems),
            )
        )
    start = data.get("start")
    if not isinstance(start, str):
        problems.append("'start' must name a step")
    if problems:
        raise DefinitionError(problems)
    return Template(code=code, name=name, start=start, steps=tuple(steps), actions=tuple(actions))


def to_definition(template: Template) -> dict[str, Any]:
    return {
        "start": template.start,
        "steps": [
            {
                "code": s.code,
                "name": s.name,
                "kind": str(s.kind),
                "roles": sorted(s.roles),
                "share": str(s.share),
                "outcome": s.outcome,
            }
            for s in template.steps
        ],
        "actions": [
            {
                "code": a.code,
                "name": a.name,
                "from": a.source,
                "to": a.target,
                "roles": sorted(a.roles),
                "clock": str(a.clock),
                "needs_note": a.needs_note,
                "needs_document": a.needs_document,
                "transfers": a.transfers,
                "once": a.once,
                **(
                    {"within_working_days": str(a.within_working_days)}
                    if a.within_working_days is not None
                    else {}
                ),
            }
            for a in template.actions
        ],
    }
