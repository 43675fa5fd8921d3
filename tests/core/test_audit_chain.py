"""The hash chains' pure core: any change, removal, reordering or truncation in any chain is
found, by the chain's own links or by an anchor that noted its head."""

import dataclasses
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from haicap.core.audit_chain import (
    CHAIN_COUNT,
    GENESIS_HASH,
    Anchor,
    ChainedRecord,
    anchored_positions,
    chain_for,
    first_broken_anchor,
    first_broken_chain,
    first_broken_link,
    link_hash,
    next_anchor,
)

contents = st.lists(
    st.fixed_dictionaries(
        {
            "action": st.sampled_from(["unit.created", "membership.granted", "x"]),
            "object_id": st.text(max_size=8),
            "after": st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5)),
        }
    ),
    min_size=1,
    max_size=12,
)

# Records spread over a few chains: (chain, content) in the order they were written.
spread = st.lists(
    st.tuples(st.integers(0, 3), contents.map(lambda items: items[0])), min_size=1, max_size=20
)


def build_chain(items: list[dict], chain: int = 0) -> list[ChainedRecord]:
    built, previous = [], GENESIS_HASH
    for seq, content in enumerate(items, start=1):
        record_content = {**content, "seq": seq, "chain": chain}
        digest = link_hash(previous, record_content)
        built.append(ChainedRecord(seq, record_content, previous, digest, chain))
        previous = digest
    return built


def build_chains(written: list[tuple[int, dict]]) -> dict[int, list[ChainedRecord]]:
    by_chain: dict[int, list[dict]] = {}
    for chain, content in written:
        by_chain.setdefault(chain, []).append(content)
    return {chain: build_chain(items, chain) for chain, items in by_chain.items()}


def flat(chains: dict[int, list[ChainedRecord]]) -> list[ChainedRecord]:
    """As the database hands them over: ordered by (chain, seq)."""
    return sorted((r for records in chains.values() for r in records), key=_position)


def _position(record: ChainedRecord) -> tuple[int, int]:
    return (record.chain, record.seq)


def heads_of(chains: dict[int, list[ChainedRecord]]) -> dict[int, int]:
    return {chain: len(records) for chain, records in chains.items()}


def noted_heads(chains: dict[int, list[ChainedRecord]]) -> dict[int, tuple[int, str]]:
    return {chain: (records[-1].seq, records[-1].hash) for chain, records in chains.items()}


def hashes(chains: dict[int, list[ChainedRecord]]) -> dict[tuple[int, int], str]:
    return {_position(r): r.hash for records in chains.values() for r in records}


def rehash_from(records: list[ChainedRecord], index: int) -> list[ChainedRecord]:
    """What someone who can write the table does after an edit: every later link made anew."""
    rebuilt = records[:index]
    previous = rebuilt[-1].hash if rebuilt else GENESIS_HASH
    for record in records[index:]:
        digest = link_hash(previous, record.content)
        rebuilt.append(dataclasses.replace(record, prev_hash=previous, hash=digest))
        previous = digest
    return rebuilt


@settings(deadline=None)  # hashing whole chains; timing is not what is tested
@given(contents)
def test_an_untouched_chain_verifies(items):
    chain = build_chain(items)
    assert first_broken_link(chain, expected_last_seq=len(chain)) is None


@settings(deadline=None)  # hashing whole chains; timing is not what is tested
@given(contents, st.data())
def test_changing_any_record_breaks_the_chain_at_that_record(items, data):
    chain = build_chain(items)
    index = data.draw(st.integers(0, len(chain) - 1))
    victim = chain[index]
    chain[index] = dataclasses.replace(
        victim, content={**victim.content, "object_id": victim.content["object_id"] + "!"}
    )
    broken = first_broken_link(chain)
    assert broken is not None
    assert broken.seq == victim.seq


@settings(deadline=None)  # hashing whole chains; timing is not what is tested
@given(contents, st.data())
def test_rehashing_a_changed_record_still_breaks_the_next_link(items, data):
    chain = build_chain(items)
    if len(chain) < 2:
        return
    index = data.draw(st.integers(0, len(chain) - 2))
    victim = chain[index]
    forged_content = {**victim.content, "action": "forged"}
    chain[index] = ChainedRecord(
        victim.seq, forged_content, victim.prev_hash, link_hash(victim.prev_hash, forged_content)
    )
    broken = first_broken_link(chain)
    assert broken is not None
    assert broken.seq == victim.seq + 1


@settings(deadline=None)  # hashing whole chains; timing is not what is tested
@given(contents, st.data())
def test_removing_a_record_is_found(items, data):
    chain = build_chain(items)
    index = data.draw(st.integers(0, len(chain) - 1))
    removed = chain.pop(index)
    broken = first_broken_link(chain, expected_last_seq=len(items))
    assert broken is not None
    assert broken.seq == removed.seq


def test_the_hash_does_not_depend_on_key_order():
    assert link_hash(GENESIS_HASH, {"a": 1, "b": "đ"}) == link_hash(
        GENESIS_HASH, {"b": "đ", "a": 1}
    )


# --- several chains ------------------------------------------------------------------------


@settings(deadline=None)  # hashing whole chains; timing is not what is tested
@given(st.text(max_size=20), st.text(max_size=20))
def test_a_target_always_has_the_same_chain_among_the_chains(object_type, object_id):
    chain = chain_for(object_type, object_id)
    assert 0 <= chain < CHAIN_COUNT
    assert chain_for(object_type, object_id) == chain


def test_targets_spread_over_every_chain():
    counts = Counter(chain_for("dossiers.dossier", str(pk)) for pk in range(6400))
    assert set(counts) == set(range(CHAIN_COUNT))
    assert max(counts.values()) < 3 * 6400 / CHAIN_COUNT


@settings(deadline=None)  # hashing whole chains; timing is not what is tested
@given(spread)
def test_untouched_chains_and_their_anchors_verify(written):
    chains = build_chains(written)
    anchor = next_anchor(None, "2026-01-01T00:00:00.000000+00:00", noted_heads(chains))
    assert first_broken_chain(flat(chains), heads_of(chains)) is None
    assert first_broken_anchor([anchor], hashes(chains), heads_of(chains), 1) is None


@settings(deadline=None)  # hashing whole chains; timing is not what is tested
@given(spread, st.data())
def test_changing_any_record_in_any_chain_is_found_there(written, data):
    chains = build_chains(written)
    chain = data.draw(st.sampled_from(sorted(chains)))
    index = data.draw(st.integers(0, len(chains[chain]) - 1))
    victim = chains[chain][index]
    chains[chain][index] = dataclasses.replace(
        victim, content={**victim.content, "action": victim.content["action"] + "!"}
    )
    broken = first_broken_chain(flat(chains), heads_of(chains))
    assert (broken.chain, broken.seq) == (chain, victim.seq)


@settings(deadline=None)  # hashing whole chains; timing is not what is tested
@given(spread, st.data())
def test_removing_any_record_in_any_chain_is_found(written, data):
    chains = build_chains(written)
    heads = heads_of(chains)
    chain = data.draw(st.sampled_from(sorted(chains)))
    removed = chains[chain].pop(data.draw(st.integers(0, len(chains[chain]) - 1)))
    broken = first_broken_chain(flat(chains), heads)
    assert (broken.chain, broken.seq) == (chain, removed.seq)


@settings(deadline=None)  # hashing whole chains; timing is not what is tested
@given(spread, st.data())
def test_swapping_two_records_of_a_chain_is_found(written, data):
    chains = build_chains(written)
    long_enough = sorted(c for c, records in chains.items() if len(records) >= 2)
    if not long_enough:
        return
    chain = data.draw(st.sampled_from(long_enough))
    records = chains[chain]
    i = data.draw(st.integers(0, len(records) - 2))
    j = data.draw(st.integers(i + 1, len(records) - 1))
    # Each keeps its content and links but takes the other's place (its seq column).
    records[i], records[j] = (
        dataclasses.replace(records[j], seq=records[i].seq),
        dataclasses.replace(records[i], seq=records[j].seq),
    )
    broken = first_broken_chain(flat(chains), heads_of(chains))
    assert (broken.chain, broken.seq) == (chain, i + 1)


@settings(deadline=None)  # hashing whole chains; timing is not what is tested
@given(spread, st.data())
def test_cutting_a_chain_short_with_its_head_is_found_by_an_anchor(written, data):
    chains = build_chains(written)
    anchor = next_anchor(None, "2026-01-01T00:00:00.000000+00:00", noted_heads(chains))
    chain = data.draw(st.sampled_from(sorted(chains)))
    keep = data.draw(st.integers(0, len(chains[chain]) - 1))
    chains[chain] = chains[chain][:keep]
    heads = heads_of(chains)  # the head moved back with them: the chains alone look whole
    assert first_broken_chain(flat(chains), heads) is None
    broken = first_broken_anchor([anchor], hashes(chains), heads, 1)
    assert broken is not None
    assert f"chain {chain}" in broken.reason


@settings(deadline=None)  # hashing whole chains; timing is not what is tested
@given(spread, st.data())
def test_a_chain_rewritten_from_an_edit_on_is_found_by_an_anchor(written, data):
    chains = build_chains(written)
    anchor = next_anchor(None, "2026-01-01T00:00:00.000000+00:00", noted_heads(chains))
    chain = data.draw(st.sampled_from(sorted(chains)))
    index = data.draw(st.integers(0, len(chains[chain]) - 1))
    victim = chains[chain][index]
    chains[chain][index] = dataclasses.replace(victim, content={**victim.content, "after": None})
    if chains[chain][index].content == victim.content:
        chains[chain][index] = dataclasses.replace(
            victim, content={**victim.content, "after": {"forged": 1}}
        )
    chains[chain] = rehash_from(chains[chain], index)
    assert first_broken_chain(flat(chains), heads_of(chains)) is None
    broken = first_broken_anchor([anchor], hashes(chains), heads_of(chains), 1)
    assert broken is not None
    assert "no longer has the noted hash" in broken.reason


def test_records_of_a_chain_without_a_head_are_found():
    chains = build_chains([(0, {"a": 1}), (2, {"b": 2})])
    broken = first_broken_chain(flat(chains), {0: 1})
    assert (broken.chain, broken.seq) == (2, 1)
    assert "no head" in broken.reason


def test_a_head_ahead_of_an_empty_chain_is_found():
    chains = build_chains([(0, {"a": 1})])
    broken = first_broken_chain(flat(chains), {0: 1, 5: 3})
    assert (broken.chain, broken.seq) == (5, 1)


# --- anchors -------------------------------------------------------------------------------


def anchors_over(written: list[tuple[int, dict]], every: int) -> tuple[dict, list[Anchor]]:
    """The chains as written, with an anchor after every ``every`` records and at the end."""
    anchors: list[Anchor] = []
    for n in range(every, len(written) + every, every):
        chains = build_chains(written[:n])
        moment = f"2026-01-01T00:00:{len(anchors):02d}.000000+00:00"
        anchors.append(next_anchor(anchors[-1] if anchors else None, moment, noted_heads(chains)))
    return build_chains(written), anchors


@settings(deadline=None)  # hashing whole chains; timing is not what is tested
@given(spread, st.integers(1, 5))
def test_a_run_of_anchors_verifies(written, every):
    chains, anchors = anchors_over(written, every)
    assert first_broken_anchor(anchors, hashes(chains), heads_of(chains), len(anchors)) is None
    assert anchored_positions(anchors) <= set(hashes(chains))


@settings(deadline=None)  # hashing whole chains; timing is not what is tested
@given(spread, st.integers(1, 5), st.data())
def test_changing_removing_or_swapping_an_anchor_is_found(written, every, data):
    chains, anchors = anchors_over(written, every)
    index = data.draw(st.integers(0, len(anchors) - 1))
    how = data.draw(st.sampled_from(["edit", "remove", "swap"]))
    victim = anchors[index]
    if how == "edit":
        heads = dict(victim.heads)
        chain = data.draw(st.sampled_from(sorted(heads)))
        heads[chain] = (heads[chain][0], GENESIS_HASH)
        anchors[index] = dataclasses.replace(victim, heads=heads)
    elif how == "remove":
        anchors.pop(index)
    else:
        if len(anchors) < 2:
            return
        other = index - 1 if index else 1
        anchors[index], anchors[other] = anchors[other], anchors[index]
    broken = first_broken_anchor(anchors, hashes(chains), heads_of(chains), len(anchors) + 1)
    assert broken is not None


def test_a_chain_going_back_between_anchors_is_found():
    first = next_anchor(None, "t1", {0: (2, "a" * 64)})
    second = next_anchor(first, "t2", {0: (1, "b" * 64)})
    broken = first_broken_anchor([first, second], {(0, 1): "b" * 64, (0, 2): "a" * 64}, {0: 2})
    assert (broken.seq, broken.reason) == (2, "chain 0 went back to 1")


def test_the_anchor_head_says_how_many_anchors_there_are():
    first = next_anchor(None, "t1", {0: (0, GENESIS_HASH)})
    assert first_broken_anchor([first], {}, {0: 0}, 1) is None
    assert "their head says 2" in first_broken_anchor([first], {}, {0: 0}, 2).reason
