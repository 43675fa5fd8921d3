"""A web worker at rest carries no library that only signing, scanning, planning, charts,
spreadsheets, printing or Word files need, and keeps no memory a sign-in used.

gunicorn's worker imports haicap.wsgi and resolves the URL configuration; the libraries below
are imported inside the functions that use them, so a module-level import of one (directly or
through a chain of imports) would grow every worker by megabytes it may never use.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

LOADED_ONLY_WHEN_USED = (
    "openpyxl",
    "numpy",
    "reportlab",
    "docx",
    "pyhanko",
    "pyhanko_certvalidator",
    "asn1crypto",
    "highspy",
    "pikepdf",
    "img2pdf",
    "pygal",
)

PROBE = """
import json, sys
import haicap.wsgi
from django.urls import get_resolver
get_resolver().url_patterns
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def last_line_of(script: str, var_dir: Path) -> str:
    """What ``script`` prints last, run in a fresh interpreter as a web worker starts (haicap's
    settings; no database: importing and hashing need none)."""
    project = Path(__file__).resolve().parent.parent
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "haicap.settings",
        "HAICAP_VAR_DIR": str(var_dir),
        "PYTHONPATH": str(project),
    }
    environment.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()[-1]


def test_a_worker_at_rest_has_not_imported_the_heavy_libraries(tmp_path):
    loaded = set(json.loads(last_line_of(PROBE, tmp_path)))
    assert "django" in loaded and "ninja" in loaded  # the probe did load the project
    assert loaded.isdisjoint(LOADED_ONLY_WHEN_USED), loaded & set(LOADED_ONLY_WHEN_USED)


SIGN_INS = """
import sys
import haicap.wsgi
from django.contrib.auth.hashers import check_password, make_password

def resident_kb():
    line = next(l for l in open("/proc/self/status") if l.startswith("VmRSS"))
    return int(line.split()[1])

hashed = make_password("a password at the desk")
before = resident_kb()
for _ in range(5):
    assert check_password("a password at the desk", hashed)
print(resident_kb() - before)
"""


def test_a_workers_sign_ins_do_not_keep_argon2s_memory(tmp_path):
    """Each sign-in hashes in 19 MiB; a worker that kept them would be that much bigger for
    the rest of its life (haicap.core.memory)."""
    grown_kb = int(last_line_of(SIGN_INS, tmp_path))
    assert grown_kb < 4 * 1024, f"five sign-ins kept {grown_kb} kB"
