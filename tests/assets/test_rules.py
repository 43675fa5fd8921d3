"""The pure rules of assets: what a commune needs and lacks, nearest-first allocation, and
when a take-over record may be signed."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.assets.allocation import Lack, Surplus, allocate
from haicap.assets.needs import Norm, need_of
from haicap.assets.takeover_rules import Line, may_sign, without_destination

counts = st.integers(min_value=0, max_value=20)


@given(counts, counts, counts, counts, counts)
def test_a_commune_needs_its_desks_and_offices_norms_and_lacks_what_it_does_not_hold(
    per_desk, per_office, desks, offices, held
):
    need = need_of(Norm(per_desk, per_office), desks, offices, held)
    assert need.needed == per_desk * desks + per_office * offices
    assert need.gap + min(held, need.needed) == need.needed
    assert need.beyond == held - min(held, need.needed)
    assert not (need.gap and need.beyond)


def test_a_negative_norm_or_count_is_refused():
    with pytest.raises(ValueError):
        Norm(-1, 0)
    with pytest.raises(ValueError):
        need_of(Norm(1, 0), -1, 0, 0)


MAP = {("A", "B"): 10, ("A", "C"): 30, ("B", "C"): 15, ("A", "D"): 200}


def minutes(one: str, other: str) -> int | None:
    if one == other:
        return 0
    return MAP.get((one, other), MAP.get((other, one)))


def test_the_nearest_commune_lacking_the_kind_gets_the_item_first():
    surplus = [Surplus(1, "scanner", "A"), Surplus(2, "scanner", "A")]
    lacks = [Lack("C", "scanner", 1), Lack("B", "scanner", 1), Lack("D", "scanner", 5)]
    proposals = allocate(surplus, lacks, minutes, max_minutes=60)
    # B (10 min) first, then C (30 min); D is out of reach at 200 min
    assert [(p.asset_id, p.to_place, p.minutes) for p in proposals] == [(1, "B", 10), (2, "C", 30)]


def test_an_item_goes_only_to_a_commune_lacking_its_kind_and_never_to_its_holder():
    surplus = [Surplus(1, "printer", "B"), Surplus(2, "scanner", "B")]
    lacks = [Lack("B", "scanner", 1), Lack("C", "printer", 0), Lack("A", "scanner", 1)]
    assert [(p.asset_id, p.to_place) for p in allocate(surplus, lacks, minutes, 60)] == [(2, "A")]


places = st.sampled_from(["A", "B", "C", "D"])
kinds = st.sampled_from(["scanner", "printer"])


@given(
    st.lists(st.tuples(kinds, places), max_size=6),
    st.dictionaries(st.tuples(places, kinds), st.integers(0, 3), max_size=8),
    st.integers(0, 250),
)
def test_allocation_keeps_every_rule_and_is_nearest_first(items, gaps, reach):
    surplus = [Surplus(i, kind, place) for i, (kind, place) in enumerate(items)]
    lacks = [Lack(place, kind, gap) for (place, kind), gap in gaps.items()]
    proposals = allocate(surplus, lacks, minutes, reach)
    by_id = {s.asset_id: s for s in surplus}
    assert len({p.asset_id for p in proposals}) == len(proposals)  # each item once
    for p in proposals:
        item = by_id[p.asset_id]
        assert p.kind == item.kind and p.to_place != item.place
        assert p.minutes == minutes(item.place, p.to_place) <= reach
    placed = {}
    for p in proposals:
        placed[(p.to_place, p.kind)] = placed.get((p.to_place, p.kind), 0) + 1
    assert all(n <= gaps[key] for key, n in placed.items())  # never beyond the gap
    # nearest first: no unplaced item could reach a still-lacking place sooner than some
    # proposal of its kind went to that place
    left = {key: gaps[key] - placed.get(key, 0) for key in gaps}
    unplaced = [s for s in surplus if s.asset_id not in {p.asset_id for p in proposals}]
    for item, ((place, kind), gap) in itertools.product(unplaced, left.items()):
        travel = minutes(item.place, place)
        if kind == item.kind and gap > 0 and place != item.place and travel is not None:
            assert travel > reach  # it would have been placed


def test_a_record_is_signed_only_when_every_asset_has_a_destination():
    lines = [Line("TS-1", "Trụ sở", 5, ""), Line("TS-2", "Xe ô tô", None, "sale")]
    assert may_sign(lines)
    missing = Line("TS-3", "Máy tính", None, "")
    assert without_destination([*lines, missing]) == [missing]
    assert not may_sign([*lines, missing])
    assert not may_sign([])  # nothing to hand over
