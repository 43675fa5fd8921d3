"""The dossier rules written as pure cores import no Django, directly or through another module
(the import-linter contract in pyproject.toml lists the older ones)."""

import subprocess
import sys

from tests.served import ROOT

PURE_RULES = ("haicap.dossiers.acting_as_one", "haicap.dossiers.personal_data")


def test_the_pure_rules_import_no_django():
    check = (
        f"import sys; import {', '.join(PURE_RULES)}; "
        "found = sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'ninja'}); "
        "print(found, file=sys.stderr); sys.exit(bool(found))"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
