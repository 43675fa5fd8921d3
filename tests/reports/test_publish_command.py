"""``manage.py publish_report_template FILE.json``: the next version of a template from a file,
checked whole; bad input exits non-zero with one readable line and publishes nothing. The
example in ``docs/examples`` is the demo's two-tier template and publishes as it is. The
administration lists templates and never edits a version."""

import copy
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from haicap.reports import standard_templates as standard
from haicap.reports.models import ReportTemplate
from haicap.reports.template_file import TemplateFileError, read
from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "report-template.json"
ADMIN = "/desk/admin/reports/reporttemplate"


def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def written(tmp_path: Path, data: object, name: str = "mau.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def publish(path: Path) -> str:
    out = StringIO()
    call_command("publish_report_template", str(path), stdout=out)
    return out.getvalue()


def refusal(path: Path) -> str:
    with pytest.raises(CommandError) as refused:
        publish(path)
    message = str(refused.value)
    assert "\n" not in message
    return message


def test_the_example_is_the_demos_two_tier_template():
    assert example() == standard.as_command_input(standard.V2)


@pytest.mark.django_db
def test_the_example_publishes_the_next_version(tmp_path):
    said = publish(EXAMPLE)
    template = ReportTemplate.objects.get(code="hoat-dong-chinh-quyen")
    assert said.strip() == (
        "published hoat-dong-chinh-quyen version 1 (Báo cáo tình hình hoạt động của chính quyền "
        "địa phương hai cấp), month, in force from 01/07/2025, filed by 6 communes"
    )
    assert {u.code for u in template.filers.all()} == set(standard.SIX_COMMUNES)
    assert template.parsed.cell("difficulties").highlight
    changed = example() | {"name": "Báo cáo tháng (sửa đổi)", "in_force_from": "2027-01-01"}
    changed["filers"] = []
    assert "version 2" in publish(written(tmp_path, changed))
    newer = ReportTemplate.objects.get(code=template.code, version=2)
    assert newer.filers.count() == 0 and "every commune in force" in publish(
        written(tmp_path, changed, "again.json")
    )
    assert ReportTemplate.objects.get(pk=template.pk).name == template.name  # v1 unchanged


@pytest.mark.django_db
def test_every_problem_of_the_definition_on_one_line_and_nothing_published(tmp_path):
    data = example()
    data["definition"] = copy.deepcopy(data["definition"])
    cells = data["definition"]["sections"][0]["cells"]
    cells[0]["source"]["key"] = "staffing.no_such_figure"
    cells[1]["kind"] = "picture"
    data["filers"] = ["17662", "99999"]
    message = refusal(written(tmp_path, data))
    assert "nothing published" in message
    assert "no commune in force has the code 99999" in message
    data["filers"] = ["17662"]
    message = refusal(written(tmp_path, data))
    assert "staffing.no_such_figure" in message and "is one of number, text" in message
    assert not ReportTemplate.objects.exists()


@pytest.mark.django_db
def test_a_file_that_is_not_a_template_is_refused_in_a_readable_line(tmp_path):
    assert "not JSON" in refusal(written(tmp_path, "{ không phải JSON"))
    assert "cannot read" in refusal(tmp_path / "khong-co.json")
    message = refusal(
        written(tmp_path, example() | {"due_days": -1, "code": "Mẫu Báo Cáo", "colour": "red"})
    )
    assert "due_days: a whole number" in message
    assert "code: 1 to 60 lower-case" in message and "colour: unknown" in message
    late_first = example() | {"due_days": 9, "late_after_days": 7}
    assert "due days: from 0 to the late-after days" in refusal(written(tmp_path, late_first))
    assert not ReportTemplate.objects.exists()


def test_the_command_exits_non_zero_with_one_line(tmp_path):
    bad = written(tmp_path, "[1, 2]")
    ran = subprocess.run(
        [sys.executable, "manage.py", "publish_report_template", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HAICAP_VAR_DIR": str(tmp_path / "var")},
    )
    assert ran.returncode != 0 and ran.stdout == ""
    assert ran.stderr.strip().count("\n") == 0
    assert "the file holds one object" in ran.stderr


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(), st.lists, max_leaves=8))
def test_reading_any_json_either_gives_a_template_or_says_why(value):
    try:
        read(json.dumps(value))
    except TemplateFileError as refused:
        assert refused.problems and all(p.strip() for p in refused.problems)


@pytest.mark.django_db
def test_the_administration_lists_templates_and_never_edits_a_version():
    publish(EXAMPLE)
    template = ReportTemplate.objects.get()
    admin = client_for("admin")
    listed = admin.get(f"{ADMIN}/")
    assert listed.status_code == 200 and "hoat-dong-chinh-quyen" in listed.content.decode()
    shown = admin.get(f"{ADMIN}/{template.pk}/change/")
    assert shown.status_code == 200 and 'name="_save"' not in shown.content.decode()
    assert admin.get(f"{ADMIN}/add/").status_code == 403
    assert admin.post(f"{ADMIN}/{template.pk}/change/", {"name": "Khác"}).status_code == 403
    assert admin.get(f"{ADMIN}/{template.pk}/delete/").status_code == 403
    assert ReportTemplate.objects.get().name == template.name
