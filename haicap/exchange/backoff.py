"""How long a failed message waits before its next attempt (pure: no Django).

Exponential backoff with "equal jitter": the n-th failure waits between half and all of
``base × 2^(n-1)``, capped. The random half spreads the retries of messages that failed
together (a receiver coming back from an outage is not hit by all of them at once); the fixed
half makes sure the wait still grows, so a sick receiver is left alone longer and longer.
"""

import random
from collections.abc import Callable


def ceiling(failures: int, *, base: float, cap: float) -> float:
    """The longest wait after ``failures`` failures in a row (1 for the first)."""
    if failures < 1:
        raise ValueError("a wait follows at least one failure")
    if base <= 0 or cap < base:
        raise ValueError("backoff needs 0 < base <= cap")
    # Past ~60 doublings every float is above any sensible cap; stop there before overflowing.
    return min(cap, base * 2.0 ** min(failures - 1, 60))


def delay(
    failures: int,
    *,
    base: float,
    cap: float,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait after ``failures`` failures in a row; ``rand`` returns a float in [0, 1)."""
    top = ceiling(failures, base=base, cap=cap)
    return top / 2 + top / 2 * rand()
