"""Operating haicap: the health check, with a real server against a real or missing database."""

import os
import subprocess
import sys
import time
import urllib.request

import pytest
from django.test import Client

from haicap.operations.services import record_heartbeat
from tests.served import ROOT, free_port, gunicorn


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers_and_the_worker_beats():
    record_heartbeat()
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == {"status": "ok"}


def test_healthz_answers_503_from_the_production_server_when_the_database_is_unreachable(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://nobody@127.0.0.1:{free_port()}/none",
        "HAICAP_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "haicap.settings",
    }
    with gunicorn(env) as (port, status):
        assert status == 503
        # the cheap liveness answer reads no database, so it still says the process is up
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/live", timeout=5) as live:
            assert live.status == 200


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
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "HAICAP_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "haicap.settings",
    }
    env.pop("DATABASE_URL", None)
    log = tmp_path / "server.log"
    with log.open("w") as out, gunicorn(env, output=out, workers=3):
        time.sleep(1.5)  # past the moment gunicorn opens its control socket
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
