"""The rule a change to a plan keeps, as pure arithmetic: a decrease never takes a balance below
zero on its day nor on any later day, whatever was decided after it."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haicap.budget import adjustment

TODAY = dt.date(2025, 9, 15)
days = st.dates(dt.date(2025, 1, 1), TODAY)
# a balance's history that never went below zero: increases, and decreases within what is held
histories = st.lists(st.tuples(days, st.integers(-(10**12), 10**12)), max_size=12).map(
    lambda entries: _kept_above_zero(entries)
)


def _kept_above_zero(entries: list[tuple[dt.date, int]]) -> list[tuple[dt.date, int]]:
    kept: list[tuple[dt.date, int]] = []
    for day, amount in sorted(entries):
        if amount < 0 and adjustment.change_problem(kept, day, amount, TODAY) is not None:
            amount = -amount
        if amount:
            kept.append((day, amount))
    return kept


def balance_on(entries, day: dt.date) -> int:
    return sum(amount for decided, amount in entries if decided <= day)


# the histories are built by the rule itself, draw by draw: slow on a busy machine, not wrong
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RELAXED
@given(histories, days, st.integers(-(10**13), 10**13))
def test_an_accepted_change_leaves_no_day_below_zero(history, day, amount):
    found = adjustment.change_problem(history, day, amount, TODAY)
    after = [*history, (day, amount)]
    every_day = sorted({day, *(d for d, _a in history)})
    below = [d for d in every_day if d >= day and balance_on(after, d) < 0]
    if found is None:
        assert amount != 0 and below == []
    elif found[0] == adjustment.BELOW_ZERO:
        assert below != []  # refused only when some day would go below zero
        held, when, taken = found[1]["held"], found[1]["day"], found[1]["taken"]
        assert taken == -amount and held == balance_on(history, when) and held < taken


@RELAXED
@given(histories, days)
def test_increases_are_always_accepted(history, day):
    assert adjustment.change_problem(history, day, 1, TODAY) is None


def test_a_back_dated_decrease_cannot_take_what_was_moved_after_it():
    history = [(dt.date(2025, 1, 10), 8_000), (dt.date(2025, 7, 1), -6_000)]
    # 8,000 were held in March, but only 2,000 are left from July on
    message, params = adjustment.change_problem(history, dt.date(2025, 3, 1), -3_000, TODAY)
    assert message == adjustment.BELOW_ZERO
    assert params == {"held": 2_000, "day": dt.date(2025, 7, 1), "taken": 3_000}
    assert adjustment.change_problem(history, dt.date(2025, 3, 1), -2_000, TODAY) is None


def test_zero_and_future_decisions_are_refused():
    assert adjustment.change_problem([], TODAY, 0, TODAY)[0] == adjustment.ZERO
    tomorrow = TODAY + dt.timedelta(days=1)
    assert adjustment.change_problem([], tomorrow, 5, TODAY) == (
        adjustment.IN_THE_FUTURE,
        {"today": TODAY},
    )


# a project's annual plan (entries of 2025 and the year before), and what it disbursed by month
year_days = st.dates(dt.date(2024, 6, 1), dt.date(2025, 12, 31))
plan_entries = st.lists(st.tuples(year_days, st.integers(-(10**9), 10**10)), max_size=8)
by_month = st.dictionaries(st.integers(1, 12), st.integers(0, 10**9), max_size=12)


def cumulative_through(disbursed: dict[int, int], month: int) -> int:
    return sum(amount for m, amount in disbursed.items() if m <= month)


def plan_at(entries, year: int, month: int) -> int:
    end = dt.date(year, month, 28)
    while (end + dt.timedelta(days=1)).month == month:
        end += dt.timedelta(days=1)
    return balance_on(entries, end)


@given(plan_entries, year_days, st.integers(-(10**10), 10**10), by_month)
def test_a_change_refused_for_disbursement_names_the_first_month_it_would_undercut(
    entries, day, amount, disbursed
):
    found = adjustment.below_disbursed(2025, entries, day, amount, disbursed)
    after = [*entries, (day, amount)]
    # the months the change counts in: every one if decided before the year, none after it
    counted = [m for m in range(1, 13) if (2025, m) >= (day.year, day.month)]
    undercut = [m for m in counted if plan_at(after, 2025, m) < cumulative_through(disbursed, m)]
    if amount >= 0:
        assert found is None  # an increase never undercuts anything
    elif found is None:
        assert undercut == []
    else:
        month, plan, through = found
        assert month == undercut[0]
        assert plan == plan_at(after, 2025, month)
        assert through == cumulative_through(disbursed, month)
        assert plan < through


def test_a_decrease_may_not_leave_the_plan_below_what_was_disbursed():
    entries = [(dt.date(2025, 1, 10), 1_000), (dt.date(2025, 5, 5), 500)]
    disbursed = {2: 300, 6: 900}  # 300 by February, 1,200 from June on
    # taking 400 in May leaves 1,100 at the end of June, below 1,200
    assert adjustment.below_disbursed(2025, entries, dt.date(2025, 5, 20), -400, disbursed) == (
        6,
        1_100,
        1_200,
    )
    assert adjustment.below_disbursed(2025, entries, dt.date(2025, 5, 20), -300, disbursed) is None
    # decided in December, it counts from December only: still below what was disbursed
    assert adjustment.below_disbursed(2025, entries, dt.date(2025, 12, 1), -301, disbursed) == (
        12,
        1_199,
        1_200,
    )
    # decided the next year, it changes none of this year's months
    assert adjustment.below_disbursed(2025, entries, dt.date(2026, 1, 5), -1_500, disbursed) is None
