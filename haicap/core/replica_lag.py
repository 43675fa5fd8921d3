"""Whether a read replica is fresh enough to read from: a pure verdict on what it reports."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ReplicaState:
    """What the replica says of itself (``replica_health.LAG_SQL``)."""

    in_recovery: bool  # false: it was promoted, or it is no replica at all
    caught_up: bool  # it has replayed all the WAL it has received
    since_last_replay: float | None  # seconds since the last replayed transaction committed


def lag_seconds(state: ReplicaState) -> float | None:
    """How far behind the primary the replica is; None when it cannot tell.

    An idle primary sends no new transactions, so the last replay's timestamp stands still while
    the replica is in fact up to date: a replica that has replayed all it received is not behind.
    """
    if not state.in_recovery or state.caught_up:
        return 0.0
    return state.since_last_replay


def usable(state: ReplicaState, max_lag_seconds: float) -> bool:
    lag = lag_seconds(state)
    return lag is not None and lag <= max_lag_seconds
