"""The administrator loads procedures and template versions from files in the admin."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from haicap.catalog.models import Procedure, ProcessTemplate
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

DEMO_SHEET = Path("haicap/catalog/data/nghe-an-procedures.csv").read_text(encoding="utf-8")
TEMPLATE = Path("haicap/workflow/templates/one-stop-standard.json")


def sheet_with(row: str) -> SimpleUploadedFile:
    header = DEMO_SHEET.splitlines()[0]
    return SimpleUploadedFile("thu-tuc.csv", f"{header}\n{row}\n".encode())


def test_a_good_sheet_adds_procedures():
    row = DEMO_SHEET.splitlines()[1].replace("X.HT.001", "X.HT.901", 1)
    response = client_for("admin").post(
        reverse("admin:catalog_procedure_import"), {"file": sheet_with(row)}
    )
    assert response.status_code == 302
    assert Procedure.objects.get(national_code="X.HT.901").name == "Đăng ký khai sinh"


def test_a_bad_row_is_reported_and_nothing_is_saved():
    good = DEMO_SHEET.splitlines()[1].replace("X.HT.001", "X.HT.902", 1)
    bad = good.replace("X.HT.902", "X.HT.903", 1).replace(",1,whole_working_days,", ",abc,")
    upload = SimpleUploadedFile(
        "thu-tuc.csv", f"{DEMO_SHEET.splitlines()[0]}\n{good}\n{bad}\n".encode()
    )
    response = client_for("admin").post(reverse("admin:catalog_procedure_import"), {"file": upload})
    assert response.status_code == 422
    assert "line 3" in response.content.decode()
    assert not Procedure.objects.filter(national_code__in=["X.HT.902", "X.HT.903"]).exists()


def test_only_a_system_administrator_imports():
    row = DEMO_SHEET.splitlines()[1].replace("X.HT.001", "X.HT.904", 1)
    for page in ("admin:catalog_procedure_import", "admin:catalog_processtemplate_publish"):
        response = client_for("quantri.doluong").post(reverse(page), {"file": sheet_with(row)})
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Procedure.objects.filter(national_code="X.HT.904").exists()


def test_a_changed_template_is_published_as_the_next_version():
    definition = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    definition["steps"][0]["share"] = "0.2"
    definition["steps"][1]["share"] = "0.5"
    upload = SimpleUploadedFile("quy-trinh.json", json.dumps(definition).encode())
    response = client_for("admin").post(
        reverse("admin:catalog_processtemplate_publish"), {"file": upload}
    )
    assert response.status_code == 302
    latest = ProcessTemplate.objects.filter(code=definition["code"]).order_by("-version").first()
    assert latest.version == 2 and latest.definition["steps"][0]["share"] == "0.2"


def test_a_template_without_a_way_to_finish_is_refused():
    definition = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    definition["actions"] = [a for a in definition["actions"] if a["to"] != "returned"]
    upload = SimpleUploadedFile("quy-trinh.json", json.dumps(definition).encode())
    response = client_for("admin").post(
        reverse("admin:catalog_processtemplate_publish"), {"file": upload}
    )
    assert response.status_code == 422
    assert "returned" in response.content.decode()  # the problem names the unreachable end
    assert ProcessTemplate.objects.filter(code=definition["code"]).count() == 1
