"""Who has just written is seen by every web process of the machine, not only the one that took
the write: an API client sends no cookie, and its next request may reach another worker."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import sys, django
django.setup()
from types import SimpleNamespace
from django.http import HttpResponse
from django.test import RequestFactory
from haicap.core.read_your_writes import ReadYourWritesMiddleware, _StayOnPrimary

def request_of(user_id, method):
    request = getattr(RequestFactory(), method)("/api/v1/dossiers")
    request.user = SimpleNamespace(pk=user_id, is_authenticated=True)
    return request
"""

WRITE = "\n".join(
    [
        SETUP,
        "middleware = ReadYourWritesMiddleware(lambda request: HttpResponse(status=201))",
        'middleware(request_of(7, "post"))',
    ]
)

READ = "\n".join(
    [SETUP, 'print(_StayOnPrimary(request_of(7, "get"))(), _StayOnPrimary(request_of(8, "get"))())']
)


def run(script: str, var_dir: Path) -> str:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "haicap.settings",
        "HAICAP_VAR_DIR": str(var_dir),
        "PYTHONPATH": str(ROOT),
    }
    environment.pop("DATABASE_URL", None)  # the marks need no database
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_write_in_one_process_keeps_that_users_reads_on_the_primary_in_another(tmp_path):
    assert run(READ, tmp_path) == "False False"  # nobody has written yet
    run(WRITE, tmp_path)
    assert run(READ, tmp_path) == "True False"  # the writer, and only the writer
