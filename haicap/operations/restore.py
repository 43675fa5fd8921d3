"""Restoring a backup into the configured, empty database, then proving it came back whole.

Before anything is loaded: the manifest parses, every file matches its checksum, the vendor is
the configured database's, no migration is newer than the code, the database has no tables and
MEDIA_ROOT no files. After: every table's row count equals the manifest's, the audit chains end
at the heads the manifest noted and verify_audit_chain passes against its anchor, and the
figures equal what a rebuild computes.
"""

import io
import shutil
import sqlite3
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from haicap.operations.backup import (
    MEDIA_DIR,
    BackupError,
    postgres_environment,
    run_tool,
)
from haicap.operations.figures_check import figures_differing_from_rebuild
from haicap.operations.manifest import (
    MANIFEST_NAME,
    Manifest,
    ManifestError,
    checksum_problems,
    count_differences,
    digests_of,
    parse_manifest,
    unknown_migrations,
)
from haicap.operations.snapshot import current_facts


def read_checked_manifest(source: Path) -> Manifest:
    """The backup's manifest, once every file in the folder matches it."""
    if not source.is_dir():
        raise BackupError(f"{source} is not a backup folder")
    manifest_path = source / MANIFEST_NAME
    if not manifest_path.is_file():
        raise BackupError(f"{source} has no {MANIFEST_NAME}: not a backup, or not a whole one")
    try:
        manifest = parse_manifest(manifest_path.read_text(encoding="utf-8"))
    except (ManifestError, UnicodeDecodeError) as error:
        raise BackupError(str(error)) from None
    problems = checksum_problems(manifest.files, digests_of(source))
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise BackupError(f"the backup is damaged: {problems[0]}{more}")
    return manifest


def _check_target(manifest: Manifest) -> None:
    if manifest.vendor != connection.vendor:
        raise BackupError(
            f"the backup is of a {manifest.vendor} database, the configured one is "
            f"{connection.vendor}"
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    newer = unknown_migrations(manifest.migrations, known)
    if newer:
        raise BackupError(
            f"the backup has migrations this code does not know ({', '.join(newer[:3])}): "
            "restore it with the haicap version that made it"
        )
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"the configured database is not empty ({len(tables)} tables): restore only into "
            "a new, empty database"
        )
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(path.is_file() for path in media.rglob("*")):
        raise BackupError(f"MEDIA_ROOT ({media}) already holds files: restore into an empty one")


def _load_sqlite(source: Path) -> None:
    target_path = str(connection.settings_dict["NAME"])
    connection.close()  # the backup API writes every page; no other connection in the way
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target = sqlite3.connect(target_path, timeout=20)
    try:
        backup.backup(target)
    finally:
        target.close()
        backup.close()


def _load_postgres(source: Path) -> None:
    connection.close()
    run_tool(
        [
            "pg_restore",
            "--no-password",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ],
        postgres_environment(connection.settings_dict),
    )


def verify_restored(manifest: Manifest) -> None:
    """Compare the restored database with the manifest; BackupError naming what differs."""
    facts = current_facts()
    differences = count_differences(manifest.row_counts, facts.row_counts)
    if differences:
        raise BackupError(f"row counts differ from the manifest: {'; '.join(differences[:3])}")
    if facts.chain_heads != dict(manifest.chain_heads):
        changed = sorted(
            chain
            for chain in set(facts.chain_heads) | set(manifest.chain_heads)
            if facts.chain_heads.get(chain) != manifest.chain_heads.get(chain)
        )
        raise BackupError(f"audit chain heads differ from the manifest: chains {changed[:5]}")
    # The command anchors the heads before checking: the restored log gains one anchor.
    noted = {"expect_head": manifest.anchor} if manifest.anchor else {}
    try:
        call_command("verify_audit_chain", stdout=io.StringIO(), **noted)
    except CommandError as error:
        raise BackupError(f"the restored audit log does not verify: {error}") from None
    differing = figures_differing_from_rebuild()
    if differing:
        raise BackupError(f"the restored figures differ from a rebuild in {', '.join(differing)}")


def restore_backup(source: Path) -> Manifest:
    """Check, load and verify the backup in ``source``; BackupError with one line when any
    check fails."""
    source = source.absolute()
    manifest = read_checked_manifest(source)
    _check_target(manifest)
    database_file = source / manifest.database_file
    try:
        if manifest.vendor == "sqlite":
            _load_sqlite(database_file)
        else:
            _load_postgres(database_file)
        media = source / MEDIA_DIR
        if media.is_dir():
            shutil.copytree(media, Path(settings.MEDIA_ROOT), dirs_exist_ok=True)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(f"cannot load the backup: {error}") from None
    verify_restored(manifest)
    return manifest
