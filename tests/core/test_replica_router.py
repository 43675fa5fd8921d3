"""The replica's router and settings, without a replica: what never goes there."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from haicap.accounts.models import User
from haicap.core.replica import ReplicaRouter, reading_from_replica
from haicap.kpi.models import MonthlyFigures

ROUTER = ReplicaRouter()


def test_writes_and_migrations_go_to_the_primary_only() -> None:
    with reading_from_replica():
        assert ROUTER.db_for_write(MonthlyFigures) == "default"
    assert ROUTER.allow_migrate("default", "kpi") is True
    assert ROUTER.allow_migrate("replica", "kpi") is False


def test_reads_go_to_the_primary_outside_the_marked_views_and_without_a_replica() -> None:
    assert ROUTER.db_for_read(MonthlyFigures) == "default"
    with reading_from_replica():  # the test settings have no replica
        assert ROUTER.db_for_read(MonthlyFigures) == "default"
        assert ROUTER.db_for_read(User) == "default"


def _configured(**environment: str) -> dict:
    """The settings a fresh process makes of these variables."""
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'aliases': sorted(s.DATABASES), 'routers': s.DATABASE_ROUTERS, "
        "'middleware': s.MIDDLEWARE, 'replica': s.DATABASES.get('replica')}))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "haicap.settings", **environment}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    "environment",
    [
        {"DATABASE_URL": "postgres://haicap@db:5432/haicap", "DATABASE_REPLICA_URL": ""},
        {"DATABASE_URL": f"sqlite:///{settings.VAR_DIR}/x.sqlite3",
         "DATABASE_REPLICA_URL": "postgres://haicap@replica:5432/haicap"},
    ],
    ids=["no replica", "sqlite"],
)  # fmt: skip
def test_without_a_replica_nothing_changes(environment) -> None:
    found = _configured(**environment)
    assert found["aliases"] == ["default"] and found["routers"] == []
    assert "haicap.core.read_your_writes.ReadYourWritesMiddleware" not in found["middleware"]


def test_a_replica_url_adds_the_alias_the_router_and_the_middleware() -> None:
    found = _configured(
        DATABASE_URL="postgres://haicap@db:5432/haicap",
        DATABASE_REPLICA_URL="postgres://reader@replica:5433/haicap",
    )
    assert found["aliases"] == ["default", "replica"]
    assert found["replica"]["HOST"] == "replica" and found["replica"]["PORT"] == 5433
    assert found["replica"]["OPTIONS"]["connect_timeout"] == 2
    assert found["replica"]["TEST"]["MIRROR"] == "default"
    assert found["routers"] == ["haicap.core.replica.ReplicaRouter"]
    middleware = found["middleware"]
    signed_in = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert middleware[signed_in + 1] == "haicap.core.read_your_writes.ReadYourWritesMiddleware"
