"""The day a transfer batch may be approved on, as pure arithmetic: not before the districts
ended, not before a decision behind a balance it takes from, and never leaving a balance it
touches below zero on its day or later (the rules restated here, day by day)."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haicap.budget.ledger import DISTRICT, Entry
from haicap.budget.reform import DISTRICTS_ENDED, DayProblem, approval_day_refusal

M = 1_000_000
KEYS = [("P1", "district", DISTRICT), ("P1", "district", "commune"), ("P2", "central", DISTRICT)]
# mostly after the reform, where the other rules are reached
days = st.dates(dt.date(2025, 6, 1), dt.date(2025, 12, 31))
histories = st.dictionaries(
    st.sampled_from(KEYS),
    st.lists(st.tuples(days, st.integers(-(10**6), 10**6)), min_size=1, max_size=5),
)
batches = st.lists(
    st.builds(
        lambda key, amount: Entry(*key, amount), st.sampled_from(KEYS), st.integers(-(10**6), 10**6)
    ),
    max_size=6,
)
patient = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def allowed(dated, batch, day) -> bool:
    """Straight from the rules: every day from ``day`` on at which anything changes."""
    if day < DISTRICTS_ENDED:
        return False
    moved = {}
    for entry in batch:
        if not entry.amount:
            continue  # an entry of zero moves nothing
        key = (entry.project, entry.source, entry.level)
        moved[key] = moved.get(key, 0) + entry.amount
    for key, amount in moved.items():
        history = dated.get(key, [])
        if amount < 0 and any(decided > day for decided, _a in history):
            return False
        for on in {day} | {decided for decided, _a in history if decided > day}:
            if sum(a for decided, a in history if decided <= on) + amount < 0:
                return False
    return True


@patient
@given(histories, batches, days)
def test_a_day_is_refused_exactly_when_a_rule_breaks(dated, batch, day):
    refusal = approval_day_refusal(dated, batch, day)
    assert (refusal is None) == allowed(dated, batch, day)
    if refusal is not None and refusal.problem == DayProblem.BEFORE_REFORM:
        assert day < DISTRICTS_ENDED == refusal.day


def test_an_approval_dated_while_the_districts_ran_is_refused():
    """Allocated 10 January, the batch dated 1 January: refused, as any day before 1 July."""
    dated = {KEYS[0]: [(dt.date(2025, 1, 10), 6_000 * M)]}
    batch = [Entry(*KEYS[0], -6_000 * M), Entry(*KEYS[1], 6_000 * M)]
    for day in (dt.date(2025, 1, 1), dt.date(2025, 6, 30)):
        refusal = approval_day_refusal(dated, batch, day)
        assert refusal is not None and refusal.problem == DayProblem.BEFORE_REFORM
    assert approval_day_refusal(dated, batch, dt.date(2025, 7, 1)) is None


def test_an_approval_dated_before_what_it_moves_is_refused():
    """5,000 million allocated in January and 1,000 million more decided on 1 September: the
    6,000 million transfer dated 1 August would leave the district level at −1,000 million
    through August."""
    dated = {KEYS[0]: [(dt.date(2025, 1, 10), 5_000 * M), (dt.date(2025, 9, 1), 1_000 * M)]}
    batch = [Entry(*KEYS[0], -6_000 * M), Entry(*KEYS[1], 6_000 * M)]
    refusal = approval_day_refusal(dated, batch, dt.date(2025, 8, 1))
    assert refusal is not None
    assert (refusal.problem, refusal.day, refusal.key) == (
        DayProblem.BEFORE_LATEST,
        dt.date(2025, 9, 1),
        KEYS[0],
    )
    assert approval_day_refusal(dated, batch, dt.date(2025, 9, 1)) is None


def test_a_balance_short_from_the_day_on_is_refused_with_what_it_holds():
    dated = {KEYS[0]: [(dt.date(2025, 1, 10), 5_000 * M)]}
    batch = [Entry(*KEYS[0], -6_000 * M), Entry(*KEYS[1], 6_000 * M)]
    refusal = approval_day_refusal(dated, batch, dt.date(2025, 8, 1))
    assert refusal is not None
    assert (refusal.problem, refusal.key, refusal.held, refusal.taken) == (
        DayProblem.BELOW_ZERO,
        KEYS[0],
        5_000 * M,
        6_000 * M,
    )
