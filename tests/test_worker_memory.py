"""A web worker at rest carries no library that only signing, scanning, planning or charts need.

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


def test_a_worker_at_rest_has_not_imported_the_heavy_libraries(tmp_path):
    project = Path(__file__).resolve().parent.parent
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "haicap.settings",
        "HAICAP_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(project),
    }
    environment.pop("DATABASE_URL", None)  # importing needs no database
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    assert "django" in loaded and "ninja" in loaded  # the probe did load the project
    assert loaded.isdisjoint(LOADED_ONLY_WHEN_USED), loaded & set(LOADED_ONLY_WHEN_USED)
