"""Totals made from a row of counts are the same totals as the dataclass makes them."""

from dataclasses import fields, replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.kpi.indicators import Totals

COUNTED = [f.name for f in fields(Totals) if f.name != "extra"]
counts = st.lists(st.integers(min_value=0, max_value=10**9), min_size=16, max_size=16).map(
    lambda row: [*row[:12], Decimal(row[12]) / 4, *row[13:]]  # worked days: a decimal
)


@given(counts)
def test_totals_of_counts_equal_the_dataclass(row):
    made = Totals.of_counts(row)
    assert made == Totals(*row)
    assert [getattr(made, name) for name in COUNTED] == row
    assert made.in_progress_at_end == row[13] + row[0] - row[11]  # carried + received - closed
    assert made.extra == {} and made.extra is not Totals.of_counts(row).extra


def test_totals_of_counts_stay_frozen_and_want_every_count():
    made = Totals.of_counts(range(16))
    with pytest.raises(AttributeError):
        made.received = 1
    assert replace(made, received=99).received == 99
    with pytest.raises(ValueError):
        Totals.of_counts(range(15))
