"""The petition lifecycle (pure): every sequence of moves keeps its promises."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.feedback.lifecycle import (
    OPEN_STATES,
    Action,
    Refused,
    State,
    allowed,
    answer_is_final,
    next_state,
)


@given(st.lists(st.sampled_from(list(Action)), max_size=30))
def test_any_sequence_of_moves_reopens_at_most_once_and_never_leaves_closed(actions):
    state, reopened, reopenings = State.RECEIVED, False, 0
    for action in actions:
        if action not in allowed(state, reopened=reopened):
            with pytest.raises(Refused):
                next_state(state, action, reopened=reopened)
            continue
        before = state
        state = next_state(state, action, reopened=reopened)
        if action == Action.REOPEN:
            reopenings += 1
            reopened = True
        assert before != State.CLOSED  # nothing leaves closed
    assert reopenings <= 1


def test_a_transfer_puts_an_open_petition_back_to_received_and_never_closes_it():
    for state in OPEN_STATES:
        assert next_state(state, Action.TRANSFER) == State.RECEIVED
    for state in (State.ANSWERED, State.CLOSED):
        with pytest.raises(Refused):
            next_state(state, Action.TRANSFER)


def test_the_sender_reopens_an_answer_once_then_the_answer_is_final():
    assert next_state(State.ANSWERED, Action.REOPEN) == State.IN_PROGRESS
    with pytest.raises(Refused, match="once"):
        next_state(State.ANSWERED, Action.REOPEN, reopened=True)
    assert not answer_is_final(False) and answer_is_final(True)


def test_only_an_answered_petition_is_accepted_or_closed():
    for state in State:
        for action in (Action.ACCEPT, Action.CLOSE):
            if state == State.ANSWERED:
                assert next_state(state, action) == State.CLOSED
            else:
                with pytest.raises(Refused):
                    next_state(state, action)


def test_a_received_petition_is_assigned_before_it_is_answered():
    with pytest.raises(Refused):
        next_state(State.RECEIVED, Action.ANSWER)
    with pytest.raises(Refused):
        next_state(State.RECEIVED, Action.START)
