"""The feedback figures' pure sums."""

from decimal import Decimal

from haicap.feedback.figures import PetitionCounts, SatisfactionCounts, percent


def test_a_share_in_per_cent_rounds_half_up_and_nothing_over_nothing_is_none():
    assert percent(1, 3) == Decimal("33.3") and percent(2, 3) == Decimal("66.7")
    assert percent(1, 8) == Decimal("12.5") and percent(1, 16) == Decimal("6.3")
    assert percent(2, 3, Decimal("0.01")) == Decimal("66.67")
    assert percent(0, 0) is None and percent(0, 4) == Decimal("0.0")


def test_counts_add_up_and_give_their_rates():
    one = PetitionCounts(received=2, answered_on_time=1, due=2, answered_by_due=1)
    two = PetitionCounts(received=1, answered_late=1, overdue=1, due=1)
    both = one + two
    assert both == PetitionCounts(3, 1, 1, 1, 0, 3, 1)
    assert both.on_time_rate == Decimal("33.3") and PetitionCounts().on_time_rate is None
    assert PetitionCounts().empty and not both.empty
    liked = SatisfactionCounts(2, 1) + SatisfactionCounts(1, 1)
    assert liked == SatisfactionCounts(3, 2) and liked.rate == Decimal("66.7")
    assert SatisfactionCounts().rate is None
