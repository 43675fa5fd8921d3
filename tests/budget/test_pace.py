"""The share disbursed and the pace, as pure arithmetic."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from haicap.budget import pace


@given(st.integers(0, 10**15), st.integers(1, 10**15))
def test_the_share_is_the_percentage_to_the_hundredth(disbursed, plan):
    reached = pace.share(disbursed, plan)
    exact = Decimal(disbursed) * 100 / Decimal(plan)
    assert abs(reached - exact) <= Decimal("0.005")
    assert reached == reached.quantize(Decimal("0.01"))


@given(st.integers(0, 10**12), st.integers(-(10**12), 0))
def test_nothing_is_measured_against_no_plan(disbursed, plan):
    assert pace.share(disbursed, plan) is None
    assert not pace.behind(disbursed, plan, Decimal(50))


def test_behind_the_pace_is_strictly_below_it():
    assert pace.behind(399, 1000, Decimal(40))
    assert not pace.behind(400, 1000, Decimal(40))
    assert pace.month_end(2024, 2).day == 29 and pace.month_end(2025, 2).day == 28


# --- a year month by month, the pace's shape, groups' sums ---------------------------------

DAYS = st.dates(dt.date(2024, 6, 1), dt.date(2026, 3, 31))
ENTRIES = st.lists(st.tuples(DAYS, st.integers(-(10**12), 10**12)), max_size=30)


@given(ENTRIES)
def test_the_plan_in_force_each_month_counts_the_entries_decided_by_its_end(entries):
    in_force = pace.in_force_by_month(2025, entries)
    assert len(in_force) == 12
    before_year = sum(a for day, a in entries if day.year < 2025)
    in_year = [a for day, a in entries if day.year == 2025]
    assert in_force[0] == before_year + sum(
        a for d, a in entries if d.year == 2025 and d.month == 1
    )
    assert in_force[11] == before_year + sum(in_year)
    for month in range(2, 13):
        decided = sum(a for d, a in entries if d.year == 2025 and d.month == month)
        assert in_force[month - 1] - in_force[month - 2] == decided


@given(st.dictionaries(st.integers(1, 12), st.integers(0, 10**12)))
def test_what_is_disbursed_from_january_only_grows_and_ends_at_the_years_sum(by_month):
    totals = pace.cumulative(by_month)
    assert totals == sorted(totals) and totals[-1] == sum(by_month.values())
    assert totals[0] == by_month.get(1, 0)


SHARES = st.dictionaries(
    st.integers(1, 12), st.decimals(0, 100, places=2, allow_nan=False, allow_infinity=False)
)


@given(SHARES)
def test_a_pace_falls_exactly_where_a_later_month_expects_less(shares):
    fell = pace.falls(shares)
    in_month_order = [shares[m] for m in sorted(shares)]
    rising = in_month_order == sorted(shares.values())
    assert (fell == []) == rising
    for earlier, later in fell:
        assert earlier < later and shares[later] < shares[earlier]
        assert not any(earlier < m < later for m in shares)  # the months set next to each other


@given(
    st.lists(st.integers(0, 10**12), min_size=12, max_size=12),
    st.lists(st.integers(0, 10**12), min_size=12, max_size=12),
)
def test_over_plan_names_the_first_month_over(disbursed, plans):
    month = pace.over_plan(disbursed, plans)
    over = [m for m in range(1, 13) if disbursed[m - 1] > plans[m - 1]]
    assert month == (over[0] if over else None)


@given(st.lists(st.tuples(st.sampled_from("abcd"), st.integers(0, 10**12), st.integers(0, 10**12))))
def test_groups_add_up_to_the_whole(rows):
    groups = pace.tally(rows)
    assert sum(g.plan for g in groups.values()) == sum(plan for _, plan, _d in rows)
    assert sum(g.disbursed for g in groups.values()) == sum(d for _, _p, d in rows)
    assert sum(g.projects for g in groups.values()) == len(rows)
    for key, group in groups.items():
        assert group.share == pace.share(group.disbursed, group.plan)
        assert group.projects == sum(1 for k, _p, _d in rows if k == key)


def test_the_amount_the_pace_expects():
    assert pace.expected_amount(10_000, Decimal("45")) == 4_500
    assert pace.expected_amount(3, Decimal("50")) == 2  # 1.5 rounds half up
    assert pace.expected_amount(10_000, None) is None


@given(st.integers(0, 10**15), st.integers(1, 10**15), st.decimals(0, 100, places=2))
def test_behind_is_judged_on_the_exact_share_not_the_rounded_one(disbursed, plan, expected):
    assert pace.behind(disbursed, plan, expected) == (
        Decimal(disbursed) / Decimal(plan) < expected / 100
    )


def test_a_share_that_rounds_up_to_the_pace_is_still_behind_it():
    assert pace.share(7_999_999, 20_000_000) == Decimal("40.00")
    assert pace.behind(7_999_999, 20_000_000, Decimal(40))


@given(st.integers(0, 10**15), st.integers(-(10**15), 10**15), st.decimals(0, 100, places=2))
def test_above_plan_is_more_than_planned_and_never_behind(disbursed, plan, expected):
    above = pace.above_plan(disbursed, plan)
    assert above == (disbursed > 0 and disbursed > plan)
    assert not (above and pace.behind(disbursed, plan, expected))
