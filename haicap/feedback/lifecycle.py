"""A petition's states and the moves between them (pure).

Received → assigned → in progress → answered → closed. A petition is never closed by the agency
that cannot handle it: it is transferred, and is received again at the competent one with the
same legal deadline. The sender who says an answer did not resolve it reopens it, once; a
second answer is final (a further grievance goes the way of the Law on Complaints 2011). An
answer the sender accepts, or leaves unchallenged for ``ACCEPT_WITHIN_WORKING_DAYS``, closes it
(haicap's convention: the law sets no period for the sender's reply).
"""

from enum import StrEnum

ACCEPT_WITHIN_WORKING_DAYS = 10


class State(StrEnum):
    RECEIVED = "received"  # at the competent agency, nobody handles it yet
    ASSIGNED = "assigned"  # an officer is named to handle it
    IN_PROGRESS = "in_progress"  # the officer is working on it
    ANSWERED = "answered"  # an answer was sent to the sender
    CLOSED = "closed"  # the sender accepted the answer, or the answer was final


class Action(StrEnum):
    ASSIGN = "assign"  # name (or change) the officer who handles it
    START = "start"  # the officer begins
    TRANSFER = "transfer"  # not competent: sent to the competent agency, with the reason
    ANSWER = "answer"
    REOPEN = "reopen"  # the sender says the answer did not resolve it
    ACCEPT = "accept"  # the sender says it did
    CLOSE = "close"  # the worker closes an answer left unchallenged, or a final one


OPEN_STATES = frozenset({State.RECEIVED, State.ASSIGNED, State.IN_PROGRESS})


class Refused(ValueError):
    """The move is not allowed from this state (the message is in English; callers translate)."""


_MOVES: dict[Action, dict[State, State]] = {
    Action.ASSIGN: {
        State.RECEIVED: State.ASSIGNED,
        State.ASSIGNED: State.ASSIGNED,
        State.IN_PROGRESS: State.IN_PROGRESS,
    },
    Action.START: {State.ASSIGNED: State.IN_PROGRESS},
    Action.TRANSFER: {
        State.RECEIVED: State.RECEIVED,
        State.ASSIGNED: State.RECEIVED,
        State.IN_PROGRESS: State.RECEIVED,
    },
    Action.ANSWER: {State.IN_PROGRESS: State.ANSWERED, State.ASSIGNED: State.ANSWERED},
    Action.REOPEN: {State.ANSWERED: State.IN_PROGRESS},
    Action.ACCEPT: {State.ANSWERED: State.CLOSED},
    Action.CLOSE: {State.ANSWERED: State.CLOSED},
}


def next_state(state: State, action: Action, *, reopened: bool = False) -> State:
    """Where ``action`` takes a petition in ``state``; ``reopened``: it was reopened before.

    Raises ``Refused`` for a move the lifecycle does not allow."""
    if action == Action.REOPEN and reopened:
        raise Refused("a petition is reopened once; the second answer is final")
    found = _MOVES[action].get(state)
    if found is None:
        raise Refused(f"cannot {action.value} a petition that is {state.value}")
    return found


def allowed(state: State, *, reopened: bool = False) -> frozenset[Action]:
    """The actions that may be taken from ``state``."""
    return frozenset(
        action
        for action, moves in _MOVES.items()
        if state in moves and not (action == Action.REOPEN and reopened)
    )


def answer_is_final(reopened: bool) -> bool:
    """A second answer (after the one reopening) closes the petition at once."""
    return reopened
