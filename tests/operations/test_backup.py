"""Backups that restore: taken while haicap writes, restored by an operator's commands into a
new database, refused when damaged or when the target is not empty. The same tests run on
SQLite and, with DATABASE_URL set, on PostgreSQL (the restore target is a new database)."""

import json
import os
import re
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from haicap.core.audit import record_change, write_anchor
from haicap.core.context import acting_as
from haicap.core.models import AuditRecord
from haicap.kpi.models import DailyFigures
from haicap.operations.figures_check import figures_differing_from_rebuild
from tests.dossiers.test_scenarios import at, receive
from tests.served import ROOT

PAPER = b"%PDF-1.4\n% a scanned paper\n%%EOF\n"


def database_url(settings_dict: dict, name: str | None = None) -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{name or settings_dict['NAME']}"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    return (
        f"postgres://{settings_dict['USER']}{password}@{settings_dict['HOST']}:"
        f"{settings_dict['PORT']}/{name or settings_dict['NAME']}"
    )


def manage(command: list[str], url: str, media: Path, var: Path) -> subprocess.CompletedProcess:
    """Run manage.py as an operator does, against the database at ``url``."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "HAICAP_MEDIA_DIR": str(media),
        "HAICAP_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "haicap.settings",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def empty_target(tmp_path) -> Iterator[str]:
    """A new, empty database to restore into: a file on SQLite, a new database on PostgreSQL."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        yield database_url(settings_dict, str(tmp_path / "restored.sqlite3"))
        return
    name = f"haicap_restore_{uuid.uuid4().hex[:12]}"
    server = {
        "host": settings_dict["HOST"],
        "port": settings_dict["PORT"],
        "user": settings_dict["USER"],
        "password": settings_dict.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(settings_dict, name)
    finally:
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class AuditedWriter(threading.Thread):
    """Writes audited records, one transaction each, until told to stop."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.written = 0
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with acting_as("backup-test-writer"):
                while not self.stop.is_set():
                    with transaction.atomic():
                        record_change("test.written", ("backup-test", str(self.written)))
                    self.written += 1
        except BaseException as error:  # reported by the test, not lost in the thread
            self.error = error
        finally:
            connection.close()


@pytest.mark.usefixtures("committed_demo")
def test_a_backup_taken_while_haicap_writes_restores_into_an_empty_database(
    tmp_path, settings, empty_target
):
    media = Path(settings.MEDIA_ROOT)
    (media / "dossiers" / "2026").mkdir(parents=True)
    (media / "dossiers" / "2026" / "scan.pdf").write_bytes(PAPER)
    write_anchor()
    source = database_url(connection.settings_dict)
    writer = AuditedWriter()
    writer.start()
    try:
        while writer.written < 20 and writer.is_alive():
            threading.Event().wait(0.05)
        before = writer.written
        made = manage(["backup", str(tmp_path / "backup")], source, media, tmp_path / "var")
        during = writer.written - before
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    assert writer.error is None
    assert made.returncode == 0, made.stderr
    assert during > 0  # the writer went on while the backup ran
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    # A snapshot: it holds some of the writer's records, not the ones written after it.
    noted = manifest["row_counts"][AuditRecord._meta.db_table]
    assert 0 < noted < AuditRecord.objects.count()
    assert manifest["vendor"] == connection.vendor
    assert manifest["audit"]["anchor"] is not None
    assert "media/dossiers/2026/scan.pdf" in manifest["files"]

    restored_media = tmp_path / "restored-media"
    restored = manage(
        ["restore", str(tmp_path / "backup")], empty_target, restored_media, tmp_path / "var"
    )
    assert restored.returncode == 0, restored.stderr
    assert "restored and verified" in restored.stdout
    assert (restored_media / "dossiers" / "2026" / "scan.pdf").read_bytes() == PAPER

    again = manage(
        ["restore", str(tmp_path / "backup")], empty_target, tmp_path / "m3", tmp_path / "var"
    )
    assert again.returncode != 0
    assert len(again.stderr.strip().splitlines()) == 1
    assert "not empty" in again.stderr


@pytest.fixture
def backup(db, tmp_path, settings) -> Path:
    (Path(settings.MEDIA_ROOT) / "papers").mkdir(parents=True)
    (Path(settings.MEDIA_ROOT) / "papers" / "scan.pdf").write_bytes(PAPER)
    call_command("backup", str(tmp_path / "backup"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    return tmp_path / "backup"


def test_a_backup_with_a_flipped_byte_is_refused_by_its_checksum(backup):
    database = next(p for p in backup.iterdir() if p.name.startswith("database."))
    data = bytearray(database.read_bytes())
    data[len(data) // 2] ^= 0xFF
    database.write_bytes(bytes(data))
    with pytest.raises(CommandError, match=f"{database.name} fails its checksum"):
        call_command("restore", str(backup))


def test_a_changed_paper_is_refused_by_its_checksum(backup):
    (backup / "media" / "papers" / "scan.pdf").write_bytes(PAPER + b" ")
    with pytest.raises(CommandError, match=re.escape("media/papers/scan.pdf fails its checksum")):
        call_command("restore", str(backup))


def test_a_backup_without_its_manifest_or_with_a_malformed_one_is_refused(backup):
    manifest = backup / "manifest.json"
    text = manifest.read_text()
    manifest.write_text(text[: len(text) // 2])
    with pytest.raises(CommandError, match="not JSON"):
        call_command("restore", str(backup))
    manifest.unlink()
    with pytest.raises(CommandError, match=re.escape("has no manifest.json")):
        call_command("restore", str(backup))


def test_a_backup_with_migrations_newer_than_the_code_is_refused(backup):
    manifest = backup / "manifest.json"
    data = json.loads(manifest.read_text())
    data["migrations"].append(["dossiers", "9999_from_the_future"])
    manifest.write_text(json.dumps(data))
    with pytest.raises(CommandError, match=re.escape("dossiers.9999_from_the_future")):
        call_command("restore", str(backup))


def test_restoring_into_a_database_that_holds_data_is_refused(backup):
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup))
    assert (backup / "manifest.json").is_file()


@pytest.mark.django_db
def test_a_backup_into_a_missing_or_unwritable_place_says_so_in_one_line(tmp_path):
    with pytest.raises(CommandError, match="does not exist or is not a folder"):
        call_command("backup", str(tmp_path / "missing" / "backup"))
    (tmp_path / "a-file").write_text("")
    with pytest.raises(CommandError, match="does not exist or is not a folder"):
        call_command("backup", str(tmp_path / "a-file" / "backup"))
    with pytest.raises(CommandError, match="cannot write the backup"):
        call_command("backup", "/proc/haicap-backup")  # /proc takes no new folders, even root's
    (tmp_path / "taken").mkdir()
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(tmp_path / "taken"))


def test_the_command_line_gets_one_readable_line_and_a_failing_status(tmp_path):
    done = manage(
        ["backup", str(tmp_path / "missing" / "backup")],
        f"sqlite:///{tmp_path / 'none.sqlite3'}",
        tmp_path / "media",
        tmp_path / "var",
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"CommandError: {tmp_path / 'missing'} does not exist or is not a folder"
    )


@pytest.mark.django_db
def test_figures_that_differ_from_a_rebuild_are_named_and_left_as_they_were(user):
    receive(user, at(3, 2, 9), "X.HT.001")
    assert figures_differing_from_rebuild() == []
    row = DailyFigures.objects.order_by("pk").first()
    DailyFigures.objects.filter(pk=row.pk).update(received=row.received + 1)
    assert figures_differing_from_rebuild() == [DailyFigures._meta.db_table]
    assert DailyFigures.objects.get(pk=row.pk).received == row.received + 1


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda m: m["row_counts"].update(core_auditrecord=m["row_counts"]["core_auditrecord"] + 1),
         "row counts differ from the manifest: core_auditrecord"),
        (lambda m: m["audit"].update(anchor="1:" + "ab" * 32),
         "the restored audit log does not verify: anchor 1 no longer has the hash"),
    ],
    ids=["row count", "audit anchor"],
)  # fmt: skip
def test_a_restore_that_does_not_match_its_manifest_fails_naming_what_differed(
    backup, tmp_path, empty_target, change, named
):
    manifest = backup / "manifest.json"
    data = json.loads(manifest.read_text())
    change(data)
    manifest.write_text(json.dumps(data))
    done = manage(["restore", str(backup)], empty_target, tmp_path / "m", tmp_path / "var")
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert named in done.stderr
