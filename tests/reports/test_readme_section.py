"""The README's "Commune reports" section: its command runs as written (from the project's
directory, against the demo province the tests load) and publishes what the section says."""

import re
import shlex
from io import StringIO

import pytest
from django.core.management import call_command

from haicap.reports.models import ReportTemplate
from tests.served import ROOT

pytestmark = pytest.mark.django_db
PYTHON = ".venv/bin/python manage.py "


def section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## Commune reports\n", 1)[1].split("\n## ", 1)[0]


def commands() -> list[list[str]]:
    blocks = re.findall(r"```sh\n(.*?)```", section(), flags=re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines() if line.strip()]
    assert all(line.startswith(PYTHON) for line in lines), lines
    return [shlex.split(line.removeprefix(PYTHON)) for line in lines]


def test_the_sections_command_publishes_the_example_as_written(monkeypatch):
    found = commands()
    assert found == [["publish_report_template", "docs/examples/report-template.json"]]
    monkeypatch.chdir(ROOT)
    out = StringIO()
    for name, *args in found:
        call_command(name, *args, stdout=out)
    template = ReportTemplate.objects.get()
    assert out.getvalue().startswith(f"published {template.code} version 1")
    # what the section says of it
    said = " ".join(section().split())  # as read, whatever the line breaks
    assert template.name in said
    assert (
        f"due {template.due_days} days after the month, late after {template.late_after_days}"
        in said
    )
