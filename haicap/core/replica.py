"""Which database a read goes to, when a province runs a read replica (docs/replica.md).

Reads go to the replica only where a view says so (``reads_from_replica``: the dashboards,
reports, exports and public figures, which may be a few seconds old) and only while the replica
is usable (``replica_health``) and the person asking has not just written something
(``read_your_writes``). Every other read, and every write, goes to the primary.
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

from haicap.core import replica_health
from haicap.core.replica_health import REPLICA

# Who is asking and what they may do is read from the primary: a session just begun, a token
# just revoked or a role just taken away must count at once. Worker tasks stay on the primary.
PRIMARY_ONLY_APPS = frozenset({"sessions", "accounts", "auth", "contenttypes", "django_q"})


@dataclass
class _Reading:
    """One stretch of replica reads: whether the router sent anything to the replica."""

    chose_replica: bool = False


_reading: ContextVar[_Reading | None] = ContextVar("haicap_replica_reading", default=None)
_stay_on_primary: ContextVar[Callable[[], bool]] = ContextVar(
    "haicap_stay_on_primary", default=lambda: False
)


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Reads inside may go to the replica (when it is usable)."""
    token = _reading.set(_Reading())
    try:
        yield
    finally:
        _reading.reset(token)


@contextmanager
def primary_when(stay: Callable[[], bool]) -> Iterator[None]:
    """Reads inside stay on the primary whenever ``stay()`` says so (asked at most once per
    request by the caller's own caching: the read-your-writes middleware)."""
    token = _stay_on_primary.set(stay)
    try:
        yield
    finally:
        _stay_on_primary.reset(token)


def reads_from_replica(view: Callable) -> Callable:
    """A view whose reads may go to the replica. Put it under ``login_required`` (innermost), so
    the sign-in is read from the primary. If the replica fails half-way, the view runs again on
    the primary: such views only read, so running them twice changes nothing."""

    @functools.wraps(view)
    def wrapped(*args: object, **kwargs: object) -> object:
        with reading_from_replica():
            try:
                return view(*args, **kwargs)
            except (OperationalError, InterfaceError):
                reading = _reading.get()
                if reading is None or not reading.chose_replica:
                    raise
                replica_health.mark_down()
        return view(*args, **kwargs)

    return wrapped


def connection_for_read(model: type[Model]) -> BaseDatabaseWrapper:
    """Where raw SQL reading ``model``'s app's tables goes: the ORM asks the router itself,
    a cursor does not."""
    return connections[router.db_for_read(model)]


def _replica_wanted(model: type[Model]) -> bool:
    reading = _reading.get()
    if reading is None or model._meta.app_label in PRIMARY_ONLY_APPS:
        return False
    # Inside a transaction on the primary, a read must see what the transaction wrote.
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return False
    if not replica_health.replica_configured() or _stay_on_primary.get()():
        return False
    if not replica_health.replica_usable():
        return False
    reading.chose_replica = True
    return True


class ReplicaRouter:
    """DATABASE_ROUTERS entry, installed only when DATABASE_REPLICA_URL is set."""

    def db_for_read(self, model: type[Model], **hints: object) -> str:
        return REPLICA if _replica_wanted(model) else DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: object) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: object) -> bool:
        return True  # both aliases hold the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica gets the schema by streaming
