"""The hash chain's pure core: any change, removal or reordering is found at its first link."""

from hypothesis import given
from hypothesis import strategies as st

from haicap.core.audit_chain import GENESIS_HASH, ChainedRecord, first_broken_link, link_hash

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


def build_chain(items: list[dict]) -> list[ChainedRecord]:
    chain, previous = [], GENESIS_HASH
    for seq, content in enumerate(items, start=1):
        record_content = {**content, "seq": seq}
        digest = link_hash(previous, record_content)
        chain.append(ChainedRecord(seq, record_content, previous, digest))
        previous = digest
    return chain


@given(contents)
def test_an_untouched_chain_verifies(items):
    chain = build_chain(items)
    assert first_broken_link(chain, expected_last_seq=len(chain)) is None


@given(contents, st.data())
def test_changing_any_record_breaks_the_chain_at_that_record(items, data):
    chain = build_chain(items)
    index = data.draw(st.integers(0, len(chain) - 1))
    victim = chain[index]
    tampered = ChainedRecord(
        victim.seq, {**victim.content, "object_id": "forged"}, victim.prev_hash, victim.hash
    )
    if tampered.content == victim.content:
        tampered = ChainedRecord(
            victim.seq, {**victim.content, "object_id": "forged!"}, victim.prev_hash, victim.hash
        )
    chain[index] = tampered
    broken = first_broken_link(chain)
    assert broken is not None
    assert broken.seq == victim.seq


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
