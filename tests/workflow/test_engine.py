"""The workflow engine: template checks, allowed actions, and the clock on every path."""

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haicap.core.roles import Role
from haicap.workflow.definition import DefinitionError, from_definition, to_definition
from haicap.workflow.engine import (
    Clock,
    NotAllowed,
    StepKind,
    allowed_actions,
    problems,
    take,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "haicap" / "workflow" / "templates"
ROLES = [r.value for r in Role]


def standard():
    data = json.loads((TEMPLATES / "one-stop-standard.json").read_text(encoding="utf-8"))
    return from_definition(data["code"], data["name"], data)


def test_the_shipped_templates_have_no_problems():
    for path in TEMPLATES.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert problems(from_definition(data["code"], data["name"], data), ROLES) == [], path.name


def test_a_template_survives_a_round_trip_through_its_definition():
    template = standard()
    again = from_definition(template.code, template.name, to_definition(template))
    assert again == template


def test_each_role_sees_only_its_own_actions():
    template = standard()
    codes = lambda step, role: [a.code for a in allowed_actions(template, step, [role])]  # noqa: E731
    assert codes("received", "intake_officer") == ["forward", "transfer", "withdraw"]
    assert codes("received", "specialist") == []
    assert codes("approval", "leader") == [
        "approve",
        "send_back",
        "new_appointment",
        "refuse",
        "withdraw",
    ]
    assert codes("returned", "leader") == []


def test_a_supplement_may_be_requested_once_only():
    template = standard()
    first = take(template, "processing", "request_supplement", ["specialist"])
    assert (first.target.code, first.clock) == ("awaiting_supplement", Clock.PAUSE)
    back = take(template, "awaiting_supplement", "supplement_received", ["intake_officer"])
    assert back.clock is Clock.RESTART
    offered = allowed_actions(template, "processing", ["specialist"], taken=["request_supplement"])
    assert "request_supplement" not in [a.code for a in offered]
    with pytest.raises(NotAllowed):
        take(
            template,
            "processing",
            "request_supplement",
            ["specialist"],
            taken=["request_supplement"],
        )


def test_a_supplement_may_be_requested_only_within_three_working_days():
    template = standard()
    offered = lambda worked: [  # noqa: E731
        a.code for a in allowed_actions(template, "processing", ["specialist"], (), worked)
    ]
    assert "request_supplement" in offered(Decimal("3"))
    assert "request_supplement" not in offered(Decimal("3.01"))


def test_a_window_that_is_not_a_positive_number_is_a_problem():
    definition = to_definition(standard())
    definition["actions"][0]["within_working_days"] = "NaN"
    with pytest.raises(DefinitionError, match="within_working_days must be a number"):
        from_definition("x", "x", definition)
    definition["actions"][0]["within_working_days"] = "-1"
    template = from_definition("x", "x", definition)
    assert "action 'forward' has a window that is not a positive number" in problems(
        template, ROLES
    )


def test_only_one_new_appointment_per_dossier_whichever_step_it_was_given_at():
    template = standard()
    offered = allowed_actions(template, "approval", ["leader"], taken=["new_appointment"])
    assert "new_appointment" not in [a.code for a in offered]


def test_a_role_cannot_take_another_roles_action():
    with pytest.raises(NotAllowed):
        take(standard(), "approval", "approve", ["specialist"])
    with pytest.raises(NotAllowed):
        take(standard(), "approval", "no-such-action", ["leader"])


def test_problems_are_named():
    template = standard()
    broken = replace(
        template,
        start="nowhere",
        steps=tuple(
            replace(s, share=Decimal("0.5")) if s.code == "approval" else s for s in template.steps
        ),
    )
    found = problems(broken, ROLES)
    assert "the start step 'nowhere' does not exist" in found
    assert "the work steps' shares of the legal time add up to 1.2, not 1" in found


def test_a_step_nothing_leads_to_is_unreachable():
    template = standard()
    without = replace(template, actions=tuple(a for a in template.actions if a.code != "submit"))
    found = problems(without, ROLES)
    assert "step 'approval' cannot be reached from the start" in found
    assert "step 'result_ready' cannot be reached from the start" in found


def test_a_dead_end_is_found():
    template = standard()
    without = replace(
        template, actions=tuple(a for a in template.actions if a.source != "awaiting_payment")
    )
    assert "from step 'awaiting_payment' no terminal step can be reached" in problems(
        without, ROLES
    )


def test_a_clock_effect_that_does_not_fit_the_move_is_found():
    template = standard()
    wrong = replace(
        template,
        actions=tuple(
            replace(a, clock=Clock.KEEP) if a.code == "request_supplement" else a
            for a in template.actions
        ),
    )
    assert (
        "action 'request_supplement' (processing → awaiting_supplement) must pause the clock, "
        "not keep"
    ) in problems(wrong, ROLES)


def test_unknown_roles_and_empty_roles_are_found():
    template = standard()
    odd = replace(
        template,
        actions=tuple(
            replace(a, roles=frozenset({"janitor"})) if a.code == "forward" else a
            for a in template.actions
        ),
    )
    assert "action 'forward' names unknown roles ['janitor']" in problems(odd, ROLES)


def test_a_malformed_definition_lists_every_problem():
    with pytest.raises(DefinitionError) as caught:
        from_definition(
            "x",
            "x",
            {
                "start": 3,
                "steps": [{"code": "a", "name": "A", "kind": "nap", "share": "lots"}, "b"],
                "actions": [
                    {
                        "code": "go",
                        "name": "Go",
                        "from": "a",
                        "to": "a",
                        "clock": "later",
                        "once": "yes",
                    }
                ],
            },
        )
    assert caught.value.problems == [
        "step 1: kind must be one of work, waiting, done, terminal",
        "step 1: share must be a number",
        "step 2: must be an object",
        "action 1: clock must be one of keep, pause, resume, restart, stop",
        "action 1: 'once' must be true or false",
        "'start' must name a step",
    ]


# --- every path keeps the clock consistent ------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=1000), max_size=40))
def test_any_sequence_of_allowed_actions_keeps_the_clock_consistent(choices):
    template = standard()
    step = template.step(template.start)
    running, stopped, taken = True, False, []
    for choice in choices:
        offered = allowed_actions(template, step.code, ROLES, taken)
        if not offered:
            assert step.kind is StepKind.TERMINAL  # only a closed dossier has nothing left to do
            break
        move = take(template, step.code, offered[choice % len(offered)].code, ROLES, taken)
        taken.append(move.action.code)
        if move.clock is Clock.PAUSE:
            assert running and not stopped
            running = False
        elif move.clock in (Clock.RESUME, Clock.RESTART):
            assert not running and not stopped
            running = True
        elif move.clock is Clock.STOP:
            assert not stopped
            running, stopped = False, True
        step = move.target
        assert (step.kind is StepKind.WAITING) == (not running and not stopped)
        assert (step.kind in (StepKind.DONE, StepKind.TERMINAL)) == stopped
    assert taken.count("request_supplement") <= 1
    assert taken.count("new_appointment") <= 1
