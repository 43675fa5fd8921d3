"""The README's API examples run as written against a served demo province.

The examples are the ``sh`` blocks of the README's "Using the API" section, run in order by bash
in one shell, from a directory that looks like the project's (its ``.venv`` and ``manage.py``),
against gunicorn serving a fresh demo database. Only the port is changed. Every ``curl`` of the
examples must answer 2xx (a wrapper adds ``--fail-with-body``), and what they leave behind is
checked: the slip, its reprint with a new PIN, and the applicant's look-up.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from tests.served import ROOT, gunicorn


def readme_examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Using the API\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.S)


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_readme_api_examples_run_as_written(tmp_path):
    examples = readme_examples()
    assert len(examples) >= 4
    env = {
        **os.environ,
        "HAICAP_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "haicap.settings",
        "HAICAP_DEMO_HISTORY": "0",  # the registry and accounts are enough here
    }
    env.pop("DATABASE_URL", None)
    for command in (["migrate", "--no-input", "-v", "0"], ["load_demo_province"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    workdir = tmp_path / "project"
    workdir.mkdir()
    for name in (".venv", "manage.py"):
        (workdir / name).symlink_to(ROOT / name)
    with gunicorn(env) as (port, _status):
        script = "\n".join(
            [
                "set -euo pipefail",
                'curl() { command curl --fail-with-body "$@"; }',
                *(block.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for block in examples),
                'echo; echo "CODE=$CODE"; echo "PIN=$PIN"',
            ]
        )
        ran = subprocess.run(
            ["bash", "-c", script], cwd=workdir, env=env, capture_output=True, text=True
        )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    values = dict(line.split("=", 1) for line in ran.stdout.splitlines() if "=" in line[:5])
    code, pin = values["CODE"], values["PIN"]
    assert code.startswith("17662.05.H40-") and len(pin) == 6
    slip = pdf_text(workdir / "slip.pdf")
    assert code in slip and pin not in slip
    reprint = pdf_text(workdir / "slip-reprint.pdf")
    new_pin = reprint.split("Mã tra cứu: ")[1][:6]
    assert new_pin.isdigit() and new_pin != pin
    answers = ran.stdout.replace("}{", "}\n{").splitlines()
    looked_up = [json.loads(a) for a in answers if a.startswith('{"code"') and "status" in a]
    assert [a["code"] for a in looked_up] == [code]
