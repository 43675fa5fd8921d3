"""Changes of one kind, told to the apps that listen, inside the change's transaction (pure).

An app low in the layers (the dossier engine, the catalogue, the registry) must not import the
apps above it that keep figures or send messages. It publishes what changed on a ``Channel``
instead, and each app above registers a listener once, from its ``AppConfig.ready()``. Listeners
are called in the order they registered, in the publisher's transaction: one that raises rolls
the change back, so nothing derived from a change ever disagrees with it.

No Django signals and no names in strings: a listener is a function that takes the change.
"""

from collections.abc import Callable
from typing import Generic, TypeVar

Change = TypeVar("Change")


class Channel(Generic[Change]):
    def __init__(self, what: str) -> None:
        self.what = what  # for reading: "dossier changes", "procedures moved"
        self._listeners: list[Callable[[Change], None]] = []

    def __repr__(self) -> str:
        return f"<Channel {self.what}: {len(self._listeners)} listener(s)>"

    def listen(self, listener: Callable[[Change], None]) -> Callable[[Change], None]:
        """Register ``listener`` (once, however often it is registered); returns it."""
        if listener not in self._listeners:
            self._listeners.append(listener)
        return listener

    def forget(self, listener: Callable[[Change], None]) -> None:
        """Unregister ``listener`` (a test's own listener, once it has seen what it needed)."""
        self._listeners.remove(listener)

    def listeners(self) -> tuple[Callable[[Change], None], ...]:
        return tuple(self._listeners)

    def publish(self, change: Change) -> None:
        """Tell every listener; call inside the change's transaction (a raise rolls it back)."""
        for listener in self._listeners:
            listener(change)
