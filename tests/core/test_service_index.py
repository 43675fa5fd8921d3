"""The Decision 766 index's pure core: the groups, haicap's scoring, the registry of inputs."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.core.service_index import (
    FULL_MARKS,
    GROUP_CODES,
    GROUPS,
    IndexInput,
    InputRegistry,
    Missing,
    ratio,
    score,
    score_units,
    span,
)


def nothing(units, first, last):
    return {}


def an_input(key: str, group: str) -> IndexInput:
    return IndexInput(key, group, key, "part / whole", "a test", nothing)


# Two inputs in every group but satisfaction, which has none registered.
INPUTS = tuple(
    an_input(f"{g.code.lower()}.{n}", g.code) for g in GROUPS if g.code != "MDHL" for n in (1, 2)
)
KEYS = [i.key for i in INPUTS]
ratios = st.none() | st.decimals(0, 1, places=4)
ratio_maps = st.fixed_dictionaries({}, optional={key: ratios for key in KEYS})


def test_the_six_groups_make_100_points_as_the_national_ranking_api_codes_them():
    assert GROUP_CODES == ("CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH")
    assert [g.most for g in GROUPS] == [18, 20, 12, 10, 18, 22] and FULL_MARKS == 100


def test_worked_by_hand():
    found = score(
        {
            "tdgq.1": Decimal("0.6667"),  # 2 of 3 on time: × 20 = 13.334
            "mdsh.1": Decimal("0.5"),
            "mdsh.2": Decimal("1"),  # mean 0.75 × 22 = 16.5
            "tttt.1": None,
            "tttt.2": Decimal("0"),  # only the one with data counts: 0 × 10 = 0
        },
        INPUTS,
    )
    points = {g.group.code: g.points for g in found.groups}
    assert points == {
        "CKMB": None,
        "TDGQ": Decimal("13.33"),
        "CLGQ": None,
        "TTTT": Decimal("0.00"),
        "MDHL": None,
        "MDSH": Decimal("16.50"),
    }
    assert found.total == Decimal("29.83") and found.computed_most == 52  # 20 + 10 + 22
    missing = {g.group.code: g.missing for g in found.missing}
    assert missing == {"CKMB": Missing.NO_DATA, "CLGQ": Missing.NO_DATA, "MDHL": Missing.NO_INPUT}


def test_nothing_computed_is_no_total_not_zero():
    found = score({}, INPUTS)
    assert found.total is None and found.computed_most == 0 and len(found.missing) == 6


def test_units_are_scored_from_each_inputs_batch_and_a_unit_left_out_has_no_data():
    figures = {"tdgq.1": {7: (3, 4), 8: (0, 0)}, "clgq.1": {7: (1, 2), 9: (2, 2)}}
    by_unit = score_units(figures, INPUTS, (7, 8, 9, 10))
    assert by_unit[7].total == Decimal("21.00")  # 0.75 × 20 + 0.5 × 12
    assert by_unit[8].total is None  # 0 of 0 is nothing to share, not 0 %
    assert by_unit[9].total == Decimal("12.00") and by_unit[9].computed_most == 12
    assert by_unit[10].total is None


def test_the_ratio_has_four_places_and_nothing_over_nothing():
    assert ratio(2, 3) == Decimal("0.6667") and ratio(0, 0) is None and ratio(0, 5) == 0


def test_a_span_of_days_runs_from_midnight_to_the_next_midnight_in_the_zone():
    zone = dt.timezone(dt.timedelta(hours=7))
    start, end = span(dt.date(2026, 3, 1), dt.date(2026, 3, 31), zone)
    assert start == dt.datetime(2026, 3, 1, tzinfo=zone)
    assert end == dt.datetime(2026, 4, 1, tzinfo=zone)


@given(ratio_maps)
def test_points_stay_within_each_group_and_the_total_within_what_is_computed(found_ratios):
    found = score(found_ratios, INPUTS)
    for group in found.groups:
        assert group.points is None or 0 <= group.points <= group.group.most
    assert found.computed_most <= FULL_MARKS
    assert found.total is None or 0 <= found.total <= found.computed_most <= 100
    assert found.computed_most == sum(g.group.most for g in found.groups if g.points is not None)


@given(ratio_maps, st.sampled_from(KEYS), st.decimals(0, 1, places=4))
def test_a_better_ratio_never_lowers_a_group_or_the_total(found_ratios, key, better):
    before = score(found_ratios, INPUTS)
    was = found_ratios.get(key)
    if was is None or better < was:
        return  # only raises are compared (from no data, the group may gain a whole input)
    after = score({**found_ratios, key: better}, INPUTS)
    for old, new in zip(before.groups, after.groups, strict=True):
        assert (new.points or 0) >= (old.points or 0)
    assert (after.total or 0) >= (before.total or 0)


@given(ratio_maps, st.sampled_from([g.code for g in GROUPS if g.code != "MDHL"]))
def test_a_group_without_its_inputs_adds_nothing_and_is_listed(found_ratios, code):
    full = score(found_ratios, INPUTS)
    without = score(found_ratios, [i for i in INPUTS if i.group != code])
    dropped = next(g for g in without.groups if g.group.code == code)
    assert dropped.points is None and dropped.missing == Missing.NO_INPUT
    assert dropped in without.missing
    had = next(g for g in full.groups if g.group.code == code)
    assert without.computed_most == full.computed_most - (
        had.group.most if had.points is not None else 0
    )
    # The other groups are untouched; the total loses at most the group's points (± rounding).
    assert [g for g in without.groups if g.group.code != code] == [
        g for g in full.groups if g.group.code != code
    ]
    assert abs((full.total or 0) - (without.total or 0) - (had.points or 0)) <= Decimal("0.01")


def test_the_registry_refuses_a_second_input_under_a_key_and_an_unknown_group():
    registry = InputRegistry()
    first = registry.register(an_input("a.one", "MDSH"))
    registry.register(first)  # once, however often
    with pytest.raises(ValueError, match="another index input"):
        registry.register(an_input("a.one", "TDGQ"))
    with pytest.raises(ValueError, match="not a Decision 766 group"):
        registry.register(an_input("a.two", "XYZ"))
    registry.register(an_input("b.one", "CKMB"))
    assert [i.key for i in registry.all()] == ["b.one", "a.one"]  # in the groups' order
    registry.forget(first)
    assert [i.key for i in registry.all()] == ["b.one"]
