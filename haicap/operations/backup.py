"""Writing a backup: the database in one consistent snapshot, the uploaded files, a manifest.

A backup is a folder: ``database.sqlite3`` (SQLite, by the online backup API) or
``database.pgdump`` (PostgreSQL, ``pg_dump -Fc``), ``media/`` (the uploaded, scanned and signed
papers under MEDIA_ROOT) and ``manifest.json``. It is written under ``DEST.partial`` and renamed
to DEST only when whole, so a folder named DEST is always a finished backup.
"""

import datetime as dt
import importlib.metadata
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection

from haicap.operations.manifest import MANIFEST_NAME, Manifest, digests_of
from haicap.operations.snapshot import SnapshotFacts, read_facts

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
MEDIA_DIR = "media"


class BackupError(Exception):
    """A backup or restore could not be made; the message is one line for the operator."""


def haicap_version() -> str:
    try:
        return importlib.metadata.version("haicap")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def postgres_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The libpq environment for pg_dump and pg_restore: the password travels here, never on
    a command line a process list shows."""
    env = {**os.environ}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    if settings_dict.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(settings_dict["OPTIONS"]["sslmode"])
    return env


def postgres_connect(settings_dict: dict[str, Any]) -> psycopg.Connection:
    params = {"dbname": settings_dict["NAME"]}
    for param, key in (
        ("host", "HOST"),
        ("port", "PORT"),
        ("user", "USER"),
        ("password", "PASSWORD"),
    ):
        if settings_dict.get(key):
            params[param] = str(settings_dict[key])
    if settings_dict.get("OPTIONS", {}).get("sslmode"):
        params["sslmode"] = settings_dict["OPTIONS"]["sslmode"]
    return psycopg.connect(**params)


def run_tool(command: list[str], env: dict[str, str]) -> None:
    """Run pg_dump or pg_restore; its last line of complaint becomes the error."""
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (the PostgreSQL client tools)") from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()] or ["no message"]
        raise BackupError(f"{command[0]} failed: {lines[-1].strip()}")


def _dump_sqlite(folder: Path) -> SnapshotFacts:
    """Copy with the online backup API (one step: a consistent snapshot while haicap writes),
    then read the facts from the copy itself."""
    copy = folder / SQLITE_FILE
    source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]), timeout=20)
    target = sqlite3.connect(str(copy))
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside
        return read_facts(target.cursor(), "sqlite")
    finally:
        target.close()
        source.close()


def _dump_postgres(folder: Path) -> SnapshotFacts:
    """Count in a REPEATABLE READ transaction and dump its exported snapshot: the counts and
    the dump see the same data, whatever commits meanwhile."""
    settings_dict = connection.settings_dict
    with postgres_connect(settings_dict) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            facts = read_facts(cursor, "postgresql")
            run_tool(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot_id}",
                    f"--file={folder / POSTGRES_FILE}",
                ],
                postgres_environment(settings_dict),
            )
        conn.rollback()
    return facts


def make_backup(dest: Path) -> Manifest:
    """Write one backup into the new folder ``dest``; BackupError with one line when it cannot."""
    dest = dest.absolute()
    if dest.exists():
        raise BackupError(f"{dest} already exists: a backup goes into a new folder")
    if not dest.parent.is_dir():
        raise BackupError(f"{dest.parent} does not exist or is not a folder")
    partial = dest.with_name(dest.name + ".partial")
    try:
        if partial.exists():
            shutil.rmtree(partial)  # left by a backup that was cut short
        partial.mkdir()
        vendor = connection.vendor
        if vendor == "sqlite":
            facts, database_file = _dump_sqlite(partial), SQLITE_FILE
        elif vendor == "postgresql":
            facts, database_file = _dump_postgres(partial), POSTGRES_FILE
        else:
            raise BackupError(f"no backup for the {vendor} database")
        # After the snapshot: every paper it refers to was written before it, so it is there.
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            shutil.copytree(media, partial / MEDIA_DIR)
        manifest = Manifest(
            haicap_version=haicap_version(),
            vendor=vendor,
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            database_file=database_file,
            migrations=facts.migrations,
            row_counts=facts.row_counts,
            chain_heads=facts.chain_heads,
            anchor=facts.anchor,
            files=digests_of(partial),
        )
        (partial / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
        partial.rename(dest)
    except OSError as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise BackupError(f"cannot write the backup: {error.strerror or error} ({dest})") from None
    except (sqlite3.Error, psycopg.Error) as error:
        shutil.rmtree(partial, ignore_errors=True)
        first_line = (str(error).strip().splitlines() or ["no message"])[0]
        raise BackupError(f"cannot read the database: {first_line}") from None
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest
