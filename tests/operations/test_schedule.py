"""The shipped systemd units: the timer starts the backup service, whose retention step removes
old backups only."""

import configparser
import os
import shlex
import subprocess
import time

from tests.served import ROOT

UNITS = ROOT / "deploy" / "systemd"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(UNITS / name)
    return parser


def test_the_timer_starts_the_service_every_night_and_catches_up():
    timer = unit("haicap-backup.timer")
    assert timer["Timer"]["OnCalendar"] == "*-*-* 01:30:00"
    assert timer["Timer"]["Persistent"] == "true"
    assert (UNITS / "haicap-backup.service").is_file()  # a timer starts its namesake service


def test_the_service_runs_the_backup_command_into_a_new_dated_folder():
    start = unit("haicap-backup.service")["Service"]["ExecStart"]
    assert "manage.py backup" in start
    assert '"$HAICAP_BACKUP_DIR/haicap-$(date -u +%%Y%%m%%dT%%H%%M%%SZ)"' in start


def test_the_retention_step_removes_backups_older_than_the_days_kept(tmp_path):
    service = unit("haicap-backup.service")["Service"]
    post = service["ExecStartPost"]
    # What systemd does: ${NAME} from Environment=, then the words as written (no shell).
    keep_days = next(
        line.split("=", 2)[2]
        for line in (UNITS / "haicap-backup.service").read_text().splitlines()
        if line.startswith("Environment=HAICAP_BACKUP_KEEP_DAYS=")
    )
    words = shlex.split(
        post.replace("${HAICAP_BACKUP_DIR}", str(tmp_path)).replace(
            "${HAICAP_BACKUP_KEEP_DAYS}", keep_days
        )
    )
    old, recent, other = (
        tmp_path / "haicap-20260101T013000Z",
        tmp_path / "haicap-20260301T013000Z",
        tmp_path / "notes",
    )
    for folder in (old, recent, other):
        folder.mkdir()
        (folder / "manifest.json").write_text("{}")
    long_ago = time.time() - (int(keep_days) + 2) * 86400
    for path in (old, other):
        os.utime(path, (long_ago, long_ago))
    subprocess.run(words, check=True)
    assert not old.exists()
    assert recent.exists()
    assert other.exists()  # only the backups' own folders are removed
