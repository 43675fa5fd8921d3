"""The wait before a retry: always grows on average, never past the cap, jittered (Hypothesis)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.exchange.backoff import ceiling, delay

failures = st.integers(min_value=1, max_value=10_000)
bases = st.floats(min_value=0.001, max_value=600, allow_nan=False)
unit = st.floats(min_value=0, max_value=1, exclude_max=True)


@given(failures, bases, st.floats(min_value=1, max_value=1e6), unit)
def test_a_wait_is_between_half_the_ceiling_and_the_ceiling(n, base, spread, r):
    cap = base * spread
    wait = delay(n, base=base, cap=cap, rand=lambda: r)
    top = ceiling(n, base=base, cap=cap)
    assert top / 2 <= wait <= top <= cap
    assert wait > 0


@given(failures, bases, st.floats(min_value=1, max_value=1e6))
def test_the_ceiling_never_shrinks_and_doubles_until_the_cap(n, base, spread):
    cap = base * spread
    now, then = ceiling(n, base=base, cap=cap), ceiling(n + 1, base=base, cap=cap)
    assert then >= now
    assert then == pytest.approx(min(cap, 2 * now))


@given(failures, bases, st.floats(min_value=1, max_value=1e6), unit, unit)
def test_two_more_failures_always_wait_longer_until_the_cap(n, base, spread, r1, r2):
    # Jitter may reorder neighbours, never waits two failures apart (below the cap).
    cap = base * spread
    later = delay(n + 2, base=base, cap=cap, rand=lambda: r2)
    if ceiling(n + 2, base=base, cap=cap) < cap:
        assert later >= delay(n, base=base, cap=cap, rand=lambda: r1)
    assert later >= delay(n, base=base, cap=cap, rand=lambda: 0.0) or later >= cap / 2


@given(bases, st.floats(min_value=1, max_value=1e6))
def test_the_first_wait_is_about_the_base(base, spread):
    cap = base * spread
    assert base / 2 <= delay(1, base=base, cap=cap) <= base


def test_jitter_spreads_messages_that_failed_together():
    import random

    rng = random.Random(7)  # noqa: S311
    waits = {round(delay(5, base=30, cap=3600, rand=rng.random), 3) for _ in range(100)}
    assert len(waits) > 90
    assert min(waits) >= 240 and max(waits) <= 480


@pytest.mark.parametrize("n, base, cap", [(0, 1, 2), (1, 0, 2), (1, 3, 2), (-1, 1, 1)])
def test_nonsense_is_refused(n, base, cap):
    with pytest.raises(ValueError):
        delay(n, base=base, cap=cap)
