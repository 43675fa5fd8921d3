"""The share disbursed and the pace, as pure arithmetic."""

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
