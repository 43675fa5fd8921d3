"""When a replica is fresh enough to read from (haicap.core.replica_lag)."""

from hypothesis import given
from hypothesis import strategies as st

from haicap.core.replica_lag import ReplicaState, lag_seconds, usable

seconds = st.floats(min_value=0, max_value=1e6, allow_nan=False)


@given(since=st.none() | seconds, limit=seconds)
def test_a_replica_that_has_replayed_all_it_received_is_not_behind(since, limit) -> None:
    state = ReplicaState(in_recovery=True, caught_up=True, since_last_replay=since)
    assert lag_seconds(state) == 0 and usable(state, limit)


@given(since=seconds, limit=seconds)
def test_a_replica_with_wal_to_replay_is_as_far_behind_as_its_last_replay(since, limit) -> None:
    state = ReplicaState(in_recovery=True, caught_up=False, since_last_replay=since)
    assert lag_seconds(state) == since
    assert usable(state, limit) == (since <= limit)


def test_a_replica_that_cannot_tell_its_lag_is_not_read() -> None:
    state = ReplicaState(in_recovery=True, caught_up=False, since_last_replay=None)
    assert lag_seconds(state) is None and not usable(state, 1e9)


def test_a_promoted_replica_is_not_behind() -> None:
    assert usable(ReplicaState(in_recovery=False, caught_up=False, since_last_replay=None), 0)
