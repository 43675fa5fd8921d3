"""The notices officers are sent, from whichever app sends them (pure).

The worker warns an officer of a dossier due soon or overdue (``dossiers``) and of a directive
due soon or overdue (``oversight``); each app keeps its own rows. The desk shows an officer all
of theirs on one page, newest first, and marks them read, through this registry: each app
registers one ``NoticeSource`` from its ``AppConfig.ready()``, and the desk never imports the
apps one by one, so dossiers need not know oversight, nor a later app's notices the desk.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    source: str  # the key of the source that sent it
    id: int  # its row, in that source
    kind: str  # what happened, shown to people (translated by the source)
    subject: str  # what it is about: a dossier's code, a directive's title
    url: str  # where the officer acts on it
    created_at: dt.datetime
    read: bool
    urgent: bool  # overdue, or otherwise past waiting


@dataclass(frozen=True)
class NoticeSource:
    key: str
    latest: Callable[[object, int], Sequence[Notice]]  # (user, at most): newest first
    unread: Callable[[object], int]  # (user): how many not read yet
    # (user, a notice's id or None for all): how many were marked read now
    mark_read: Callable[[object, int | None], int]


class NoticeRegistry:
    def __init__(self) -> None:
        self._sources: dict[str, NoticeSource] = {}

    def __repr__(self) -> str:
        return f"<NoticeRegistry: {', '.join(self._sources) or 'empty'}>"

    def register(self, source: NoticeSource) -> NoticeSource:
        """Register ``source`` (once, however often); another source under its key is refused."""
        have = self._sources.get(source.key)
        if have is not None and have != source:
            raise ValueError(f"another notice source is registered as {source.key!r}")
        self._sources[source.key] = source
        return source

    def forget(self, source: NoticeSource) -> None:
        if self._sources.get(source.key) == source:
            del self._sources[source.key]

    def get(self, key: str) -> NoticeSource | None:
        return self._sources.get(key)

    def sources(self) -> tuple[NoticeSource, ...]:
        return tuple(self._sources[key] for key in sorted(self._sources))


notice_sources = NoticeRegistry()


def newest_first(batches: Iterable[Sequence[Notice]], limit: int) -> list[Notice]:
    """The ``limit`` newest of several sources' notices (each already newest first); at the same
    moment, by source and row, so the order never changes between two readings."""
    every = [notice for batch in batches for notice in batch]
    every.sort(key=lambda n: (n.source, -n.id))
    every.sort(key=lambda n: n.created_at, reverse=True)
    return every[:limit]
