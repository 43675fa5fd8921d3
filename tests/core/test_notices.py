"""The registry of notice sources, and merging their notices newest first (pure)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.core.notices import Notice, NoticeRegistry, NoticeSource, newest_first

START = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def notice(source: str, id: int, minutes: int) -> Notice:
    return Notice(source, id, "k", "s", "/", START + dt.timedelta(minutes=minutes), False, False)


def source(key: str) -> NoticeSource:
    return NoticeSource(key, lambda user, limit: [], lambda user: 0, lambda user, id: 0)


def test_a_source_registers_once_and_no_other_takes_its_key():
    registry = NoticeRegistry()
    mine = registry.register(source("dossiers"))
    assert registry.register(mine) is mine
    with pytest.raises(ValueError):
        registry.register(source("dossiers"))
    registry.register(source("oversight"))
    assert [s.key for s in registry.sources()] == ["dossiers", "oversight"]
    registry.forget(mine)
    assert registry.get("dossiers") is None


BATCH = st.lists(st.integers(min_value=0, max_value=50), max_size=8)


@given(st.lists(BATCH, max_size=4), st.integers(min_value=0, max_value=20))
def test_the_newest_come_first_and_none_is_lost_within_the_limit(batches, limit):
    made = [
        sorted((notice(f"s{b}", i, m) for i, m in enumerate(batch)), key=lambda n: -n.id)
        for b, batch in enumerate(batches)
    ]
    merged = newest_first(made, limit)
    every = [n for batch in made for n in batch]
    assert len(merged) == min(limit, len(every))
    assert [n.created_at for n in merged] == sorted((n.created_at for n in merged), reverse=True)
    cutoff = merged[-1].created_at if merged else None
    if len(merged) == limit and cutoff is not None:
        assert all(n in merged for n in every if n.created_at > cutoff)
    assert newest_first(list(reversed(made)), limit) == merged  # the sources' order is no matter
