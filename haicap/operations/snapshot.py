"""What a backup notes of its data, read in the snapshot the data was copied from.

Reads through a plain DB-API cursor: on SQLite one on the copy itself, on PostgreSQL one in the
REPEATABLE READ transaction whose snapshot pg_dump dumps. Table names come from the database's
own catalogue, never from input.
"""

from dataclasses import dataclass
from typing import Any

from django.db import connection

from haicap.core.models import AuditAnchor, AuditChainHead


@dataclass(frozen=True)
class SnapshotFacts:
    migrations: tuple[tuple[str, str], ...]
    row_counts: dict[str, int]
    chain_heads: dict[int, tuple[int, str]]
    anchor: str | None


def quoted(table: str) -> str:
    return '"' + table.replace('"', '""') + '"'


def table_names(cursor: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return sorted(row[0] for row in cursor.fetchall())


def row_counts(cursor: Any, vendor: str) -> dict[str, int]:
    counts = {}
    for table in table_names(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {quoted(table)}")  # noqa: S608 (catalogue names)
        counts[table] = int(cursor.fetchone()[0])
    return counts


def chain_heads(cursor: Any) -> dict[int, tuple[int, str]]:
    table = quoted(AuditChainHead._meta.db_table)
    cursor.execute(f"SELECT chain, last_seq, last_hash FROM {table}")  # noqa: S608
    return {int(chain): (int(seq), digest) for chain, seq, digest in cursor.fetchall()}


def newest_anchor(cursor: Any) -> str | None:
    table = quoted(AuditAnchor._meta.db_table)
    cursor.execute(f"SELECT seq, hash FROM {table} ORDER BY seq DESC LIMIT 1")  # noqa: S608
    row = cursor.fetchone()
    return f"{row[0]}:{row[1]}" if row else None


def read_facts(cursor: Any, vendor: str) -> SnapshotFacts:
    cursor.execute("SELECT app, name FROM django_migrations")
    migrations = tuple(sorted((app, name) for app, name in cursor.fetchall()))
    return SnapshotFacts(
        migrations, row_counts(cursor, vendor), chain_heads(cursor), newest_anchor(cursor)
    )


def current_facts() -> SnapshotFacts:
    """The same facts of the configured database as it is now (after a restore)."""
    with connection.cursor() as cursor:
        return read_facts(cursor, connection.vendor)
