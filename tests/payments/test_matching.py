"""The reconciliation's pure core: every difference between haicap's payments and the gateway's
statement, worked out by hand; and properties that hold for any two sides."""

from hypothesis import given
from hypothesis import strategies as st

from haicap.payments.matching import (
    AMOUNT_DIFFERS,
    MISSING_HERE,
    MISSING_THERE,
    STATUS_DIFFERS,
    TRANSACTION_DIFFERS,
    Line,
    compare,
)


def test_each_kind_of_difference_is_listed_once_in_reference_order():
    here = [
        Line("LP-A", "GD1", 8000, "paid"),  # the same there: no difference
        Line("LP-B", "GD2", 8000, "paid"),  # there for 80 000
        Line("LP-C", "", 15000, "requested"),  # paid there, the confirmation never came
        Line("LP-D", "GD4", 2000, "paid"),  # not on the statement
        Line("LP-E", "", 100000, "requested"),  # unpaid on both sides: no difference
        Line("LP-F", "GD6", 8000, "paid"),  # there under another transaction
    ]
    there = [
        Line("LP-A", "GD1", 8000, "paid"),
        Line("LP-B", "GD2", 80000, "paid"),
        Line("LP-C", "GD3", 15000, "paid"),
        Line("LP-F", "GD7", 8000, "paid"),
        Line("LP-Z", "GD9", 5000, "paid"),  # money haicap never asked for
    ]
    found = [(d.kind, d.reference) for d in compare(here, there)]
    assert found == [
        (AMOUNT_DIFFERS, "LP-B"),
        (STATUS_DIFFERS, "LP-C"),
        (MISSING_THERE, "LP-D"),
        (TRANSACTION_DIFFERS, "LP-F"),
        (MISSING_HERE, "LP-Z"),
    ]


def test_an_amount_and_a_status_that_both_differ_are_two_differences():
    found = compare([Line("LP-A", "", 8000, "requested")], [Line("LP-A", "GD1", 9000, "paid")])
    assert [d.kind for d in found] == [AMOUNT_DIFFERS, STATUS_DIFFERS]


lines = st.builds(
    Line,
    reference=st.sampled_from([f"LP-{i}" for i in range(8)]),
    transaction_id=st.sampled_from(["", "GD1", "GD2"]),
    amount_vnd=st.integers(0, 3).map(lambda n: n * 1000),
    status=st.sampled_from(["paid", "requested"]),
)
sides = st.lists(lines, max_size=8, unique_by=lambda line: line.reference)


@given(sides)
def test_a_side_compared_with_itself_has_no_difference(side):
    assert compare(side, side) == []


@given(sides, sides)
def test_every_difference_names_a_reference_of_one_side_and_nothing_is_missed(here, there):
    found = compare(here, there)
    ours = {line.reference: line for line in here}
    theirs = {line.reference: line for line in there}
    named = {d.reference for d in found}
    assert named <= ours.keys() | theirs.keys()
    for reference in ours.keys() | theirs.keys():
        mine, other = ours.get(reference), theirs.get(reference)
        same = mine == other or (other is None and mine.status != "paid")
        same = same or (
            mine is not None
            and other is not None
            and (mine.amount_vnd, mine.status) == (other.amount_vnd, other.status)
            and mine.transaction_id in ("", other.transaction_id)
        )
        assert (reference in named) == (not same)


@given(sides, sides)
def test_swapping_sides_swaps_missing_here_and_there_for_paid_lines(here, there):
    forward = {(d.kind, d.reference) for d in compare(here, there)}
    backward = {(d.kind, d.reference) for d in compare(there, here)}
    flip = {MISSING_HERE: MISSING_THERE, MISSING_THERE: MISSING_HERE}
    paid_only = [(k, r) for k, r in forward if k == MISSING_THERE]
    assert {(flip[k], r) for k, r in paid_only} <= backward
