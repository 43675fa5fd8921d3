"""A real primary and streaming standby for the replica tests, started once for this folder.

The tests point Django's "default" alias at the primary and "replica" at the standby for their
own duration, and give the other aliases back afterwards: the rest of the suite keeps its test
database. Writes here really commit (the standby only sees committed transactions).
"""

import copy
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections

from haicap.core import replica_health
from haicap.core.replica_health import REPLICA
from haicap.kpi.models import FieldMonthlyFigures
from tests.conftest import load_demo
from tests.replica.clusters import DATABASE, Pair, start_pair

READ_YOUR_WRITES = "haicap.core.read_your_writes.ReadYourWritesMiddleware"


def _drop(alias: str) -> None:
    if hasattr(connections._connections, alias):
        connections[alias].close()
        del connections[alias]


@contextmanager
def pointed_at(pair: Pair) -> Iterator[None]:
    """The "default" alias on the pair's primary, "replica" on its standby."""
    saved = {alias: connections.settings.get(alias) for alias in ("default", REPLICA)}
    base = copy.deepcopy(connections.settings["default"])
    for alias, server in (("default", pair.primary), (REPLICA, pair.standby)):
        _drop(alias)
        where = {"NAME": DATABASE, "HOST": "127.0.0.1", "PORT": server.port, "USER": "postgres"}
        connections.settings[alias] = {**copy.deepcopy(base), **where, "PASSWORD": ""}
    connections.settings[REPLICA]["OPTIONS"] = {**base["OPTIONS"], "connect_timeout": 2}
    try:
        yield
    finally:
        for alias, dict_ in saved.items():
            _drop(alias)
            if dict_ is None:
                del connections.settings[alias]
            else:
                connections.settings[alias] = dict_


@pytest.fixture(scope="session")
def replica_pair(django_db_blocker) -> Iterator[Pair]:
    """The pair, migrated and with the demo province (on the primary; the standby streams it)."""
    if not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("a read replica is a PostgreSQL feature: set DATABASE_URL to PostgreSQL")
    pair = start_pair()
    try:
        with django_db_blocker.unblock(), pointed_at(pair):
            call_command("migrate", verbosity=0, interactive=False)
            load_demo()
        pair.wait_replayed()
        yield pair
    finally:
        pair.close()


@pytest.fixture
def replicated(replica_pair, django_db_blocker, settings) -> Iterator[Pair]:
    """Django on the pair with the replica's router and middleware on, the standby running and
    replaying, no one pinned to the primary and no health verdict kept."""
    pair = replica_pair
    settings.DATABASE_ROUTERS = ["haicap.core.replica.ReplicaRouter"]
    auth = settings.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[: auth + 1], READ_YOUR_WRITES,
                           *settings.MIDDLEWARE[auth + 1 :]]  # fmt: skip
    settings.REPLICA_MAX_LAG_SECONDS = 3600
    settings.REPLICA_CHECK_SECONDS = 0
    settings.REPLICA_STICKY_SECONDS = 60
    if not pair.standby.running():
        pair.standby.start()
    pair.standby.one("SELECT pg_wal_replay_resume()")
    cache.clear()
    replica_health.forget()
    with django_db_blocker.unblock(), pointed_at(pair):
        FieldMonthlyFigures.objects.all().delete()
        pair.wait_replayed()
        yield pair
        replica_health.forget()
        if pair.standby.running():
            pair.standby.one("SELECT pg_wal_replay_resume()")
        FieldMonthlyFigures.objects.all().delete()
