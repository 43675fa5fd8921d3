"""Operating haicap: the health check, with a real server against a real or missing database."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthz_answers_503_from_the_production_server_when_the_database_is_unreachable(tmp_path):
    port, dead_db_port = free_port(), free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://nobody@127.0.0.1:{dead_db_port}/none",
        "HAICAP_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "haicap.settings",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "haicap.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                status = 200
                break
            except urllib.error.HTTPError as error:
                status = error.code
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert status == 503
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_production_entry_point_keeps_what_it_loaded_out_of_garbage_collection(tmp_path):
    env = {
        **os.environ,
        "HAICAP_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "haicap.settings",
    }
    env.pop("DATABASE_URL", None)
    frozen = subprocess.run(
        [sys.executable, "-c", "import gc, haicap.wsgi; print(gc.get_freeze_count())"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(frozen.stdout) > 10_000  # Django and haicap's modules, models and settings


def test_the_web_server_writes_nothing_outside_the_project_and_says_no_warning(tmp_path):
    """Started as `make run` starts it, with HOME elsewhere: nothing lands there (gunicorn's
    control socket would), and its log holds no warning."""
    port, home = free_port(), tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "HAICAP_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "haicap.settings",
    }
    env.pop("DATABASE_URL", None)
    log = tmp_path / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "haicap.wsgi", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                    break
                except urllib.error.HTTPError:
                    break  # answered (no database migrated there): the server is up
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            time.sleep(1.5)  # past the moment gunicorn opens its control socket
        finally:
            server.terminate()
            server.wait(timeout=10)
    assert list(home.iterdir()) == []
    text = log.read_text()
    assert "Booting worker" in text and "WARNING" not in text.upper().replace("[INFO]", "")


@pytest.mark.parametrize("database", ["sqlite", "configured"])
def test_the_system_checks_say_nothing_on_either_database(tmp_path, database):
    env = {
        **os.environ,
        "HAICAP_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "haicap.settings",
    }
    if database == "sqlite":
        env.pop("DATABASE_URL", None)
    checked = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    assert "System check identified no issues" in checked.stdout
    assert "WARNING" not in checked.stderr.upper()
