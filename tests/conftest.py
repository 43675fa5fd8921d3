"""Shared fixtures. The demo province is loaded once into the test database.

Tests marked ``django_db`` run inside a transaction that is rolled back, so they all see the
same demo province. Tests that need real commits (browser, concurrency) use ``committed_demo``.
"""

from collections.abc import Iterator
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from haicap.accounts.demo import DEMO_PASSWORD, ensure_demo_accounts
from haicap.accounts.models import User
from haicap.catalog.demo import load_demo_catalogue
from haicap.core import append_only
from haicap.core.audit import ensure_chain_head
from haicap.core.context import acting_as
from haicap.exchange.demo import load_demo_mappings
from haicap.units.demo import load_nghe_an


def seed_feedback_categories() -> None:
    """The petition categories feedback's migration seeds: emptying a committed database after
    a browser test removes them, and the next one needs them as a new database has them."""
    import_module("haicap.feedback.migrations.0003_categories").seed(apps, None)


def load_demo() -> None:
    ensure_chain_head()
    with acting_as("test-setup"):
        load_nghe_an()
        load_demo_catalogue()
        load_demo_mappings()
        ensure_demo_accounts()
        seed_feedback_categories()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo()


def set_audit_triggers(enabled: bool) -> None:
    """The append-only triggers of the audit log and of every other registered table."""
    with connection.cursor() as cursor:
        for table in append_only.registered():
            if enabled:
                for sql in table.statements(connection.vendor, create=False):
                    cursor.execute(
                        sql
                    )  # recreate cleanly: PostgreSQL has no CREATE TRIGGER IF NOT EXISTS
            for sql in table.statements(connection.vendor, create=enabled):
                cursor.execute(sql)


@pytest.fixture
def committed_db(transactional_db) -> Iterator[None]:
    """A database whose writes really commit; it is emptied after the test."""
    set_audit_triggers(True)
    ensure_chain_head()
    yield
    # Emptying the database afterwards must get past the audit log's append-only triggers.
    set_audit_triggers(False)


@pytest.fixture
def committed_demo(committed_db) -> None:
    """The demo province in a database whose writes really commit."""
    load_demo()


@pytest.fixture(autouse=True)
def media_in_tmp(tmp_path, settings) -> None:
    """Uploaded papers and signing credentials go to the test's own folder, never into the
    project's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_DIR = tmp_path / "signing"


@pytest.fixture
def demo_password() -> str:
    return DEMO_PASSWORD


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def user(db) -> callable:
    return lambda username: User.objects.get(username=username)
